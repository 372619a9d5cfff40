/*
 * sync/condition-contracts: wait/notify without the lock, wait and
 * wait_for timeouts, notify(n) waking exactly n of six waiters in other
 * processes after three timed-out waiters, wait_for on a shared Value.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

/* repr(c) in a static buffer (enough for these reprs) */
static const char *rep(mpr_cond_t *c)
{
    static char bufs[2][96];
    static int which;
    char *r, *out = bufs[which ^= 1];

    out[0] = '\0';
    if (mpr_cond_repr(c, &r, NULL) == 0) {
        snprintf(out, sizeof(bufs[0]), "%s", r);
        mpr_free(r);
    }
    return out;
}

static void print_obj(const char *label, mpr_obj_t *o)
{
    char *r = NULL;

    if (o != NULL && mpr_obj_repr(o, &r, NULL) == 0)
        printf("%s %s\n", label, r);
    mpr_free(r);
}

static int const_pred(void *arg)
{
    return *(const int *)arg;
}

struct value_pred {
    mpr_value_t *v;
    int64_t target;
};

static int value_pred(void *arg)
{
    struct value_pred *p = arg;
    int64_t x = 0;

    mpr_value_get_int64(p->v, &x);
    return x == p->target;
}

/* timed(label, lambda: wait(timeout)) / wait_for(lambda: k, timeout) */
static void timed_wait(const char *label, mpr_cond_t *c, double timeout)
{
    double t0 = mpr_monotonic();
    int r = mpr_cond_wait(c, timeout);

    printf("%s: %s after %.3f s\n", label, case_bool(r), mpr_monotonic() - t0);
}

static void timed_wait_for(const char *label, mpr_cond_t *c, int k,
                           double timeout)
{
    double t0 = mpr_monotonic();
    int r = mpr_cond_wait_for(c, const_pred, &k, timeout);

    printf("%s: %d after %.3f s\n", label, r, mpr_monotonic() - t0);
}

static int put_steal(mpr_queue_t *q, mpr_obj_t *o)
{
    int r =
        o == NULL ? mpr_last_error() : mpr_queue_put(q, o, 1, MPR_TIMEOUT_NONE);
    mpr_obj_decref(o);
    return r;
}

static int timed_waiter(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_queue_t *results;
    mpr_cond_t *cond;
    int r, w;

    (void)kwargs;
    if ((cond = case_arg(args, 0, MPR_HANDLE_COND)) == NULL ||
        (results = case_arg(args, 1, MPR_HANDLE_QUEUE)) == NULL)
        return mpr_last_error();
    mpr_cond_enter(cond);
    w = mpr_cond_wait(cond, 0.3);
    mpr_cond_exit(cond);
    r = put_steal(results,
                  mpr_obj_tuple_steal(2, mpr_obj_incref(mpr_obj_item(args, 2)),
                                      mpr_obj_bool(w)));
    return r;
}
MPR_TARGET(timed_waiter)

static int waiter(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_queue_t *results;
    mpr_cond_t *cond;
    mpr_sem_t *ready;
    int r, w;

    (void)kwargs;
    if ((cond = case_arg(args, 0, MPR_HANDLE_COND)) == NULL ||
        (ready = case_arg(args, 1, MPR_HANDLE_SEMLOCK)) == NULL ||
        (results = case_arg(args, 2, MPR_HANDLE_QUEUE)) == NULL)
        return mpr_last_error();
    mpr_cond_enter(cond);
    mpr_sem_release(ready);
    w = mpr_cond_wait(cond, 60);
    mpr_cond_exit(cond);
    r = put_steal(results,
                  mpr_obj_tuple_steal(2, mpr_obj_incref(mpr_obj_item(args, 3)),
                                      mpr_obj_bool(w)));
    return r;
}
MPR_TARGET(waiter)

/* wait_for_value(cond, ready, v, results, target, timeout) */
static int wait_for_value(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    struct value_pred pred;
    mpr_queue_t *results;
    mpr_obj_t *to = mpr_obj_item(args, 5);
    mpr_cond_t *cond;
    mpr_sem_t *ready;
    double t0, elapsed;
    int64_t value = 0;
    int r, w;

    (void)kwargs;
    if ((cond = case_arg(args, 0, MPR_HANDLE_COND)) == NULL ||
        (ready = case_arg(args, 1, MPR_HANDLE_SEMLOCK)) == NULL ||
        (pred.v = case_arg(args, 2, MPR_HANDLE_VALUE)) == NULL ||
        (results = case_arg(args, 3, MPR_HANDLE_QUEUE)) == NULL)
        return mpr_last_error();
    pred.target = mpr_obj_int_value(mpr_obj_item(args, 4));
    mpr_cond_enter(cond);
    mpr_sem_release(ready);
    t0 = mpr_monotonic();
    w = mpr_cond_wait_for(cond, value_pred, &pred,
                          mpr_obj_is_none(to) ? MPR_TIMEOUT_NONE
                                              : mpr_obj_float_value(to));
    elapsed = mpr_monotonic() - t0;
    mpr_value_get_int64(pred.v, &value);
    mpr_cond_exit(cond);
    r = put_steal(results, mpr_obj_tuple_steal(
                               4, mpr_obj_int(pred.target), mpr_obj_bool(w),
                               mpr_obj_int(value), mpr_obj_float(elapsed)));
    return r;
}
MPR_TARGET(wait_for_value)

