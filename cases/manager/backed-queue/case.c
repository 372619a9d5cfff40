/*
 * manager/backed-queue: _TestQueue on a manager's Queue and JoinableQueue
 * proxies (queue.Queue in the server): put and get in every signature the
 * suite uses (positional and keyword timeouts), queue.Full and
 * _queue.Empty from the server, empty/full/qsize, FIFO across a child,
 * and task_done()/join() with four workers.  The Events and the list of
 * done items are manager objects too; every proxy reaches a child
 * inherited under fork, rebuilt under spawn and forkserver.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

#define INT(v)     mpr_obj_int(v)
#define TUP1(a)    mpr_obj_tuple_steal(1, a)
#define TUP2(a, b) mpr_obj_tuple_steal(2, a, b)

/* proxy._callmethod(m, args, kwds): args stolen, kwds borrowed */
static int call(mpr_proxy_t *p, const char *m, mpr_obj_t *args,
                const mpr_obj_t *kwds, mpr_obj_t **out)
{
    int rc = mpr_proxy_callmethod(p, m, args, kwds, out);

    mpr_obj_decref(args);
    return rc;
}

/* q.m(*args, **{'timeout': t} when t >= 0) as the case prints it: repr of
 * the result, or "module.Class 'message'"; args stolen; a static buffer */
static const char *outcome(mpr_proxy_t *q, const char *m, mpr_obj_t *args,
                           double t)
{
    static char text[256];
    mpr_obj_t *kw = NULL, *out = NULL, *msg = NULL;
    char *r = NULL;
    int rc;

    if (t >= 0 && (kw = mpr_obj_dict()) != NULL)
        mpr_obj_dict_set_steal(kw, mpr_obj_str("timeout"), mpr_obj_float(t));
    rc = call(q, m, args, kw, &out);
    snprintf(text, sizeof(text), "<error>");
    if (rc < 0) {
        msg = mpr_obj_str(mpr_last_error_detail());
        if (msg != NULL && mpr_obj_repr(msg, &r, NULL) == 0)
            snprintf(text, sizeof(text), "%s %s", mpr_err_pytype(rc), r);
    } else if (mpr_obj_repr(out, &r, NULL) == 0) {
        snprintf(text, sizeof(text), "%s", r);
    }
    mpr_free(r);
    mpr_obj_decref(msg);
    mpr_obj_decref(out);
    mpr_obj_decref(kw);
    return text;
}

/* timed(label, q.m, *args, **{'timeout': t} when t >= 0) */
static void timed(const char *label, mpr_proxy_t *q, const char *m,
                  mpr_obj_t *args, double t)
{
    double t0 = case_monotonic();
    const char *r = outcome(q, m, args, t);

    printf("%s: %s after %.3f s\n", label, r, case_monotonic() - t0);
}

/* the proxies args[0..n-1] of a child into ps[] (0: all inherited) */
static int take(mpr_obj_t *args, size_t n, mpr_proxy_t **ps)
{
    int rc = 0;

    for (size_t i = 0; i < n && rc >= 0; i++)
        rc = case_proxy_of(mpr_obj_item(args, i), &ps[i]);
    return rc;
}

static void drop(int own, size_t n, mpr_proxy_t **ps)
{
    for (size_t i = 0; own > 0 && i < n; i++)
        mpr_proxy_free(ps[i]);
}

static mpr_proxy_t *pq, *pstart, *pcont, *pdone;

/* _test_put and _test_get: after child_can_start, get 6 or put 2..5 */
static int put_get_f(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_proxy_t *ps[3] = {pq, pstart, pcont};
    int own = take(args, 3, ps), rc = own;

    (void)kwargs;
    if (rc >= 0)
        rc = call(ps[1], "wait", NULL, NULL, NULL);
    for (int i = 0; i < 6 && rc >= 0; i++)
        rc = mpr_obj_truth(mpr_obj_item(args, 3))
                 ? call(ps[0], "get", NULL, NULL, NULL)
                 : (i < 4 ? call(ps[0], "put", TUP1(INT(i + 2)), NULL, NULL)
                          : 0);
    if (rc >= 0)
        rc = call(ps[2], "set", NULL, NULL, NULL);
    drop(own, 3, ps);
    return rc < 0 ? rc : 0;
}
MPR_TARGET(put_get_f)

