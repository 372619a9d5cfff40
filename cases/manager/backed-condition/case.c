/*
 * manager/backed-condition: _TestCondition on a manager's Condition
 * proxy, its waiters child processes and threads of the parent (each
 * thread over its own connection to the server), the sleepers and woken
 * waiters counted with manager Semaphores, wait_for's predicate reading a
 * manager Value (mpr_proxy_wait_for runs it here, as ConditionProxy
 * does).  Proxies reach a child inherited under fork, rebuilt under spawn
 * and forkserver.
 */
#include <mpr.h>

#include "support.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

enum { COND, SLEEPING, WOKEN, STATE, SUCCESS, SEM, NP };
static mpr_proxy_t *px[NP];

#define TUP1(a) mpr_obj_tuple_steal(1, a)

/* proxy._callmethod(m, args) (args stolen; NULL: ()), the result into
 * *out (NULL: dropped): 0 or the error */
static int call_out(mpr_proxy_t *p, const char *m, mpr_obj_t *args,
                    mpr_obj_t **out)
{
    int rc = mpr_proxy_callmethod(p, m, args, NULL, out);

    mpr_obj_decref(args);
    return rc;
}

static int call(mpr_proxy_t *p, const char *m, mpr_obj_t *args)
{
    return call_out(p, m, args, NULL);
}

/* acquire(timeout=t): 1, 0, or the error */
static int acquire(mpr_proxy_t *p, double t)
{
    mpr_obj_t *out = NULL;
    int rc = call_out(p, "acquire",
                      mpr_obj_tuple_steal(2, mpr_obj_bool(1), mpr_obj_float(t)),
                      &out);

    rc = rc < 0 ? rc : mpr_obj_truth(out);
    mpr_obj_decref(out);
    return rc;
}

/* the first n arguments of a child are proxies into px[] (fork: the
 * inherited ones stay); returns whether they were rebuilt, or the error */
static int take(mpr_obj_t *args, size_t n, const int *which)
{
    int own = 0, rc;

    for (size_t i = 0; i < n; i++) {
        if ((rc = case_proxy_of(mpr_obj_item(args, i), &px[which[i]])) < 0)
            return rc;
        own |= rc;
    }
    return own;
}

static void drop(int own, size_t n, const int *which)
{
    for (size_t i = 0; own > 0 && i < n; i++)
        mpr_proxy_free(px[which[i]]);
}

/* f(cond, sleeping, woken, timeout): timeout < 0 is None */
static int f(double timeout)
{
    int rc;

    if ((rc = call(px[COND], "acquire", NULL)) < 0 ||
        (rc = call(px[SLEEPING], "release", NULL)) < 0 ||
        (rc = call(px[COND], "wait",
                   TUP1(timeout < 0 ? mpr_obj_none()
                                    : mpr_obj_float(timeout)))) < 0 ||
        (rc = call(px[WOKEN], "release", NULL)) < 0)
        return rc;
    return call(px[COND], "release", NULL);
}

static const int f_proxies[] = {COND, SLEEPING, WOKEN};

static int f_child(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    int own = take(args, 3, f_proxies), rc = own;

    (void)kwargs;
    if (rc >= 0)
        rc = f(mpr_obj_float_value(mpr_obj_item(args, 3)));
    drop(own, 3, f_proxies);
    return rc < 0 ? rc : 0;
}
MPR_TARGET(f_child)

static double thread_timeout;

static void *f_thread(void *arg)
{
    (void)arg;
    f(thread_timeout);
    return NULL;
}

/* n processes and n threads wait on cond; returns once all sleep */
typedef struct {
    mpr_process_t *p[6];
    pthread_t t[6];
    int np, nt;
} waiters_t;

