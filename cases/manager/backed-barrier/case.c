/*
 * manager/backed-barrier: _TestBarrier on a manager's Barrier proxy, as
 * the suite runs it: four child processes and the parent run each
 * function; manager lists count the passes; the action (AppendTrue, a
 * registered target given through mpr_manager_action) runs in the server
 * and appends to a manager list there.  A child whose check fails prints
 * it on stderr and exits 1.  Proxies reach a child inherited under fork,
 * rebuilt under spawn and forkserver.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

#define N 5

enum { BAR, BAR2, R1, R2, R3, Q, NP };
static mpr_proxy_t *px[NP];

/* proxy._callmethod(m, args): args stolen; the result into *out (NULL:
 * dropped) */
static int call(int i, const char *m, mpr_obj_t *args, mpr_obj_t **out)
{
    int rc = mpr_proxy_callmethod(px[i], m, args, NULL, out);

    mpr_obj_decref(args);
    return rc;
}

/* an int result of proxy i's method (or attribute, for a Barrier), or the
 * error */
static int64_t int_of(int i, const char *m, mpr_obj_t *args)
{
    mpr_obj_t *out = NULL;
    int64_t r = call(i, m, args, &out);

    if (r >= 0)
        r = mpr_obj_type(out) == MPR_OBJ_BOOL ? mpr_obj_truth(out)
                                              : mpr_obj_int_value(out);
    mpr_obj_decref(out);
    return r;
}

static int64_t attr(int i, const char *name)
{
    return int_of(i, "__getattribute__",
                  mpr_obj_tuple_steal(1, mpr_obj_str(name)));
}

static int64_t bwait(int i, double timeout)
{
    return int_of(i, "wait",
                  timeout < 0 ? NULL
                              : mpr_obj_tuple_steal(1, mpr_obj_float(timeout)));
}

static int append_true(int i)
{
    return call(i, "append", mpr_obj_tuple_steal(1, mpr_obj_bool(1)), NULL);
}

static int check(int ok, const char *what)
{
    if (ok)
        return 0;
    fprintf(stderr, "AssertionError: %s\n", what);
    return 1;
}

static int multipass(int n)
{
    int rc = check(attr(BAR, "parties") == N, "m == N");

    for (int i = 0; i < n && rc == 0; i++) {
        if ((rc = append_true(R1)) < 0 ||
            (rc = check(int_of(R2, "__len__", NULL) == i * N,
                        "len(results[1]) == i * m")) != 0 ||
            (rc = (int)bwait(BAR, -1)) < 0 || (rc = append_true(R2)) < 0 ||
            (rc = check(int_of(R1, "__len__", NULL) == (i + 1) * N,
                        "len(results[0]) == (i + 1) * m")) != 0 ||
            (rc = (int)bwait(BAR, -1)) < 0)
            break;
        rc = 0;
    }
    if (rc == 0)
        rc = check(attr(BAR, "n_waiting") == 0, "barrier.n_waiting == 0");
    if (rc == 0)
        rc = check(attr(BAR, "broken") == 0, "not barrier.broken");
    return rc;
}

static int wait_return_f(int n)
{
    int64_t i = bwait(BAR, -1);

    (void)n;
    return i < 0 ? (int)i
                 : call(Q, "put", mpr_obj_tuple_steal(1, mpr_obj_int(i)), NULL);
}

static int action_f(int n)
{
    int64_t rc = bwait(BAR, -1);

    (void)n;
    return rc < 0
               ? (int)rc
               : check(int_of(R1, "__len__", NULL) == 1, "len(results) == 1");
}

/* try: i = wait(); i == N//2: abort(); wait(); r1 += 1
 * except BrokenBarrierError: r2 += 1 */
static int abort_part(void)
{
    int64_t i = bwait(BAR, -1);

    if (i == N / 2)
        return call(BAR, "abort", NULL, NULL);
    if (i >= 0)
        i = bwait(BAR, -1);
    if (i == MPR_EBROKENBARRIER)
        return append_true(R2);
    return i < 0 ? (int)i : append_true(R1);
}

