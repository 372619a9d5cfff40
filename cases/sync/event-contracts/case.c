/*
 * sync/event-contracts: Event wait results and timeouts, set/clear, the
 * repr, one set() waking three waiting children, a child's clear().
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

/* repr(e) in a static buffer */
static const char *rep(mpr_event_t *e)
{
    static char buf[96];
    char *r;

    buf[0] = '\0';
    if (mpr_event_repr(e, &r, NULL) == 0) {
        snprintf(buf, sizeof(buf), "%s", r);
        mpr_free(r);
    }
    return buf;
}

static void timed(const char *label, mpr_event_t *e, double timeout)
{
    double t0 = mpr_monotonic();
    int r = mpr_event_wait(e, timeout);

    printf("%s: %s after %.3f s\n", label, case_bool(r), mpr_monotonic() - t0);
}

/* waiter(ev, timeout, results, i) */
static int waiter(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_obj_t *to = mpr_obj_item(args, 1), *res;
    mpr_queue_t *results;
    mpr_event_t *ev;
    double t0;
    int r, w;

    (void)kwargs;
    if ((ev = case_arg(args, 0, MPR_HANDLE_EVENT)) == NULL ||
        (results = case_arg(args, 2, MPR_HANDLE_QUEUE)) == NULL)
        return mpr_last_error();
    t0 = mpr_monotonic();
    w = mpr_event_wait(ev, mpr_obj_is_none(to) ? MPR_TIMEOUT_NONE
                                               : mpr_obj_float_value(to));
    res = mpr_obj_tuple_steal(3, mpr_obj_incref(mpr_obj_item(args, 3)),
                              mpr_obj_bool(w),
                              mpr_obj_float(mpr_monotonic() - t0));
    r = res == NULL ? mpr_last_error()
                    : mpr_queue_put(results, res, 1, MPR_TIMEOUT_NONE);
    mpr_obj_decref(res);
    return r;
}
MPR_TARGET(waiter)

static int clearer(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_event_t *ev, *started;

    (void)kwargs;
    if ((ev = case_arg(args, 0, MPR_HANDLE_EVENT)) == NULL ||
        (started = case_arg(args, 1, MPR_HANDLE_EVENT)) == NULL)
        return mpr_last_error();
    mpr_event_set(started);
    mpr_event_clear(ev);
    return 0;
}
MPR_TARGET(clearer)

/* starts three waiters, gets their (i, result, elapsed) sorted by i */
static int run_waiters(mpr_event_t *ev, mpr_obj_t *timeout,
                       mpr_queue_t *results, mpr_obj_t **got, int set_later)
{
    mpr_process_t *ps[3];
    int alive[3];

    for (int i = 0; i < 3; i++) {
        mpr_obj_t *args = mpr_obj_tuple_steal(
            4, mpr_obj_handle(MPR_HANDLE_EVENT, ev), mpr_obj_incref(timeout),
            mpr_obj_handle(MPR_HANDLE_QUEUE, results), mpr_obj_int(i));
        mpr_process_options_t o = {.target = waiter, .args = args};
        if (args == NULL || mpr_process_new(&ps[i], &o) < 0)
            return -1;
        mpr_obj_decref(args);
    }
    for (int i = 0; i < 3; i++)
        if (mpr_process_start(ps[i]) < 0)
            return -1;
    if (set_later) {
        mpr_sleep(1);
        for (int i = 0; i < 3; i++)
            alive[i] = mpr_process_is_alive(ps[i]);
        printf("before set(), still waiting: [%s, %s, %s] %s\n",
               case_bool(alive[0]), case_bool(alive[1]), case_bool(alive[2]),
               case_bool(mpr_queue_empty(results)));
        mpr_event_set(ev);
    }
    for (int i = 0; i < 3; i++) {
        mpr_obj_t *o = NULL;
        if (mpr_queue_get(results, &o, 1, MPR_TIMEOUT_NONE) < 0)
            return -1;
        got[mpr_obj_int_value(mpr_obj_item(o, 0)) % 3] = o;
    }
    for (int i = 0; i < 3; i++) {
        mpr_process_join(ps[i], MPR_TIMEOUT_NONE);
        mpr_process_free(ps[i]);
    }
    return 0;
}

