/*
 * mpr.c - the libmpref variant of each benchmark: the same work as
 * bench.py (CPython) and floor.c (raw OS), on libmpref's public API.  A
 * primitive's benchmarks are compiled in once its header exists
 * (BENCH_HAVE_<PRIMITIVE>, set by bench/meson.build); the others are not
 * listed by --list, and the driver prints n/a for them.
 *
 * Base work (1x) of each benchmark: see bench/README.md.
 */
#include "bench.h"

#include <mpr/mpr.h>

#define MPR_CHECK(expr)                                                      \
    do {                                                                     \
        int rc_ = (expr);                                                    \
        if (rc_ < 0) {                                                       \
            fprintf(stderr, "bench: %s: %s %s\n", #expr, mpr_strerror(rc_),  \
                    mpr_last_error_detail() ? mpr_last_error_detail() : "");  \
            exit(1);                                                         \
        }                                                                    \
    } while (0)

#ifdef BENCH_HAVE_PROCESS
/* ---- Process start + join ----------------------------------------------- */

static int noop(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args;
    (void)kwargs;
    return 0;
}
MPR_TARGET(noop)

static double process_bench(const char *method, long scale, long *ops)
{
    mpr_process_options_t o = {.target = noop, .context = method};
    double t0 = bench_now();
    for (long i = 0; i < scale; i++) {
        mpr_process_t *p;
        int code;
        MPR_CHECK(mpr_process_new(&p, &o));
        MPR_CHECK(mpr_process_start(p));
        MPR_CHECK(mpr_process_join(p, MPR_TIMEOUT_NONE));
        BENCH_CHECK(mpr_process_exitcode(p, &code) == 1 && code == 0);
        mpr_process_free(p);
    }
    *ops = scale;
    return bench_now() - t0;
}

static double b_process_fork(long scale, long *ops)
{
    return process_bench("fork", scale, ops);
}

static double b_process_spawn(long scale, long *ops)
{
    return process_bench("spawn", scale, ops);
}

static double b_process_forkserver(long scale, long *ops)
{
    return process_bench("forkserver", scale, ops);
}
#endif

static const bench_t table[] = {
#ifdef BENCH_HAVE_PROCESS
    {"process.fork", b_process_fork},
    {"process.spawn", b_process_spawn},
    {"process.forkserver", b_process_forkserver},
#endif
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    int rc = mpr_main(argc, argv);
    if (rc < 0) {
        fprintf(stderr, "bench: mpr_main: %s\n", mpr_strerror(rc));
        return 1;
    }
    return bench_main(argc, argv, table,
                      sizeof table / sizeof table[0] - 1);
}