static int abort_f(int n)
{
    (void)n;
    return abort_part();
}

static int reset_f(int n)
{
    int64_t i = bwait(BAR, -1), rc = 0;

    (void)n;
    if (i == N / 2) {
        while ((rc = attr(BAR, "n_waiting")) >= 0 && rc < N - 1)
            mpr_sleep(0.001);
        rc = rc < 0 ? rc : call(BAR, "reset", NULL, NULL);
    } else if (i >= 0) {
        rc = bwait(BAR, -1);
        rc = rc == MPR_EBROKENBARRIER ? append_true(R2)
             : rc < 0                 ? rc
                                      : append_true(R1);
    }
    if (rc >= 0 && (rc = i < 0 ? i : bwait(BAR, -1)) >= 0)
        rc = append_true(R3);
    return (int)(rc < 0 ? rc : 0);
}

static int abort_and_reset_f(int n)
{
    int64_t rc = abort_part();

    (void)n;
    if (rc >= 0 && (rc = bwait(BAR2, -1)) == N / 2)
        rc = call(BAR, "reset", NULL, NULL);
    if (rc >= 0 && (rc = bwait(BAR2, -1)) >= 0 && (rc = bwait(BAR, -1)) >= 0)
        rc = append_true(R3);
    return (int)(rc < 0 ? rc : 0);
}

/* timeout_f (first wait without a timeout) and default_timeout_f (first
 * wait(30.0), then wait() on the barrier's own timeout) */
static int late_f(double first, double second)
{
    int64_t i = bwait(BAR, first);

    if (i < 0)
        return (int)i;
    if (i == N / 2)
        mpr_sleep(1.0); /* one party is late */
    i = bwait(BAR, second);
    return i == MPR_EBROKENBARRIER ? append_true(R1) : i < 0 ? (int)i : 0;
}

static int timeout_f(int n)
{
    (void)n;
    return late_f(-1, 0.5);
}

static int default_timeout_f(int n)
{
    (void)n;
    return late_f(30.0, -1);
}

typedef int (*fn_t)(int n);
static const fn_t fns[] = {multipass, wait_return_f,    action_f,
                           abort_f,   reset_f,          abort_and_reset_f,
                           timeout_f, default_timeout_f};

/* a party in a child: args (function, passes, the proxies) */
static int party(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    int rc = 0;

    (void)kwargs;
    /* the proxies come as handle values (borrowed: the args own them) */
    for (int i = 0; i < NP && rc >= 0; i++)
        if (!mpr_obj_is_none(mpr_obj_item(args, 2 + i)))
            rc = case_proxy_of(mpr_obj_item(args, 2 + i), &px[i]);
    if (rc >= 0)
        rc = fns[mpr_obj_int_value(mpr_obj_item(args, 0))](
            (int)mpr_obj_int_value(mpr_obj_item(args, 1)));
    return rc;
}
MPR_TARGET(party)

/* AppendTrue(results)(): in the server, on the list args[0] names */
static int append_true_action(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_proxy_t *l;
    mpr_obj_t *t = mpr_obj_tuple_steal(1, mpr_obj_bool(1));
    int rc;

    (void)kwargs;
    if ((rc = mpr_proxy_rebuild(&l, mpr_obj_item(args, 0))) == 0) {
        rc = mpr_proxy_callmethod(l, "append", t, NULL, NULL);
        mpr_proxy_free(l);
    }
    mpr_obj_decref(t);
    return rc;
}
MPR_TARGET(append_true_action)

/* run_threads: N-1 children and the parent run fns[f]; the exit codes as
 * sorted(set(...)) into codes */