int main(int argc, char **argv)
{
    mpr_event_t *ev, *started;
    mpr_queue_t *results;
    mpr_process_t *p;
    mpr_obj_t *got[3], *to, *args;
    int code, early = 0;

    if (mpr_main(argc, argv) < 0 || mpr_event_new(&ev) < 0 ||
        mpr_event_new(&started) < 0 || mpr_queue_new(&results, 0) < 0)
        return 1;
    printf("new: %s %s\n", rep(ev), case_bool(mpr_event_is_set(ev)));
    timed("wait(0)", ev, 0);
    timed("wait(-1)", ev, -1);
    timed("wait(0.2)", ev, 0.2);
    if (mpr_event_set(ev) == 0)
        printf("set(): None %s %s\n", rep(ev), case_bool(mpr_event_is_set(ev)));
    timed("wait()", ev, MPR_TIMEOUT_NONE);
    timed("wait(0)", ev, 0);
    timed("wait(5)", ev, 5);
    if (mpr_event_set(ev) == 0)
        printf("set() again: None %s\n", case_bool(mpr_event_is_set(ev)));
    if (mpr_event_clear(ev) == 0)
        printf("clear(): None %s %s\n", rep(ev),
               case_bool(mpr_event_is_set(ev)));
    timed("wait(0.1) after clear", ev, 0.1);
    if (mpr_event_clear(ev) == 0)
        printf("clear() again: None %s\n", case_bool(mpr_event_is_set(ev)));

    /* three children wait 0.3 s on the unset Event: all time out */
    to = mpr_obj_float(0.3);
    if (run_waiters(ev, to, results, got, 0) < 0)
        return 1;
    mpr_obj_decref(to);
    for (int i = 0; i < 3; i++)
        early |= mpr_obj_float_value(mpr_obj_item(got[i], 2)) < 0.299;
    printf("timed waiters: [(0, %s), (1, %s), (2, %s)] none early: %s\n",
           case_bool(mpr_obj_truth(mpr_obj_item(got[0], 1))),
           case_bool(mpr_obj_truth(mpr_obj_item(got[1], 1))),
           case_bool(mpr_obj_truth(mpr_obj_item(got[2], 1))),
           case_bool(!early));
    for (int i = 0; i < 3; i++)
        mpr_obj_decref(got[i]);

    /* three children wait without a timeout; one set() wakes them all */
    if (run_waiters(ev, mpr_obj_none(), results, got, 1) < 0)
        return 1;
    printf("woken by one set(): [(0, %s), (1, %s), (2, %s)]\n",
           case_bool(mpr_obj_truth(mpr_obj_item(got[0], 1))),
           case_bool(mpr_obj_truth(mpr_obj_item(got[1], 1))),
           case_bool(mpr_obj_truth(mpr_obj_item(got[2], 1))));
    for (int i = 0; i < 3; i++)
        mpr_obj_decref(got[i]);

    /* a child clears it; the parent sees it */
    args = mpr_obj_tuple_steal(2, mpr_obj_handle(MPR_HANDLE_EVENT, ev),
                               mpr_obj_handle(MPR_HANDLE_EVENT, started));
    {
        mpr_process_options_t o = {.target = clearer, .args = args};
        if (args == NULL || mpr_process_new(&p, &o) < 0 ||
            mpr_process_start(p) < 0)
            return 1;
    }
    mpr_obj_decref(args);
    mpr_process_join(p, MPR_TIMEOUT_NONE);
    if (mpr_process_exitcode(p, &code) != 1)
        code = -999;
    printf("child cleared: %s %s %d\n", case_bool(mpr_event_is_set(ev)),
           case_bool(mpr_event_is_set(started)), code);
    mpr_process_free(p);
    timed("wait(0.1)", ev, 0.1);
    mpr_queue_free(results);
    mpr_event_free(started);
    mpr_event_free(ev);
    return 0;
}
