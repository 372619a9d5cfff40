/*
 * sync/lock-threads: Lock and RLock owned by a thread named Worker (in the
 * main process and in a child), seen and released from the main thread; a
 * thread waiting on a Condition.
 */
#include <mpr.h>

#include "support.h"

#include <pthread.h>
#include <stdio.h>

static void print_repr(const char *label, mpr_semlock_t *s)
{
    char *r;

    if (mpr_semlock_repr(s, &r, NULL) == 0) {
        printf("%s %s\n", label, r);
        mpr_free(r);
    }
}

static void print_cond(const char *label, const char *before, mpr_cond_t *c)
{
    char *r;

    if (mpr_cond_repr(c, &r, NULL) == 0) {
        printf("%s %s%s\n", label, before, r);
        mpr_free(r);
    }
}

struct holder_args {
    mpr_semlock_t *lock;
    int times;
    mpr_event_t *held, *done;
    int release;
};

static void *holder(void *p)
{
    struct holder_args *a = p;

    pthread_setname_np(pthread_self(), "Worker");
    for (int i = 0; i < a->times; i++)
        mpr_semlock_acquire(a->lock, 1, MPR_TIMEOUT_NONE);
    print_repr("Worker holds:", a->lock);
    mpr_event_set(a->held);
    mpr_event_wait(a->done, MPR_TIMEOUT_NONE);
    if (a->release) {
        for (int i = 0; i < a->times; i++)
            mpr_semlock_release(a->lock);
        print_repr("Worker released:", a->lock);
    }
    return NULL;
}

struct waiter_args {
    mpr_cond_t *cond;
    mpr_event_t *ready;
};

static void *waiter(void *p)
{
    struct waiter_args *a = p;
    int w;

    pthread_setname_np(pthread_self(), "Worker");
    mpr_cond_enter(a->cond);
    mpr_event_set(a->ready);
    w = mpr_cond_wait(a->cond, 30);
    print_cond("Worker woken:", w ? "True " : "False ", a->cond);
    mpr_cond_exit(a->cond);
    return NULL;
}

/* child(lock, rlock) */
static int child(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    struct holder_args ha = {.times = 1, .release = 1};
    mpr_rlock_t *rlock;
    pthread_t t;
    int r;

    (void)kwargs;
    if ((ha.lock = case_arg(args, 0, MPR_HANDLE_SEMLOCK)) == NULL ||
        (rlock = case_arg(args, 1, MPR_HANDLE_SEMLOCK)) == NULL)
        return mpr_last_error();
    if ((r = mpr_event_new(&ha.held)) < 0 || (r = mpr_event_new(&ha.done)) < 0)
        return r;
    if (pthread_create(&t, NULL, holder, &ha) != 0)
        return -1;
    mpr_event_wait(ha.held, MPR_TIMEOUT_NONE);
    print_repr("child main thread sees:", ha.lock);
    mpr_event_set(ha.done);
    pthread_join(t, NULL);
    mpr_rlock_enter(rlock);
    print_repr("child main thread holds:", rlock);
    mpr_rlock_exit(rlock);
    mpr_event_free(ha.held);
    mpr_event_free(ha.done);
    return 0;
}
MPR_TARGET(child)

int main(int argc, char **argv)
{
    struct holder_args ha = {.times = 1};
    struct waiter_args wa;
    mpr_event_t *held, *done;
    mpr_lock_t *lock;
    mpr_rlock_t *rlock;
    mpr_process_t *p;
    mpr_obj_t *args;
    char *lr, *rr;
    pthread_t t;
    int r, code;

    if (mpr_main(argc, argv) < 0 || mpr_lock_new(&lock) < 0 ||
        mpr_event_new(&held) < 0 || mpr_event_new(&done) < 0)
        return 1;
    ha.lock = lock;
    ha.held = held;
    ha.done = done;
    if (pthread_create(&t, NULL, holder, &ha) != 0)
        return 1;
    mpr_event_wait(held, MPR_TIMEOUT_NONE);
    print_repr("main thread sees:", lock);
    printf("acquire(False): %s\n",
           case_bool(mpr_lock_acquire(lock, 0, MPR_TIMEOUT_NONE)));
    printf("acquire(timeout=0.1): %s\n",
           case_bool(mpr_lock_acquire(lock, 1, 0.1)));
    if (mpr_lock_release(lock) == 0)
        print_repr("main thread releases it: None", lock);
    mpr_event_set(done);
    pthread_join(t, NULL);

    if (mpr_rlock_new(&rlock) < 0)
        return 1;
    mpr_event_clear(held);
    mpr_event_clear(done);
    ha.lock = rlock;
    ha.times = 2;
    ha.release = 1;
    if (pthread_create(&t, NULL, holder, &ha) != 0)
        return 1;
    mpr_event_wait(held, MPR_TIMEOUT_NONE);
    print_repr("main thread sees:", rlock);
    printf("acquire(False): %s\n",
           case_bool(mpr_rlock_acquire(rlock, 0, MPR_TIMEOUT_NONE)));
    printf("acquire(timeout=0.1): %s\n",
           case_bool(mpr_rlock_acquire(rlock, 1, 0.1)));
    if ((r = mpr_rlock_release(rlock)) < 0)
        printf("main thread release(): %s %s\n", mpr_err_pytype(r),
               mpr_last_error_detail());
    mpr_event_set(done);
    pthread_join(t, NULL);
    print_repr("after the thread:", rlock);
    mpr_rlock_enter(rlock);
    print_repr("main thread holds:", rlock);
    mpr_rlock_exit(rlock);

    if (mpr_cond_new(&wa.cond, NULL) < 0 || mpr_event_new(&wa.ready) < 0)
        return 1;
    if (pthread_create(&t, NULL, waiter, &wa) != 0)
        return 1;
    mpr_event_wait(wa.ready, MPR_TIMEOUT_NONE);
    mpr_cond_enter(wa.cond);
    print_cond("one thread waiting:", "", wa.cond);
    mpr_cond_notify(wa.cond, 1);
    mpr_cond_exit(wa.cond);
    pthread_join(t, NULL);
    print_cond("after notify():", "", wa.cond);
    mpr_cond_free(wa.cond);
    mpr_event_free(wa.ready);

    args = mpr_obj_tuple_steal(2, mpr_obj_handle(MPR_HANDLE_SEMLOCK, lock),
                               mpr_obj_handle(MPR_HANDLE_SEMLOCK, rlock));
    {
        mpr_process_options_t po = {.target = child, .args = args};
        if (args == NULL || mpr_process_new(&p, &po) < 0 ||
            mpr_process_start(p) < 0)
            return 1;
    }
    mpr_obj_decref(args);
    mpr_process_join(p, MPR_TIMEOUT_NONE);
    if (mpr_process_exitcode(p, &code) != 1)
        code = -999;
    mpr_process_free(p);
    if (mpr_semlock_repr(lock, &lr, NULL) == 0) {
        if (mpr_semlock_repr(rlock, &rr, NULL) == 0) {
            printf("child exitcode: %d %s %s\n", code, lr, rr);
            mpr_free(rr);
        }
        mpr_free(lr);
    }
    mpr_event_free(held);
    mpr_event_free(done);
    mpr_rlock_free(rlock);
    mpr_lock_free(lock);
    return 0;
}