static int start_waiters(waiters_t *w, int n, double timeout)
{
    int rc = 0;

    thread_timeout = timeout;
    for (int i = 0; i < n && rc >= 0; i++) {
        mpr_obj_t *a = mpr_obj_tuple_new(4);
        for (size_t k = 0; a != NULL && k < 3; k++)
            mpr_obj_tuple_set_steal(
                a, k, mpr_obj_handle(MPR_HANDLE_PROXY, px[f_proxies[k]]));
        if (a != NULL)
            mpr_obj_tuple_set_steal(a, 3, mpr_obj_float(timeout));
        if ((rc = case_start(&w->p[w->np++], f_child, a)) < 0)
            break;
        if (pthread_create(&w->t[w->nt], NULL, f_thread, NULL) != 0)
            return -1;
        w->nt++;
    }
    for (int i = 0; i < 2 * n && rc >= 0; i++)
        rc = call(px[SLEEPING], "acquire", NULL);
    return rc;
}

static void join(waiters_t *w)
{
    int code, codes = 0; /* bit 0: exit code 0 seen, bit 1: other */

    for (int i = 0; i < w->nt; i++)
        pthread_join(w->t[i], NULL);
    for (int i = 0; i < w->np; i++) {
        mpr_process_join(w->p[i], MPR_TIMEOUT_NONE);
        mpr_process_exitcode(w->p[i], &code);
        codes |= code == 0 ? 1 : 2;
        mpr_process_free(w->p[i]);
    }
    printf("exitcodes: %s\n", codes == 1 ? "[0]" : "[not all 0]");
    w->np = w->nt = 0;
}

/* exactly n waiters released woken since the last call (5 s for all) */
static void woke(const char *label, int n)
{
    double deadline = case_monotonic() + 5;
    int got = 0;

    for (int i = 0; i < n; i++) {
        double left = deadline - case_monotonic();
        got += acquire(px[WOKEN], left > 0 ? left : 0) == 1;
    }
    printf("%s: %d woke, another within 0.3 s: %s\n", label, got,
           case_bool(acquire(px[WOKEN], 0.3) == 1));
}

static void notify(const char *m, int n)
{
    call(px[COND], "acquire", NULL);
    call(px[COND], m, n ? TUP1(mpr_obj_int(n)) : NULL);
    call(px[COND], "release", NULL);
}

/* a Condition and two Semaphore(0) for one test */
static int fresh(mpr_manager_t *m)
{
    mpr_obj_t *zero = TUP1(mpr_obj_int(0));
    int rc;

    for (int i = COND; i <= WOKEN; i++)
        mpr_proxy_free(px[i]);
    rc = mpr_manager_create(m, "Condition", NULL, NULL, &px[COND]);
    if (rc == 0)
        rc = mpr_manager_create(m, "Semaphore", zero, NULL, &px[SLEEPING]);
    if (rc == 0)
        rc = mpr_manager_create(m, "Semaphore", zero, NULL, &px[WOKEN]);
    mpr_obj_decref(zero);
    return rc;
}

static int test_notify(mpr_manager_t *m)
{
    waiters_t w = {0};
    char *r;
    int rc;

    if ((rc = fresh(m)) < 0)
        return rc;
    if (mpr_proxy_repr(px[COND], &r, NULL) == 0)
        printf("condition: %s\n", r);
    mpr_free(r);
    if ((rc = start_waiters(&w, 1, -1)) < 0)
        return rc;
    woke("before notify", 0);
    notify("notify", 0);
    woke("notify()", 1);
    notify("notify", 0);
    woke("notify()", 1);
    join(&w);

    /* test_notify_all */
    if ((rc = fresh(m)) < 0 || (rc = start_waiters(&w, 3, 0.1)) < 0)
        return rc;
    woke("timed out", 6);
    if ((rc = start_waiters(&w, 3, -1)) < 0)
        return rc;
    woke("before notify_all", 0);
    notify("notify_all", 0);
    woke("notify_all()", 6);
    join(&w);

    /* test_notify_n */
    if ((rc = fresh(m)) < 0 || (rc = start_waiters(&w, 3, -1)) < 0)
        return rc;
    woke("before notify", 0);
    notify("notify", 2);
    woke("notify(n=2)", 2);
    notify("notify", 4);
    woke("notify(n=4)", 4);
    notify("notify", 3);
    woke("notify(n=3)", 0);
    notify("notify_all", 0); /* nobody left, unless a notify(n) lost some */
    join(&w);
    return 0;
}