static int fork_f(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_proxy_t *ps[1] = {pq};
    int own = take(args, 1, ps), rc = own;

    (void)kwargs;
    for (int i = 10; i < 20 && rc >= 0; i++)
        rc = call(ps[0], "put", TUP1(INT(i)), NULL, NULL);
    drop(own, 1, ps);
    return rc < 0 ? rc : 0;
}
MPR_TARGET(fork_f)

/* for obj in iter(q.get, None): sleep, done.append(obj), q.task_done() */
static int task_done_f(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_proxy_t *ps[2] = {pq, pdone};
    mpr_obj_t *obj = NULL;
    int own = take(args, 2, ps), rc = own;

    (void)kwargs;
    while (rc >= 0 && (rc = call(ps[0], "get", NULL, NULL, &obj)) >= 0 &&
           !mpr_obj_is_none(obj)) {
        mpr_sleep(0.1);
        if ((rc = call(ps[1], "append", TUP1(obj), NULL, NULL)) >= 0)
            rc = call(ps[0], "task_done", NULL, NULL, NULL);
        obj = NULL; /* stolen by the tuple */
    }
    mpr_obj_decref(obj);
    drop(own, 2, ps);
    return rc < 0 ? rc : 0;
}
MPR_TARGET(task_done_f)

/* Process(target, args=(proxies..., extra)).start(); extra stolen */
static int start(mpr_process_t **p, mpr_target_t fn, size_t n, mpr_proxy_t **ps,
                 mpr_obj_t *extra)
{
    mpr_obj_t *a = mpr_obj_tuple_new(n + (extra != NULL));

    for (size_t i = 0; a != NULL && i < n; i++)
        mpr_obj_tuple_set_steal(a, i, mpr_obj_handle(MPR_HANDLE_PROXY, ps[i]));
    if (a != NULL && extra != NULL)
        mpr_obj_tuple_set_steal(a, n, extra);
    return case_start(p, fn, a);
}

static void join(mpr_process_t *p)
{
    int code = -1;

    mpr_process_join(p, MPR_TIMEOUT_NONE);
    mpr_process_exitcode(p, &code);
    printf("exitcode: %d\n", code);
}

static void empty_full(const char *label, int full)
{
    printf("%s %s", label, case_call(pq, "empty", NULL));
    printf(full ? " %s\n" : "\n", case_call(pq, "full", NULL));
}

