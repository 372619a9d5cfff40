/*
 * sync/lock-acquire-release: acquire's results in the owner and in a
 * child, the reprs, releasing an unlocked Lock, `with lock:`.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>

static void print_repr(const char *label, mpr_lock_t *lock)
{
    char *s;

    if (mpr_lock_repr(lock, &s, NULL) == 0) {
        printf("%s %s\n", label, s);
        mpr_free(s);
    }
}

static int child(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_event_t *tried;
    mpr_lock_t *lock;

    (void)kwargs;
    if ((lock = case_arg(args, 0, MPR_HANDLE_SEMLOCK)) == NULL ||
        (tried = case_arg(args, 1, MPR_HANDLE_EVENT)) == NULL)
        return mpr_last_error();
    printf("child acquire(False): %s\n",
           case_bool(mpr_lock_acquire(lock, 0, MPR_TIMEOUT_NONE)));
    printf("child acquire(timeout=0.1): %s\n",
           case_bool(mpr_lock_acquire(lock, 1, 0.1)));
    mpr_event_set(tried);
    printf("child acquire(): %s\n",
           case_bool(mpr_lock_acquire(lock, 1, MPR_TIMEOUT_NONE)));
    print_repr("child holds:", lock);
    return mpr_lock_release(lock);
}
MPR_TARGET(child)

int main(int argc, char **argv)
{
    mpr_process_options_t opts = {.target = child};
    mpr_obj_t *args;
    mpr_event_t *tried;
    mpr_lock_t *lock;
    mpr_process_t *p;
    int code, r;

    if (mpr_main(argc, argv) < 0 || mpr_lock_new(&lock) < 0 ||
        mpr_event_new(&tried) < 0)
        return 1;
    print_repr("free:", lock);
    printf("acquire(): %s\n",
           case_bool(mpr_lock_acquire(lock, 1, MPR_TIMEOUT_NONE)));
    print_repr("held:", lock);
    printf("acquire(False) again: %s\n",
           case_bool(mpr_lock_acquire(lock, 0, MPR_TIMEOUT_NONE)));
    args = mpr_obj_tuple_steal(2, mpr_obj_handle(MPR_HANDLE_SEMLOCK, lock),
                               mpr_obj_handle(MPR_HANDLE_EVENT, tried));
    opts.args = args;
    if (mpr_process_new(&p, &opts) < 0 || mpr_process_start(p) < 0)
        return 1;
    mpr_obj_decref(args);
    mpr_event_wait(tried, MPR_TIMEOUT_NONE);
    mpr_lock_release(lock);
    mpr_process_join(p, MPR_TIMEOUT_NONE);
    if (mpr_process_exitcode(p, &code) == 1)
        printf("exitcode: %d\n", code);
    print_repr("after child:", lock);
    if ((r = mpr_lock_release(lock)) < 0) {
        /* except ValueError as e: print(..., type(e).__name__, e) */
        printf("release unlocked: %s %s\n", mpr_err_pytype(r),
               mpr_last_error_detail());
    }
    mpr_lock_enter(lock);
    print_repr("with lock:", lock);
    mpr_lock_exit(lock);
    mpr_process_free(p);
    mpr_event_free(tried);
    mpr_lock_free(lock);
    return 0;
}
