/*
 * sync/lock-hello: ten processes print "hello world i" one at a time under
 * a Lock local to pros_communication_lock(); nobody joins them (the exit
 * handler does).
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

static int f_lock(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_lock_t *l;
    int r;

    (void)kwargs;
    if ((l = case_arg(args, 0, MPR_HANDLE_SEMLOCK)) == NULL)
        return mpr_last_error();
    mpr_lock_acquire(l, 1, MPR_TIMEOUT_NONE);
    printf("hello world %lld\n",
           (long long)mpr_obj_int_value(mpr_obj_item(args, 1)));
    r = mpr_lock_release(l);
    return r;
}
MPR_TARGET(f_lock)

static int pros_communication_lock(void)
{
    mpr_process_options_t opts = {.target = f_lock};
    mpr_obj_t *args;
    mpr_process_t *p;
    mpr_lock_t *lock;

    if (mpr_lock_new(&lock) < 0)
        return -1;
    for (int num = 0; num < 10; num++) {
        args = mpr_obj_tuple_steal(2, mpr_obj_handle(MPR_HANDLE_SEMLOCK, lock),
                                   mpr_obj_int(num));
        opts.args = args;
        if (mpr_process_new(&p, &opts) < 0 || mpr_process_start(p) < 0)
            return -1;
        mpr_obj_decref(args);
        mpr_process_free(p);
    }
    /* The local `lock` goes away with the function, as in Python: forked
     * children hold their own descriptor of it. */
    mpr_lock_free(lock);
    return 0;
}

int main(int argc, char **argv)
{
    if (mpr_main(argc, argv) < 0 || pros_communication_lock() < 0)
        return 1;
    return 0;
}
