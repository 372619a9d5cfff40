/*
 * process/ten-sleeps-join: ten processes sleeping 1.0 s each, started one after
 * the other, then all joined: about one second in all. time.perf_counter() is
 * CLOCK_MONOTONIC (mpr_monotonic); the sleep is scaled by MP_TIME_SCALE like
 * the shim's time.sleep.  The f-string {sleep_sec} is repr(float).
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
    mpr_process_t *processes[10];
    mpr_obj_t *args = mpr_obj_tuple_steal(1, mpr_obj_float(1.0));
    mpr_process_options_t o = {.target = sleep_target, .args = args};

    /* Creates 10 processes then starts them */
    for (int i = 0; i < 10; i++)
        if (args == NULL || mpr_process_new(&processes[i], &o) < 0 ||
            mpr_process_start(processes[i]) < 0)
            return 1;
    mpr_obj_decref(args);
    /* Joins all the processes */
    for (int i = 0; i < 10; i++) {
        mpr_process_join(processes[i], MPR_TIMEOUT_NONE);
        mpr_process_free(processes[i]);
    }
    finish_time = mpr_monotonic();
    printf("Program finished in %.3f seconds\n", finish_time - start_time);
    return 0;
}
