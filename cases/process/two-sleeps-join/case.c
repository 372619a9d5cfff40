/*
 * process/two-sleeps-join: two processes sleeping 0.5 s (the default argument)
 * in parallel, both joined. time.perf_counter() is CLOCK_MONOTONIC
 * (mpr_monotonic); the sleep is scaled by MP_TIME_SCALE like the shim's
 * time.sleep.  The f-string {sleep_sec} is repr(float).
 */
#include <mpr.h>

#include <stdio.h>

/* sleep(sleep_sec=0.5) */
static int sleep_target(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_obj_t *sec = mpr_obj_len(args) > 0
                         ? mpr_obj_incref(mpr_obj_item(args, 0))
                         : mpr_obj_float(0.5);
    double secs = 0;
    char *r = NULL;

    (void)kwargs;
    if (sec == NULL || mpr_obj_repr(sec, &r, NULL) < 0 ||
        mpr_obj_as_double(sec, &secs) < 0)
        return -1;
    printf("Sleeping for %s seconds\n", r);
    mpr_free(r);
    mpr_obj_decref(sec);
    mpr_sleep(secs);
    printf("Finished sleeping\n");
    return 0;
}
MPR_TARGET(sleep_target)

int main(int argc, char **argv)
{
    double start_time, finish_time;

    if (mpr_main(argc, argv) < 0)
        return 1;
    start_time = mpr_monotonic();
    mpr_process_t *p1, *p2;
    mpr_process_options_t o = {.target = sleep_target};

    /* Creates two processes */
    if (mpr_process_new(&p1, &o) < 0 || mpr_process_new(&p2, &o) < 0)
        return 1;
    /* Starts both processes */
    if (mpr_process_start(p1) < 0 || mpr_process_start(p2) < 0)
        return 1;
    mpr_process_join(p1, MPR_TIMEOUT_NONE);
    mpr_process_join(p2, MPR_TIMEOUT_NONE);
    mpr_process_free(p1);
    mpr_process_free(p2);
    finish_time = mpr_monotonic();
    printf("Program finished in %.3f seconds\n", finish_time - start_time);
    return 0;
}
