/*
 * sync/rlock-recursive: an RLock taken twice by its owner stays held for
 * another process until the second release; a third release is
 * AssertionError.  The child reports through a Queue.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

static int try_lock(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_queue_t *results;
    mpr_rlock_t *rlock;
    mpr_obj_t *got;
    int r, ok;

    (void)kwargs;
    if ((rlock = case_arg(args, 0, MPR_HANDLE_SEMLOCK)) == NULL ||
        (results = case_arg(args, 1, MPR_HANDLE_QUEUE)) == NULL)
        return mpr_last_error();
    if ((ok = mpr_rlock_acquire(rlock, 1, 0.2)) < 0)
        return ok;
    got = mpr_obj_bool(ok);
    r = mpr_queue_put(results, got, 1, MPR_TIMEOUT_NONE);
    mpr_obj_decref(got);
    if (ok)
        mpr_rlock_release(rlock);
    return r;
}
MPR_TARGET(try_lock)

static const char *attempt(mpr_rlock_t *rlock, mpr_queue_t *results)
{
    mpr_process_options_t opts = {.target = try_lock};
    mpr_obj_t *args, *got = NULL;
    mpr_process_t *p;
    int truth = 0;

    args = mpr_obj_tuple_steal(2, mpr_obj_handle(MPR_HANDLE_SEMLOCK, rlock),
                               mpr_obj_handle(MPR_HANDLE_QUEUE, results));
    opts.args = args;
    if (mpr_process_new(&p, &opts) < 0 || mpr_process_start(p) < 0)
        return "?";
    mpr_obj_decref(args);
    if (mpr_queue_get(results, &got, 1, MPR_TIMEOUT_NONE) == 0)
        truth = mpr_obj_truth(got);
    mpr_obj_decref(got);
    mpr_process_join(p, MPR_TIMEOUT_NONE);
    mpr_process_free(p);
    return case_bool(truth);
}

int main(int argc, char **argv)
{
    mpr_queue_t *results;
    mpr_rlock_t *rlock;
    int r;

    if (mpr_main(argc, argv) < 0 || mpr_rlock_new(&rlock) < 0 ||
        mpr_queue_new(&results, 0) < 0)
        return 1;
    printf("first acquire(): %s\n",
           case_bool(mpr_rlock_acquire(rlock, 1, MPR_TIMEOUT_NONE)));
    printf("second acquire() by the owner: %s\n",
           case_bool(mpr_rlock_acquire(rlock, 1, 0.2)));
    printf("another process can acquire: %s\n", attempt(rlock, results));
    mpr_rlock_release(rlock);
    printf("after one release(), another process can acquire: %s\n",
           attempt(rlock, results));
    mpr_rlock_release(rlock);
    printf("after two release(), another process can acquire: %s\n",
           attempt(rlock, results));
    if ((r = mpr_rlock_release(rlock)) < 0)
        printf("third release(): %s %s\n", mpr_err_pytype(r),
               mpr_last_error_detail());
    mpr_queue_free(results);
    mpr_rlock_free(rlock);
    return 0;
}
