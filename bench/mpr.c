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

static const bench_t table[] = {
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
