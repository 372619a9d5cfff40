/*
 * sync/lock-square-corrected: four processes each sleep 3-5 s and print a
 * square, one at a time under a shared Lock, with the times they held it
 * (printed and flushed while holding it).
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int square(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    int64_t n = mpr_obj_int_value(mpr_obj_item(args, 0));
    mpr_lock_t *lock;
    int rand_int;

    (void)kwargs;
    if ((lock = case_arg(args, 1, MPR_HANDLE_SEMLOCK)) == NULL)
        return mpr_last_error();
    mpr_lock_enter(lock);
    double taken = case_now();
    rand_int = case_randint(3, 5);
    mpr_sleep(rand_int);
    printf("Sleep %d Seconds......\n", rand_int);
    printf("%lld squared is %lld\n", (long long)n, (long long)(n * n));
    printf("held from %.6f to %.6f\n", taken, case_now());
    fflush(stdout);
    mpr_lock_exit(lock);
    return 0;
}
MPR_TARGET(square)

int main(int argc, char **argv)
{
    mpr_process_options_t opts = {.target = square};
    mpr_process_t *process_list[4];
    mpr_obj_t *args;
    mpr_lock_t *lock;

    if (mpr_main(argc, argv) < 0 || mpr_lock_new(&lock) < 0)
        return 1;
    for (int n = 0; n < 4; n++) {
        args = mpr_obj_tuple_steal(2, mpr_obj_int(n),
                                   mpr_obj_handle(MPR_HANDLE_SEMLOCK, lock));
        opts.args = args;
        if (mpr_process_new(&process_list[n], &opts) < 0)
            return 1;
        mpr_obj_decref(args);
    }
    for (int n = 0; n < 4; n++)
        if (mpr_process_start(process_list[n]) < 0)
            return 1;
    for (int n = 0; n < 4; n++) {
        mpr_process_join(process_list[n], MPR_TIMEOUT_NONE);
        mpr_process_free(process_list[n]);
    }
    mpr_lock_free(lock);
    return 0;
}
