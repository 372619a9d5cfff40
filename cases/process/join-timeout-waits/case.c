/*
 * process/join-timeout-waits: join(0.3) on a child that sleeps longer
 * waits the whole 0.3 s (measured on the monotonic clock) and leaves the
 * child alive; terminate() then ends it with -SIGTERM.
 */
#include <mpr.h>

#include <stdio.h>
#include <time.h>

static int f(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args, (void)kwargs;
    mpr_sleep(5);
    return 0;
}
MPR_TARGET(f)

static double monotonic(void) /* time.monotonic() */
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    mpr_process_t *p;
    mpr_process_options_t o = {.target = f};
    double t, waited;
    int code;

    if (mpr_main(argc, argv) < 0 || mpr_process_new(&p, &o) < 0 ||
        mpr_process_start(p) < 0)
        return 1;
    t = monotonic();
    mpr_process_join(p, 0.3);
    waited = monotonic() - t;
    printf("join(0.3): None alive: %s\n",
           mpr_process_is_alive(p) ? "True" : "False");
    printf("waited at least 0.3 s: %s\n", waited >= 0.3 ? "True" : "False");
    printf("waited less than 2 s: %s\n", waited < 2 ? "True" : "False");
    if (mpr_process_terminate(p) < 0 ||
        mpr_process_join(p, MPR_TIMEOUT_NONE) < 0 ||
        mpr_process_exitcode(p, &code) != 1)
        return 1;
    printf("exitcode: %d\n", code);
    mpr_process_free(p);
    return 0;
}