static int run_threads(int f, int passes, char *codes, size_t size)
{
    mpr_process_t *p[N - 1] = {NULL};
    int rc = 0, code, seen = 0;

    for (int k = 0; k < N - 1 && rc >= 0; k++) {
        mpr_obj_t *a = mpr_obj_tuple_new(2 + NP);
        if (a != NULL) {
            mpr_obj_tuple_set_steal(a, 0, mpr_obj_int(f));
            mpr_obj_tuple_set_steal(a, 1, mpr_obj_int(passes));
        }
        for (int i = 0; a != NULL && i < NP; i++)
            mpr_obj_tuple_set_steal(
                a, 2 + (size_t)i,
                px[i] ? mpr_obj_handle(MPR_HANDLE_PROXY, px[i])
                      : mpr_obj_none());
        rc = case_start(&p[k], party, a);
    }
    if (rc >= 0 && (rc = fns[f](passes)) > 0)
        rc = case_fail(MPR_EASSERT);
    for (int k = 0; k < N - 1; k++) {
        if (p[k] == NULL)
            continue;
        mpr_process_join(p[k], MPR_TIMEOUT_NONE);
        mpr_process_exitcode(p[k], &code);
        seen |= code == 0 ? 1 : 2;
        mpr_process_free(p[k]);
    }
    snprintf(codes, size, "%s", seen == 1 ? "[0]" : "[not all 0]");
    return rc;
}

/* abort the barrier i, make Barrier(parties, timeout) (timeout < 0: none)
 * with an action or NULL */
static int fresh_barrier(mpr_manager_t *m, int i, int parties, double timeout,
                         mpr_obj_t *action)
{
    mpr_obj_t *a = mpr_obj_tuple_steal(1, mpr_obj_int(parties)), *kw = NULL;
    int rc;

    if (px[i] != NULL) {
        call(i, "abort", NULL, NULL);
        mpr_proxy_free(px[i]);
        px[i] = NULL;
    }
    if ((kw = mpr_obj_dict()) != NULL && timeout >= 0)
        mpr_obj_dict_set_steal(kw, mpr_obj_str("timeout"),
                               mpr_obj_float(timeout));
    if (kw != NULL && action != NULL)
        mpr_obj_dict_set_steal(kw, mpr_obj_str("action"), action);
    rc = mpr_manager_create(m, "Barrier", a, kw, &px[i]);
    mpr_obj_decref(a);
    mpr_obj_decref(kw);
    return rc;
}

/* fresh manager lists for R1..R1+n-1 */
static int fresh_lists(mpr_manager_t *m, int n)
{
    int rc = 0;

    for (int i = R1; i < R1 + n && rc == 0; i++) {
        mpr_proxy_free(px[i]);
        px[i] = NULL;
        rc = mpr_manager_list(m, NULL, &px[i]);
    }
    return rc;
}

static int64_t len(int i)
{
    return int_of(i, "__len__", NULL);
}

