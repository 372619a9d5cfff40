/*
 * sync/lock-rlock-contracts: Lock and RLock acquire results (block=False,
 * timeouts, negative timeouts), release errors, a Lock released by a
 * process that does not hold it, an RLock's owner and count in its repr.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

static void print_repr(const char *label, mpr_semlock_t *s)
{
    char *r;

    if (mpr_semlock_repr(s, &r, NULL) == 0) {
        printf("%s %s\n", label, r);
        mpr_free(r);
    }
}

/* except <the expected class> as e: print(label, type(e).__name__, e) */
static void print_error(const char *label, int r)
{
    if (r < 0)
        printf("%s %s %s\n", label, mpr_err_pytype(r), mpr_last_error_detail());
    else
        printf("%s no error\n", label);
}

static void timed(const char *label, mpr_semlock_t *s, int block,
                  double timeout)
{
    double t0 = mpr_monotonic();
    int r = mpr_semlock_acquire(s, block, timeout);

    printf("%s: %s after %.3f s\n", label, case_bool(r), mpr_monotonic() - t0);
}

/* hold(lock, held, done, release) */
static int hold(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_semlock_t *lock;
    mpr_event_t *held, *done;
    int r = 0;

    (void)kwargs;
    if ((lock = case_arg(args, 0, MPR_HANDLE_SEMLOCK)) == NULL ||
        (held = case_arg(args, 1, MPR_HANDLE_EVENT)) == NULL ||
        (done = case_arg(args, 2, MPR_HANDLE_EVENT)) == NULL)
        return mpr_last_error();
    mpr_semlock_acquire(lock, 1, MPR_TIMEOUT_NONE);
    mpr_event_set(held);
    mpr_event_wait(done, MPR_TIMEOUT_NONE);
    if (mpr_obj_truth(mpr_obj_item(args, 3)))
        r = mpr_semlock_release(lock);
    return r;
}
MPR_TARGET(hold)

static int release_foreign(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_rlock_t *rlock;

    (void)kwargs;
    if ((rlock = case_arg(args, 0, MPR_HANDLE_SEMLOCK)) == NULL)
        return mpr_last_error();
    print_repr("child sees:", rlock);
    printf("child acquire(False): %s\n",
           case_bool(mpr_rlock_acquire(rlock, 0, MPR_TIMEOUT_NONE)));
    print_error("child release():", mpr_rlock_release(rlock));
    return 0;
}
MPR_TARGET(release_foreign)

static void join_free(mpr_process_t *p)
{
    int code;

    mpr_process_join(p, MPR_TIMEOUT_NONE);
    if (mpr_process_exitcode(p, &code) == 1)
        printf("child exitcode: %d\n", code);
    mpr_process_free(p);
}

static mpr_obj_t *hold_args(mpr_semlock_t *s, mpr_event_t *held,
                            mpr_event_t *done, int release)
{
    return mpr_obj_tuple_steal(4, mpr_obj_handle(MPR_HANDLE_SEMLOCK, s),
                               mpr_obj_handle(MPR_HANDLE_EVENT, held),
                               mpr_obj_handle(MPR_HANDLE_EVENT, done),
                               mpr_obj_bool(release));
}

int main(int argc, char **argv)
{
    mpr_event_t *held, *done;
    mpr_lock_t *lock;
    mpr_rlock_t *rlock;
    mpr_process_t *p;
    int a, b, c;

    if (mpr_main(argc, argv) < 0 || mpr_lock_new(&lock) < 0 ||
        mpr_rlock_new(&rlock) < 0 || mpr_event_new(&held) < 0 ||
        mpr_event_new(&done) < 0)
        return 1;
    print_repr("lock:", lock);
    printf("acquire(): %s\n",
           case_bool(mpr_lock_acquire(lock, 1, MPR_TIMEOUT_NONE)));
    print_repr("held:", lock);
    printf("acquire(False): %s\n",
           case_bool(mpr_lock_acquire(lock, 0, MPR_TIMEOUT_NONE)));
    timed("acquire(False, 5)", lock, 0, 5);
    timed("acquire(True, -1)", lock, 1, -1);
    timed("acquire(timeout=0.3)", lock, 1, 0.3);
    if (mpr_lock_release(lock) == 0)
        printf("release(): None\n");
    print_error("release() unlocked:", mpr_lock_release(lock));
    printf("acquire(timeout=-5) free: %s\n",
           case_bool(mpr_lock_acquire(lock, 1, -5)));
    mpr_lock_release(lock);

    /* a child holds the Lock; the parent sees SomeOtherProcess and may
     * release it */
    if (case_start(&p, hold, hold_args(lock, held, done, 0)) < 0)
        return 1;
    mpr_event_wait(held, MPR_TIMEOUT_NONE);
    print_repr("child holds:", lock);
    printf("acquire(False) while child holds: %s\n",
           case_bool(mpr_lock_acquire(lock, 0, MPR_TIMEOUT_NONE)));
    if (mpr_lock_release(lock) == 0)
        printf("parent releases it: None\n");
    print_repr("after:", lock);
    printf("parent acquire(False): %s\n",
           case_bool(mpr_lock_acquire(lock, 0, MPR_TIMEOUT_NONE)));
    mpr_lock_release(lock);
    mpr_event_set(done);
    join_free(p);

    print_repr("rlock:", rlock);
    a = mpr_rlock_acquire(rlock, 1, MPR_TIMEOUT_NONE);
    b = mpr_rlock_acquire(rlock, 1, MPR_TIMEOUT_NONE);
    c = mpr_rlock_acquire(rlock, 1, MPR_TIMEOUT_NONE);
    printf("acquire() x3: %s %s %s\n", case_bool(a), case_bool(b),
           case_bool(c));
    print_repr("held 3:", rlock);
    printf("acquire(False) by owner: %s\n",
           case_bool(mpr_rlock_acquire(rlock, 0, MPR_TIMEOUT_NONE)));
    printf("acquire(timeout=0) by owner: %s\n",
           case_bool(mpr_rlock_acquire(rlock, 1, 0)));
    print_repr("held 5:", rlock);
    for (int i = 0; i < 4; i++)
        mpr_rlock_release(rlock);
    print_repr("after 4 releases:", rlock);

    /* a child that does not own it cannot acquire or release it */
    if (case_start(&p, release_foreign,
                   mpr_obj_tuple_steal(
                       1, mpr_obj_handle(MPR_HANDLE_SEMLOCK, rlock))) < 0)
        return 1;
    join_free(p);
    print_repr("still held 1:", rlock);
    mpr_rlock_release(rlock);
    print_repr("free:", rlock);
    print_error("release() one too many:", mpr_rlock_release(rlock));

    /* a child holds the RLock; the parent can neither take nor release it */
    mpr_event_clear(held);
    mpr_event_clear(done);
    if (case_start(&p, hold, hold_args(rlock, held, done, 1)) < 0)
        return 1;
    mpr_event_wait(held, MPR_TIMEOUT_NONE);
    print_repr("child holds:", rlock);
    timed("acquire(timeout=0.2) while child holds", rlock, 1, 0.2);
    print_error("parent release():", mpr_rlock_release(rlock));
    mpr_event_set(done);
    join_free(p);
    mpr_rlock_enter(rlock);
    mpr_rlock_enter(rlock);
    print_repr("with rlock twice:", rlock);
    mpr_rlock_exit(rlock);
    mpr_rlock_exit(rlock);
    print_repr("after with:", rlock);

    mpr_event_free(held);
    mpr_event_free(done);
    mpr_rlock_free(rlock);
    mpr_lock_free(lock);
    return 0;
}