static int test_put(mpr_manager_t *m)
{
    mpr_proxy_t *ps[3];
    mpr_process_t *p = NULL;
    char *r;
    int rc;

    if ((rc = mpr_manager_queue(m, 6, &pq)) < 0 ||
        (rc = mpr_manager_event(m, &pstart)) < 0 ||
        (rc = mpr_manager_event(m, &pcont)) < 0)
        return rc;
    if (mpr_proxy_repr(pq, &r, NULL) == 0)
        printf("queue: %s\n", r);
    mpr_free(r);
    ps[0] = pq, ps[1] = pstart, ps[2] = pcont;
    if ((rc = start(&p, put_get_f, 3, ps, mpr_obj_bool(1))) < 0)
        goto done;
    empty_full("empty, full:", 1);
    printf("puts: %s", case_call(pq, "put", TUP1(INT(1))));
    printf(" %s", case_call(pq, "put", TUP2(INT(2), mpr_obj_bool(1))));
    printf(" %s", case_call(pq, "put",
                            mpr_obj_tuple_steal(3, INT(3), mpr_obj_bool(1),
                                                mpr_obj_none())));
    printf(" %s", case_call(pq, "put", TUP2(INT(4), mpr_obj_bool(0))));
    printf(" %s", case_call(pq, "put",
                            mpr_obj_tuple_steal(3, INT(5), mpr_obj_bool(0),
                                                mpr_obj_none())));
    printf(" %s\n", case_call(pq, "put_nowait", TUP1(INT(6))));
    empty_full("empty, full:", 1);
    timed("put(7, False)", pq, "put", TUP2(INT(7), mpr_obj_bool(0)), -1);
    timed("put(7, False, None)", pq, "put",
          mpr_obj_tuple_steal(3, INT(7), mpr_obj_bool(0), mpr_obj_none()), -1);
    timed("put_nowait(7)", pq, "put_nowait", TUP1(INT(7)), -1);
    timed("put(7, True, 0.2)", pq, "put",
          mpr_obj_tuple_steal(3, INT(7), mpr_obj_bool(1), mpr_obj_float(0.2)),
          -1);
    timed("put(7, False, 0.2)", pq, "put",
          mpr_obj_tuple_steal(3, INT(7), mpr_obj_bool(0), mpr_obj_float(0.2)),
          -1);
    timed("put(7, True, timeout=0.3)", pq, "put", TUP2(INT(7), mpr_obj_bool(1)),
          0.3);
    case_call(pstart, "set", NULL);
    case_call(pcont, "wait", NULL);
    empty_full("after the child got 6, empty, full:", 1);
    join(p);
done:
    mpr_process_free(p);
    mpr_proxy_free(pq), mpr_proxy_free(pstart), mpr_proxy_free(pcont);
    return rc;
}

static int test_get(mpr_manager_t *m)
{
    mpr_proxy_t *ps[3];
    mpr_process_t *p = NULL;
    int rc;

    if ((rc = mpr_manager_queue(m, 0, &pq)) < 0 ||
        (rc = mpr_manager_event(m, &pstart)) < 0 ||
        (rc = mpr_manager_event(m, &pcont)) < 0)
        return rc;
    ps[0] = pq, ps[1] = pstart, ps[2] = pcont;
    if ((rc = start(&p, put_get_f, 3, ps, mpr_obj_bool(0))) < 0)
        goto done;
    empty_full("empty:", 0);
    case_call(pstart, "set", NULL);
    case_call(pcont, "wait", NULL);
    empty_full("empty:", 0);
    printf("gets: %s",
           case_call(pq, "get", TUP2(mpr_obj_bool(1), mpr_obj_none())));
    printf(" %s", case_call(pq, "get", TUP1(mpr_obj_bool(1))));
    printf(" %s", outcome(pq, "get", NULL, 1));
    printf(" %s\n", case_call(pq, "get_nowait", NULL));
    empty_full("empty:", 0);
    timed("get(False)", pq, "get", TUP1(mpr_obj_bool(0)), -1);
    timed("get(False, None)", pq, "get", TUP2(mpr_obj_bool(0), mpr_obj_none()),
          -1);
    timed("get_nowait()", pq, "get_nowait", NULL, -1);
    timed("get(True, 0.2)", pq, "get",
          TUP2(mpr_obj_bool(1), mpr_obj_float(0.2)), -1);
    timed("get(False, 0.2)", pq, "get",
          TUP2(mpr_obj_bool(0), mpr_obj_float(0.2)), -1);
    timed("get(timeout=0.3)", pq, "get", NULL, 0.3);
    join(p);
done:
    mpr_process_free(p);
    mpr_proxy_free(pq), mpr_proxy_free(pstart), mpr_proxy_free(pcont);
    return rc;
}