static mpr_obj_t *get(mpr_queue_t *q)
{
    mpr_obj_t *o = NULL;
    mpr_queue_get(q, &o, 1, MPR_TIMEOUT_NONE);
    return o;
}

static void join_all(mpr_process_t **ps, int n, int *codes)
{
    for (int i = 0; i < n; i++) {
        mpr_process_join(ps[i], MPR_TIMEOUT_NONE);
        if (codes != NULL && mpr_process_exitcode(ps[i], &codes[i]) != 1)
            codes[i] = -999;
        mpr_process_free(ps[i]);
    }
}

static void print_error(const char *label, int r)
{
    if (r < 0)
        printf("%s %s %s\n", label, mpr_err_pytype(r), mpr_last_error_detail());
    else
        printf("%s no error\n", label);
}

int main(int argc, char **argv)
{
    mpr_process_t *ps[6];
    mpr_cond_t *cond, *lcond, *tmp;
    mpr_sync_options_t raw = {.raw = 1};
    mpr_lock_t *lock;
    mpr_sem_t *ready;
    mpr_queue_t *results;
    mpr_value_t *v;
    mpr_obj_t *list, *woken[6], *got[2], *o, *zero;
    int codes[6], all_true, r;

    if (mpr_main(argc, argv) < 0 || mpr_cond_new(&cond, NULL) < 0)
        return 1;
    printf("condition: %s\n", rep(cond));
    if (mpr_lock_new(&lock) < 0 || mpr_cond_new(&tmp, lock) < 0)
        return 1;
    mpr_lock_free(lock);
    printf("with a Lock: %s\n", rep(tmp));
    mpr_cond_free(tmp);
    print_error("wait() without the lock:",
                mpr_cond_wait(cond, MPR_TIMEOUT_NONE));
    print_error("notify() without the lock:", mpr_cond_notify(cond, 1));
    print_error("notify_all() without the lock:", mpr_cond_notify_all(cond));
    mpr_cond_enter(cond);
    printf("held: %s\n", rep(cond));
    timed_wait("wait(0.2)", cond, 0.2);
    timed_wait("wait(0)", cond, 0);
    timed_wait("wait(-1)", cond, -1);
    if (mpr_cond_notify(cond, 1) == 0)
        printf("notify() with no waiters: None\n");
    timed_wait_for("wait_for(lambda: 5)", cond, 5, MPR_TIMEOUT_NONE);
    timed_wait_for("wait_for(lambda: 0, 0.2)", cond, 0, 0.2);
    timed_wait_for("wait_for(lambda: 0, -1)", cond, 0, -1);
    mpr_cond_exit(cond);
    if (mpr_lock_new(&lock) < 0 || mpr_cond_new(&lcond, lock) < 0)
        return 1;
    mpr_lock_free(lock);
    mpr_cond_enter(lcond);
    printf("Lock condition held: %s\n", rep(lcond));
    timed_wait("wait(0.1)", lcond, 0.1);
    mpr_cond_exit(lcond);
    printf("after: %s %s\n", rep(cond), rep(lcond));
    mpr_cond_free(lcond);

    if (mpr_queue_new(&results, 0) < 0)
        return 1;
    /* three waiters time out: nobody notifies */
    for (int i = 0; i < 3; i++)
        if (case_start(
                &ps[i], timed_waiter,
                mpr_obj_tuple_steal(3, mpr_obj_handle(MPR_HANDLE_COND, cond),
                                    mpr_obj_handle(MPR_HANDLE_QUEUE, results),
                                    mpr_obj_int(i))) < 0)
            return 1;
    list = mpr_obj_tuple_new(3);
    for (int i = 0; i < 3; i++) {
        o = get(results);
        if (o == NULL)
            return 1;
        /* sorted(): the first items are 0..2, all distinct */
        mpr_obj_tuple_set_steal(
            list, (size_t)mpr_obj_int_value(mpr_obj_item(o, 0)), o);
    }
    o = mpr_obj_list();
    for (int i = 0; i < 3; i++)
        mpr_obj_list_append(o, mpr_obj_item(list, (size_t)i));
    print_obj("timed waiters:", o);
    mpr_obj_decref(o);
    mpr_obj_decref(list);
    join_all(ps, 3, NULL);
    printf("after timeouts: %s\n", rep(cond));

    /* six waiters, each in wait() once the parent can take the lock */
    if (mpr_sem_new(&ready, 0) < 0)
        return 1;
    for (int i = 0; i < 6; i++)
        if (case_start(
                &ps[i], waiter,
                mpr_obj_tuple_steal(4, mpr_obj_handle(MPR_HANDLE_COND, cond),
                                    mpr_obj_handle(MPR_HANDLE_SEMLOCK, ready),
                                    mpr_obj_handle(MPR_HANDLE_QUEUE, results),
                                    mpr_obj_int(i))) < 0)
            return 1;
    for (int i = 0; i < 6; i++)
        mpr_sem_acquire(ready, 1, MPR_TIMEOUT_NONE);
    mpr_cond_enter(cond);
    printf("six waiting: %s\n", rep(cond));
    if (mpr_cond_notify(cond, 2) == 0)
        printf("notify(2): None\n");
    mpr_cond_exit(cond);
    woken[0] = get(results);
    woken[1] = get(results);
    all_true = woken[0] != NULL && woken[1] != NULL &&
               mpr_obj_truth(mpr_obj_item(woken[0], 1)) &&
               mpr_obj_truth(mpr_obj_item(woken[1], 1));
    printf("woken by notify(2): 2 all True: %s\n", case_bool(all_true));
    if ((r = mpr_queue_get(results, &o, 1, 0.5)) == 0) {
        print_obj("a third woke:", o);
        mpr_obj_decref(o);
    } else if (r == MPR_EEMPTY) {
        printf("no third wakes: %s\n", rep(cond));
    }
    mpr_cond_enter(cond);
    if (mpr_cond_notify(cond, 4) == 0)
        printf("notify(4): None\n");
    mpr_cond_exit(cond);
    for (int i = 2; i < 6; i++)
        woken[i] = get(results);
    {
        int seen[6] = {0}, ok = 1;
        for (int i = 0; i < 6; i++) {
            if (woken[i] == NULL)
                return 1;
            seen[mpr_obj_int_value(mpr_obj_item(woken[i], 0)) % 6]++;
            all_true &= mpr_obj_truth(mpr_obj_item(woken[i], 1));
            mpr_obj_decref(woken[i]);
        }
        for (int i = 0; i < 6; i++)
            ok &= seen[i] == 1;
        printf("all woken: %s all True: %s\n", ok ? "[0, 1, 2, 3, 4, 5]" : "?",
               case_bool(all_true));
    }
    join_all(ps, 6, codes);
    mpr_cond_enter(cond);
    if (mpr_cond_notify(cond, 3) == 0)
        printf("notify(3) with nobody waiting: None %s\n", rep(cond));
    mpr_cond_exit(cond);
    printf("exit codes: [%d, %d, %d, %d, %d, %d]\n", codes[0], codes[1],
           codes[2], codes[3], codes[4], codes[5]);

    /* wait_for across processes on a shared value counted up to 3 */
    zero = mpr_obj_int(0);
    if (mpr_value_new(&v, "i", zero, &raw) < 0)
        return 1;
    mpr_obj_decref(zero);
    for (int i = 0; i < 2; i++)
        if (case_start(&ps[i], wait_for_value,
                       mpr_obj_tuple_steal(
                           6, mpr_obj_handle(MPR_HANDLE_COND, cond),
                           mpr_obj_handle(MPR_HANDLE_SEMLOCK, ready),
                           mpr_obj_handle(MPR_HANDLE_VALUE, v),
                           mpr_obj_handle(MPR_HANDLE_QUEUE, results),
                           mpr_obj_int(i == 0 ? 3 : 10),
                           i == 0 ? mpr_obj_none() : mpr_obj_float(0.5))) < 0)
            return 1;
    for (int i = 0; i < 2; i++)
        mpr_sem_acquire(ready, 1, MPR_TIMEOUT_NONE);
    for (int i = 0; i < 3; i++) {
        int64_t x = 0;
        mpr_cond_enter(cond);
        mpr_value_get_int64(v, &x);
        mpr_value_set_int64(v, x + 1);
        mpr_cond_notify_all(cond);
        mpr_cond_exit(cond);
    }
    got[0] = get(results);
    got[1] = get(results);
    if (got[0] == NULL || got[1] == NULL)
        return 1;
    if (mpr_obj_int_value(mpr_obj_item(got[0], 0)) != 3) {
        o = got[0];
        got[0] = got[1];
        got[1] = o;
    }
    join_all(ps, 2, NULL);
    printf("wait_for(value == %lld): %s, value %lld\n",
           (long long)mpr_obj_int_value(mpr_obj_item(got[0], 0)),
           case_bool(mpr_obj_truth(mpr_obj_item(got[0], 1))),
           (long long)mpr_obj_int_value(mpr_obj_item(got[0], 2)));
    printf("wait_for(value == %lld, 0.5): %s after %.3f s\n",
           (long long)mpr_obj_int_value(mpr_obj_item(got[1], 0)),
           case_bool(mpr_obj_truth(mpr_obj_item(got[1], 1))),
           mpr_obj_float_value(mpr_obj_item(got[1], 3)));
    mpr_obj_decref(got[0]);
    mpr_obj_decref(got[1]);
    mpr_value_free(v);
    mpr_sem_free(ready);
    mpr_queue_free(results);
    mpr_cond_free(cond);
    return 0;
}
