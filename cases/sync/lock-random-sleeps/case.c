/*
 * sync/lock-random-sleeps: ten processes take a shared Lock in turn, each
 * printing its id and a random sleep chosen by the parent.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int sleep_target(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    double value = mpr_obj_float_value(mpr_obj_item(args, 2));
    mpr_lock_t *lock;

    (void)kwargs;
    if ((lock = case_arg(args, 0, MPR_HANDLE_SEMLOCK)) == NULL)
        return mpr_last_error();
    mpr_lock_enter(lock);
    printf(">process %lld got the lock, sleeping for %.3f\n",
           (long long)mpr_obj_int_value(mpr_obj_item(args, 1)), value);
    mpr_sleep(value);
    mpr_lock_exit(lock);
    return 0;
}
MPR_TARGET(sleep_target)

int main(int argc, char **argv)
{
    mpr_process_options_t opts = {.target = sleep_target};
    mpr_process_t *processes[10];
    mpr_obj_t *args;
    mpr_lock_t *lock;

    if (mpr_main(argc, argv) < 0 || mpr_lock_new(&lock) < 0)
        return 1;
    for (int i = 0; i < 10; i++) {
        args =
            mpr_obj_tuple_steal(3, mpr_obj_handle(MPR_HANDLE_SEMLOCK, lock),
                                mpr_obj_int(i), mpr_obj_float(case_random()));
        opts.args = args;
        if (mpr_process_new(&processes[i], &opts) < 0)
            return 1;
        mpr_obj_decref(args);
    }
    for (int i = 0; i < 10; i++)
        if (mpr_process_start(processes[i]) < 0)
            return 1;
    for (int i = 0; i < 10; i++) {
        mpr_process_join(processes[i], MPR_TIMEOUT_NONE);
        mpr_process_free(processes[i]);
    }
    mpr_lock_free(lock);
    return 0;
}