static int test_fork(mpr_manager_t *m)
{
    mpr_process_t *p = NULL;
    mpr_obj_t *got = mpr_obj_list(), *x;
    char *r;
    int rc;

    if ((rc = mpr_manager_queue(m, 0, &pq)) < 0)
        goto done;
    for (int i = 0; i < 10; i++)
        case_call(pq, "put", TUP1(INT(i)));
    mpr_sleep(0.1);
    if ((rc = start(&p, fork_f, 1, &pq, NULL)) < 0)
        goto done;
    for (int i = 0; i < 20 && rc >= 0; i++)
        if ((rc = call(pq, "get", NULL, NULL, &x)) >= 0)
            mpr_obj_list_append_steal(got, x);
    if (rc >= 0 && mpr_obj_repr(got, &r, NULL) == 0) {
        printf("got: %s\n", r);
        mpr_free(r);
    }
    timed("get(False)", pq, "get", TUP1(mpr_obj_bool(0)), -1);
    join(p);
done:
    mpr_obj_decref(got);
    mpr_process_free(p);
    mpr_proxy_free(pq);
    return rc;
}

static int test_qsize(mpr_manager_t *m)
{
    int rc;

    if ((rc = mpr_manager_queue(m, 0, &pq)) < 0)
        return rc;
    printf("qsize: [%s", case_call(pq, "qsize", NULL));
    case_call(pq, "put", TUP1(INT(1)));
    printf(", %s", case_call(pq, "qsize", NULL));
    case_call(pq, "put", TUP1(INT(5)));
    printf(", %s", case_call(pq, "qsize", NULL));
    for (int i = 0; i < 2; i++) {
        case_call(pq, "get", NULL);
        printf(", %s", case_call(pq, "qsize", NULL));
    }
    printf("]\n");
    mpr_proxy_free(pq);
    return 0;
}

static int test_task_done(mpr_manager_t *m)
{
    mpr_process_t *w[4] = {NULL};
    mpr_proxy_t *ps[2];
    mpr_obj_t *items = mpr_obj_list(), *x, *sorted = NULL;
    char *r;
    int rc, n, code;

    if ((rc = mpr_manager_create(m, "JoinableQueue", NULL, NULL, &pq)) < 0 ||
        (rc = mpr_manager_list(m, NULL, &pdone)) < 0)
        goto done;
    if (mpr_proxy_repr(pq, &r, NULL) == 0)
        printf("joinable: %s\n", r);
    mpr_free(r);
    ps[0] = pq, ps[1] = pdone;
    for (int i = 0; i < 4 && rc >= 0; i++)
        rc = start(&w[i], task_done_f, 2, ps, NULL);
    for (int i = 0; i < 10 && rc >= 0; i++)
        rc = call(pq, "put", TUP1(INT(i)), NULL, NULL);
    if (rc < 0 || (rc = call(pq, "join", NULL, NULL, NULL)) < 0)
        goto done;
    n = mpr_proxy_len(pdone);
    for (int i = 0; i < n; i++) {
        mpr_obj_t *k = INT(i);
        if (mpr_proxy_getitem(pdone, k, &x) == 0)
            mpr_obj_list_append_steal(items, x);
        mpr_obj_decref(k);
    }
    if ((sorted = case_sorted(items)) != NULL &&
        mpr_obj_repr(sorted, &r, NULL) == 0) {
        printf("done at join(): %s\n", r);
        mpr_free(r);
    }
    for (int i = 0; i < 4; i++)
        case_call(pq, "put", TUP1(mpr_obj_none()));
    printf("exitcodes: [");
    for (int i = 0; i < 4; i++) {
        mpr_process_join(w[i], MPR_TIMEOUT_NONE);
        mpr_process_exitcode(w[i], &code);
        printf("%s%d", i ? ", " : "", code);
    }
    printf("]\n");
done:
    for (int i = 0; i < 4; i++)
        mpr_process_free(w[i]);
    mpr_obj_decref(items);
    mpr_obj_decref(sorted);
    mpr_proxy_free(pq);
    mpr_proxy_free(pdone);
    return rc;
}

static int run(mpr_manager_t *m)
{
    int rc;

    if ((rc = test_put(m)) < 0 || (rc = test_get(m)) < 0 ||
        (rc = test_fork(m)) < 0 || (rc = test_qsize(m)) < 0)
        return rc;
    return test_task_done(m);
}

int main(int argc, char **argv)
{
    return case_main_with_manager(argc, argv, run);
}
