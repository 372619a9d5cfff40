/*
 * sync/condition-lock-levels: Condition.wait releases every level of an
 * RLock (or a Lock) so that another process can take it, and restores
 * them on return, notified or timed out.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

/* repr(cond) as a str object (new reference) */
static mpr_obj_t *repr_obj(mpr_cond_t *c)
{
    mpr_obj_t *o = NULL;
    char *r;

    if (mpr_cond_repr(c, &r, NULL) == 0) {
        o = mpr_obj_str(r);
        mpr_free(r);
    }
    return o;
}

static const char *rep(mpr_cond_t *c)
{
    static char buf[128];
    char *r;

    buf[0] = '\0';
    if (mpr_cond_repr(c, &r, NULL) == 0) {
        snprintf(buf, sizeof(buf), "%s", r);
        mpr_free(r);
    }
    return buf;
}

static int put_steal(mpr_queue_t *q, mpr_obj_t *o)
{
    int r =
        o == NULL ? mpr_last_error() : mpr_queue_put(q, o, 1, MPR_TIMEOUT_NONE);
    mpr_obj_decref(o);
    return r;
}

/* notifier(cond, results) */
static int notifier(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_queue_t *results;
    mpr_cond_t *cond;
    int r, got;

    (void)kwargs;
    if ((cond = case_arg(args, 0, MPR_HANDLE_COND)) == NULL ||
        (results = case_arg(args, 1, MPR_HANDLE_QUEUE)) == NULL)
        return mpr_last_error();
    got = mpr_cond_acquire(cond, 1, 30);
    r = put_steal(results,
                  mpr_obj_tuple_steal(2, mpr_obj_bool(got), repr_obj(cond)));
    mpr_cond_notify(cond, 1);
    mpr_cond_release(cond);
    return r;
}
MPR_TARGET(notifier)

/* prober(cond, results) */
static int prober(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_queue_t *results;
    mpr_cond_t *cond;
    int r, a, b;

    (void)kwargs;
    if ((cond = case_arg(args, 0, MPR_HANDLE_COND)) == NULL ||
        (results = case_arg(args, 1, MPR_HANDLE_QUEUE)) == NULL)
        return mpr_last_error();
    a = mpr_cond_acquire(cond, 0, MPR_TIMEOUT_NONE);
    b = mpr_cond_acquire(cond, 1, 0.2);
    r = put_steal(results,
                  mpr_obj_tuple_steal(3, mpr_obj_bool(a), mpr_obj_bool(b),
                                      repr_obj(cond)));
    return r;
}
MPR_TARGET(prober)

static mpr_process_t *start(mpr_target_t fn, mpr_cond_t *c, mpr_queue_t *q)
{
    mpr_obj_t *args = mpr_obj_tuple_steal(2, mpr_obj_handle(MPR_HANDLE_COND, c),
                                          mpr_obj_handle(MPR_HANDLE_QUEUE, q));
    mpr_process_t *p;

    mpr_process_options_t o = {.target = fn, .args = args};
    if (args == NULL || mpr_process_new(&p, &o) < 0 || mpr_process_start(p) < 0)
        return NULL;
    mpr_obj_decref(args);
    return p;
}

static void print_result(const char *label, mpr_queue_t *q)
{
    mpr_obj_t *o = NULL;
    char *r = NULL;

    if (mpr_queue_get(q, &o, 1, MPR_TIMEOUT_NONE) == 0 &&
        mpr_obj_repr(o, &r, NULL) == 0)
        printf("%s %s\n", label, r);
    mpr_free(r);
    mpr_obj_decref(o);
}

int main(int argc, char **argv)
{
    static const char *const names[2] = {"RLock", "Lock"};
    mpr_queue_t *results;
    mpr_process_t *p;
    mpr_lock_t *lock;
    mpr_cond_t *cond;
    double t0;
    int r, code;

    if (mpr_main(argc, argv) < 0 || mpr_queue_new(&results, 0) < 0)
        return 1;
    for (int k = 0; k < 2; k++) {
        int levels = k == 0 ? 2 : 1;
        if (k == 0) {
            if (mpr_cond_new(&cond, NULL) < 0)
                return 1;
        } else {
            if (mpr_lock_new(&lock) < 0 || mpr_cond_new(&cond, lock) < 0)
                return 1;
            mpr_lock_free(lock);
        }
        for (int i = 0; i < levels; i++)
            mpr_cond_acquire(cond, 1, MPR_TIMEOUT_NONE);
        printf("%s held: %s\n", names[k], rep(cond));
        if ((p = start(prober, cond, results)) == NULL)
            return 1;
        print_result("child acquire(False), acquire(timeout=0.2), repr:",
                     results);
        mpr_process_join(p, MPR_TIMEOUT_NONE);
        mpr_process_free(p);
        t0 = mpr_monotonic();
        r = mpr_cond_wait(cond, 0.2);
        printf("wait(0.2): %s, %s, not early: %s\n", case_bool(r), rep(cond),
               case_bool(mpr_monotonic() - t0 >= 0.199));
        if ((p = start(notifier, cond, results)) == NULL)
            return 1;
        r = mpr_cond_wait(cond, 30);
        printf("wait(30): %s %s\n", case_bool(r), rep(cond));
        print_result("the child took the lock while the parent waited:",
                     results);
        mpr_process_join(p, MPR_TIMEOUT_NONE);
        if (mpr_process_exitcode(p, &code) != 1)
            code = -999;
        mpr_process_free(p);
        for (int i = 0; i < levels; i++)
            mpr_cond_release(cond);
        printf("released: %s child exit codes 0: %s\n", rep(cond),
               case_bool(code == 0));
        mpr_cond_free(cond);
    }
    mpr_queue_free(results);
    return 0;
}