static int run(mpr_manager_t *m)
{
    char codes[32], *r;
    mpr_obj_t *got = mpr_obj_list(), *x, *sorted = NULL, *red = NULL;
    int rc;

    if ((rc = fresh_barrier(m, BAR, N, 30.0, NULL)) < 0)
        goto done;
    if (mpr_proxy_repr(px[BAR], &r, NULL) == 0)
        printf("barrier: %s parties=%lld\n", r,
               (long long)attr(BAR, "parties"));
    mpr_free(r);

    /* test_barrier, test_barrier_10 */
    for (int passes = 1; passes <= 10; passes += 9) {
        if ((rc = fresh_barrier(m, BAR, N, 30.0, NULL)) < 0 ||
            (rc = fresh_lists(m, 2)) < 0 ||
            (rc = run_threads(0, passes, codes, sizeof(codes))) != 0)
            goto done;
        printf("%d passes: %lld %lld exitcodes %s\n", passes,
               (long long)len(R1), (long long)len(R2), codes);
    }

    /* test_wait_return */
    if ((rc = fresh_barrier(m, BAR, N, 30.0, NULL)) < 0 ||
        (rc = mpr_manager_queue(m, 0, &px[Q])) < 0 ||
        (rc = run_threads(1, 1, codes, sizeof(codes))) != 0)
        goto done;
    for (int i = 0; i < N && call(Q, "get", NULL, &x) == 0; i++)
        mpr_obj_list_append_steal(got, x);
    if ((sorted = case_sorted(got)) != NULL &&
        mpr_obj_repr(sorted, &r, NULL) == 0) {
        printf("wait() results: %s %s\n", r, codes);
        mpr_free(r);
    }

    /* test_action: AppendTrue(results) runs once, in the server */
    if ((rc = fresh_lists(m, 1)) < 0 ||
        (rc = mpr_proxy_reduce(px[R1], &red)) < 0 ||
        (rc = fresh_barrier(
             m, BAR, N, -1,
             mpr_manager_action(append_true_action,
                                x = mpr_obj_tuple_steal(1, red)))) < 0)
        goto done;
    mpr_obj_decref(x);
    if ((rc = run_threads(2, 1, codes, sizeof(codes))) != 0)
        goto done;
    printf("action ran: %lld %s\n", (long long)len(R1), codes);

    /* test_abort */
    if ((rc = fresh_barrier(m, BAR, N, 30.0, NULL)) < 0 ||
        (rc = fresh_lists(m, 2)) < 0 ||
        (rc = run_threads(3, 1, codes, sizeof(codes))) != 0)
        goto done;
    printf("abort: %lld %lld broken=%s %s\n", (long long)len(R1),
           (long long)len(R2), case_bool(attr(BAR, "broken") == 1), codes);

    /* test_reset */
    if ((rc = fresh_barrier(m, BAR, N, 30.0, NULL)) < 0 ||
        (rc = fresh_lists(m, 3)) < 0 ||
        (rc = run_threads(4, 1, codes, sizeof(codes))) != 0)
        goto done;
    printf("reset: %lld %lld %lld %s\n", (long long)len(R1), (long long)len(R2),
           (long long)len(R3), codes);

    /* test_abort_and_reset */
    if ((rc = fresh_barrier(m, BAR, N, 30.0, NULL)) < 0 ||
        (rc = fresh_lists(m, 3)) < 0 ||
        (rc = fresh_barrier(m, BAR2, N, -1, NULL)) < 0 ||
        (rc = run_threads(5, 1, codes, sizeof(codes))) != 0)
        goto done;
    printf("abort and reset: %lld %lld %lld %s\n", (long long)len(R1),
           (long long)len(R2), (long long)len(R3), codes);

    /* test_timeout */
    if ((rc = fresh_barrier(m, BAR, N, 30.0, NULL)) < 0 ||
        (rc = fresh_lists(m, 1)) < 0 ||
        (rc = run_threads(6, 1, codes, sizeof(codes))) != 0)
        goto done;
    printf("wait(0.5) broken: %lld %lld %s\n", (long long)len(R1),
           (long long)attr(BAR, "parties"), codes);

    /* test_default_timeout */
    if ((rc = fresh_barrier(m, BAR, N, 0.5, NULL)) < 0 ||
        (rc = fresh_lists(m, 1)) < 0 ||
        (rc = run_threads(7, 1, codes, sizeof(codes))) != 0)
        goto done;
    printf("default timeout broken: %lld %lld %s\n", (long long)len(R1),
           (long long)attr(BAR, "parties"), codes);

    /* test_single_thread */
    if ((rc = fresh_barrier(m, BAR, 1, -1, NULL)) < 0)
        goto done;
    printf("Barrier(1).wait() twice: %lld", (long long)bwait(BAR, -1));
    printf(" %lld\n", (long long)bwait(BAR, -1));
done:
    mpr_obj_decref(got);
    mpr_obj_decref(sorted);
    for (int i = 0; i < NP; i++)
        mpr_proxy_free(px[i]);
    return rc;
}

int main(int argc, char **argv)
{
    return case_main_with_manager(argc, argv, run);
}