static int state_is(void *arg)
{
    mpr_obj_t *v = NULL;
    int rc = mpr_proxy_callmethod(px[STATE], "get", NULL, NULL, &v);

    rc = rc < 0 ? rc : mpr_obj_int_value(v) == (int64_t)(intptr_t)arg;
    mpr_obj_decref(v);
    return rc;
}

static int64_t state_value(void)
{
    mpr_obj_t *v = NULL;
    int64_t r = mpr_proxy_callmethod(px[STATE], "get", NULL, NULL, &v) < 0
                    ? -999
                    : mpr_obj_int_value(v);

    mpr_obj_decref(v);
    return r;
}

static const int waitfor_proxies[] = {COND, STATE, SUCCESS, SEM};

static int waitfor_f(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    int own = take(args, 2, waitfor_proxies), rc = own, result = 0;

    (void)kwargs;
    if (rc >= 0 && (rc = call(px[COND], "acquire", NULL)) >= 0) {
        if ((rc = call(px[STATE], "set", TUP1(mpr_obj_int(0)))) >= 0 &&
            (rc = call(px[COND], "notify", NULL)) >= 0)
            result = rc = mpr_proxy_wait_for(px[COND], state_is, (void *)4,
                                             MPR_TIMEOUT_NONE);
        call(px[COND], "release", NULL);
    }
    if (rc >= 0 && (!result || state_value() != 4))
        rc = 1; /* SystemExit(1) */
    drop(own, 2, waitfor_proxies);
    return rc;
}
MPR_TARGET(waitfor_f)

static int waitfor_timeout_f(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    int own = take(args, 4, waitfor_proxies), rc = own;
    double dt;

    (void)kwargs;
    if (rc >= 0 && (rc = call(px[SEM], "release", NULL)) >= 0 &&
        (rc = call(px[COND], "acquire", NULL)) >= 0) {
        dt = case_monotonic();
        rc = mpr_proxy_wait_for(px[COND], state_is, (void *)4, 0.1);
        dt = case_monotonic() - dt;
        if (rc == 0 && dt >= 0.1)
            rc = call(px[SUCCESS], "set", TUP1(mpr_obj_bool(1)));
        call(px[COND], "release", NULL);
    }
    drop(own, 4, waitfor_proxies);
    return rc < 0 ? rc : 0;
}
MPR_TARGET(waitfor_timeout_f)

/* n times: sleep 0.01, then with cond: state.value += 1; cond.notify() */
static void increments(int n)
{
    for (int i = 0; i < n; i++) {
        mpr_sleep(0.01);
        call(px[COND], "acquire", NULL);
        call(px[STATE], "set", TUP1(mpr_obj_int(state_value() + 1)));
        call(px[COND], "notify", NULL);
        call(px[COND], "release", NULL);
    }
}

static int start_with(mpr_process_t **p, mpr_target_t fn, size_t n)
{
    mpr_obj_t *a = mpr_obj_tuple_new(n);

    for (size_t i = 0; a != NULL && i < n; i++)
        mpr_obj_tuple_set_steal(
            a, i, mpr_obj_handle(MPR_HANDLE_PROXY, px[waitfor_proxies[i]]));
    return case_start(p, fn, a);
}

