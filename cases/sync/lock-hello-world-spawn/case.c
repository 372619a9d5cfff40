/*
 * sync/lock-hello-world: (spawn, forkserver) ten processes print "hello world
 * i" one at a time under a shared Lock; the parent does not join them (the exit
 * handler does).
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

static int f(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_lock_t *l;
    int r;

    (void)kwargs;
    /* The lock travels as CPython pickles it for the child. */
    if ((l = case_arg(args, 0, MPR_HANDLE_SEMLOCK)) == NULL)
        return mpr_last_error();
    mpr_lock_acquire(l, 1, MPR_TIMEOUT_NONE);
    printf("hello world %lld\n",
           (long long)mpr_obj_int_value(mpr_obj_item(args, 1)));
    r = mpr_lock_release(l);
    return r;
}
MPR_TARGET(f)

int main(int argc, char **argv)
{
    mpr_process_options_t opts = {.target = f};
    mpr_obj_t *args;
    mpr_process_t *p;
    mpr_lock_t *lock;

    if (mpr_main(argc, argv) < 0 || mpr_lock_new(&lock) < 0)
        return 1;
    for (int num = 0; num < 10; num++) {
        args = mpr_obj_tuple_steal(2, mpr_obj_handle(MPR_HANDLE_SEMLOCK, lock),
                                   mpr_obj_int(num));
        opts.args = args;
        if (mpr_process_new(&p, &opts) < 0 || mpr_process_start(p) < 0)
            return 1;
        mpr_obj_decref(args);
        mpr_process_free(p);
    }
    /* The lock stays alive (and its descriptor open) until the children
     * are joined, as the Python program's module-level `lock` does: run
     * the exit handler's work here (it runs once), then free. */
    mpr_exit_function();
    mpr_lock_free(lock);
    return 0;
}
