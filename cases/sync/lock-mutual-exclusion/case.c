/*
 * sync/lock-mutual-exclusion: five processes hold a shared Lock one at a
 * time for a second each; enter/exit lines never interleave.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

static int work(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    long long i = (long long)mpr_obj_int_value(mpr_obj_item(args, 1));
    mpr_lock_t *lock;

    (void)kwargs;
    if ((lock = case_arg(args, 0, MPR_HANDLE_SEMLOCK)) == NULL)
        return mpr_last_error();
    mpr_lock_enter(lock);
    printf("enter %lld\n", i);
    fflush(stdout);
    mpr_sleep(1);
    printf("exit %lld\n", i);
    fflush(stdout);
    mpr_lock_exit(lock);
    return 0;
}
MPR_TARGET(work)

int main(int argc, char **argv)
{
    mpr_process_options_t opts = {.target = work};
    mpr_obj_t *args;
    mpr_process_t *ps[5];
    mpr_lock_t *lock;

    if (mpr_main(argc, argv) < 0 || mpr_lock_new(&lock) < 0)
        return 1;
    for (int i = 0; i < 5; i++) {
        args = mpr_obj_tuple_steal(2, mpr_obj_handle(MPR_HANDLE_SEMLOCK, lock),
                                   mpr_obj_int(i));
        opts.args = args;
        if (mpr_process_new(&ps[i], &opts) < 0)
            return 1;
        mpr_obj_decref(args);
    }
    for (int i = 0; i < 5; i++)
        if (mpr_process_start(ps[i]) < 0)
            return 1;
    for (int i = 0; i < 5; i++) {
        mpr_process_join(ps[i], MPR_TIMEOUT_NONE);
        mpr_process_free(ps[i]);
    }
    mpr_lock_free(lock);
    return 0;
}