static int test_waitfor(mpr_manager_t *m)
{
    mpr_process_t *p = NULL;
    mpr_obj_t *v = NULL, *minus1 = mpr_obj_int(-1), *zero = mpr_obj_int(0);
    mpr_obj_t *no = mpr_obj_bool(0), *zt = TUP1(mpr_obj_int(0));
    double t0, dt;
    int rc, code = -1, res;

    /* test_timeout */
    if ((rc = fresh(m)) < 0)
        goto done;
    call(px[COND], "acquire", NULL);
    t0 = case_monotonic();
    res = call_out(px[COND], "wait", TUP1(mpr_obj_float(0.1)), &v);
    dt = case_monotonic() - t0;
    call(px[COND], "release", NULL);
    printf("wait(0.1): %s after %.3f s\n",
           res < 0 ? "<error>" : case_bool(mpr_obj_truth(v)), dt);
    mpr_obj_decref(v);

    /* test_waitfor */
    if ((rc = fresh(m)) < 0 ||
        (rc = mpr_manager_value(m, "i", minus1, &px[STATE])) < 0 ||
        (rc = start_with(&p, waitfor_f, 2)) < 0)
        goto done;
    call(px[COND], "acquire", NULL);
    res = mpr_proxy_wait_for(px[COND], state_is, (void *)0, MPR_TIMEOUT_NONE);
    printf("wait_for(state == 0): %s %lld\n", case_bool(res > 0),
           (long long)state_value());
    call(px[COND], "release", NULL);
    increments(4);
    mpr_process_join(p, MPR_TIMEOUT_NONE);
    mpr_process_exitcode(p, &code);
    printf("wait_for child exitcode: %d\n", code);
    mpr_process_free(p);
    p = NULL;

    /* test_waitfor_timeout: state reaches 3, never 4 */
    mpr_proxy_free(px[STATE]);
    px[STATE] = NULL;
    if ((rc = fresh(m)) < 0 ||
        (rc = mpr_manager_value(m, "i", zero, &px[STATE])) < 0 ||
        (rc = mpr_manager_value(m, "i", no, &px[SUCCESS])) < 0 ||
        (rc = mpr_manager_create(m, "Semaphore", zt, NULL, &px[SEM])) < 0 ||
        (rc = start_with(&p, waitfor_timeout_f, 4)) < 0)
        goto done;
    printf("child started: %s\n", case_bool(acquire(px[SEM], 60) == 1));
    increments(3);
    mpr_process_join(p, MPR_TIMEOUT_NONE);
    mpr_process_exitcode(p, &code);
    printf("wait_for(timeout=0.1) timed out in the child: %s %d\n",
           case_call(px[SUCCESS], "get", NULL), code);
done:
    mpr_process_free(p);
    mpr_obj_decref(minus1);
    mpr_obj_decref(zero);
    mpr_obj_decref(no);
    mpr_obj_decref(zt);
    return rc;
}

static int wait_result_f(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    int own = take(args, 1, waitfor_proxies), rc = own;

    (void)kwargs;
    if (rc >= 0 && (rc = call(px[COND], "acquire", NULL)) >= 0) {
        rc = call(px[COND], "notify", NULL);
        call(px[COND], "release", NULL);
    }
    drop(own, 1, waitfor_proxies);
    return rc < 0 ? rc : 0;
}
MPR_TARGET(wait_result_f)

static int test_wait_result(mpr_manager_t *m)
{
    mpr_process_t *p = NULL;
    int rc, code = -1;

    if ((rc = fresh(m)) < 0)
        return rc;
    call(px[COND], "acquire", NULL);
    printf("wait(0): %s\n", case_call(px[COND], "wait", TUP1(mpr_obj_int(0))));
    printf("wait(0.1): %s\n",
           case_call(px[COND], "wait", TUP1(mpr_obj_float(0.1))));
    if ((rc = start_with(&p, wait_result_f, 1)) == 0) {
        printf("wait(60) notified: %s\n",
               case_call(px[COND], "wait", TUP1(mpr_obj_int(60))));
        mpr_process_join(p, MPR_TIMEOUT_NONE);
    }
    call(px[COND], "release", NULL);
    if (p != NULL)
        mpr_process_exitcode(p, &code);
    printf("exitcode: %d\n", code);
    mpr_process_free(p);
    return rc;
}

static int run(mpr_manager_t *m)
{
    int rc;

    if ((rc = test_notify(m)) == 0 && (rc = test_waitfor(m)) == 0)
        rc = test_wait_result(m);
    for (int i = 0; i < NP; i++)
        mpr_proxy_free(px[i]);
    return rc;
}

int main(int argc, char **argv)
{
    return case_main_with_manager(argc, argv, run);
}
