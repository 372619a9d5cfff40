/*
 * queue/get-timeout-locked: a child blocks in get() on an empty Queue,
 * holding its reader lock; the parent's timed gets still give up after
 * the timeout, its non-blocking ones at once, and the item it then puts
 * goes to the child.  Then a child blocks in put() on a full Queue(1) while
 * the parent's timed put gives up.
 * Queues go in args as values, as in the Python.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

static mpr_queue_t *q, *out, *q1;

static int blocked_reader(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_obj_t *got, *t;
    int rc;

    (void)kwargs;
    if ((rc = case_queue_of(mpr_obj_item(args, 0), &q)) < 0 ||
        (rc = case_queue_of(mpr_obj_item(args, 1), &out)) < 0 ||
        (rc = mpr_queue_get(q, &got, 1, MPR_TIMEOUT_NONE)) < 0)
        return rc;
    t = mpr_obj_tuple_steal(2, mpr_obj_str("reader got"), got);
    rc = t ? mpr_queue_put(out, t, 1, MPR_TIMEOUT_NONE) : mpr_last_error();
    mpr_obj_decref(t);
    return rc;
}
MPR_TARGET(blocked_reader)

static int blocked_writer(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_obj_t *v = mpr_obj_str("second");
    int rc = case_queue_of(mpr_obj_item(args, 0), &q1);

    (void)kwargs;
    if (rc >= 0)
        rc = mpr_queue_put(q1, v, 1, MPR_TIMEOUT_NONE);
    mpr_obj_decref(v);
    return rc < 0 ? rc : 0;
}
MPR_TARGET(blocked_writer)

/* The class name of an exception, as type(e).__name__. */
static const char *short_type(int rc)
{
    const char *t = mpr_err_pytype(rc), *dot = strrchr(t, '.');

    return dot ? dot + 1 : t;
}

/* A get that must fail with Empty: the seconds it took in *dt. */
static int timed_get_empty(mpr_queue_t *queue, int nowait, int block,
                           double timeout, double *dt)
{
    double t = mpr_monotonic();
    mpr_obj_t *got;
    int rc = nowait ? mpr_queue_get_nowait(queue, &got)
                    : mpr_queue_get(queue, &got, block, timeout);

    *dt = mpr_monotonic() - t;
    if (rc == MPR_EEMPTY)
        return 0;
    if (rc == 0) {
        mpr_obj_decref(got);
        return MPR_EASSERT;
    }
    return rc;
}

/* A put that must fail with Full. */
static int timed_put_full(mpr_queue_t *queue, int nowait, double timeout,
                          double *dt)
{
    mpr_obj_t *v = mpr_obj_str("third");
    double t = mpr_monotonic();
    int rc = nowait ? mpr_queue_put_nowait(queue, v)
                    : mpr_queue_put(queue, v, 1, timeout);

    *dt = mpr_monotonic() - t;
    mpr_obj_decref(v);
    if (rc == MPR_EFULL)
        return 0;
    return rc < 0 ? rc : MPR_EASSERT;
}

static int put_str(mpr_queue_t *queue, const char *s)
{
    mpr_obj_t *v = mpr_obj_str(s);
    int rc =
        v ? mpr_queue_put(queue, v, 1, MPR_TIMEOUT_NONE) : mpr_last_error();

    mpr_obj_decref(v);
    return rc;
}

int main(int argc, char **argv)
{
    mpr_process_t *p;
    mpr_obj_t *got, *got2;
    double dt;
    char *r;
    int rc, code;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = mpr_queue_new(&q, 0)) < 0 ||
        (rc = mpr_queue_new(&out, 0)) < 0 ||
        (rc = case_start(
             &p, blocked_reader,
             mpr_obj_tuple_steal(2, mpr_obj_handle(MPR_HANDLE_QUEUE, q),
                                 mpr_obj_handle(MPR_HANDLE_QUEUE, out)))) < 0 ||
        (rc = mpr_sleep(0.5)) < 0)
        return case_fail(rc);
    for (int i = 0; i < 2; i++) {
        if ((rc = timed_get_empty(q, 0, 1, 0.3, &dt)) < 0)
            return case_fail(rc);
        printf("%s: Empty waited 0.3: %s\n",
               i == 0 ? "get(timeout=0.3)" : "get(True, 0.3)",
               case_bool(0.3 <= dt && dt < 5.0));
    }
    for (int i = 0; i < 2; i++) {
        if ((rc = timed_get_empty(q, i, 0, MPR_TIMEOUT_NONE, &dt)) < 0)
            return case_fail(rc);
        printf("%s: Empty at once: %s\n",
               i == 0 ? "get(False)" : "get_nowait()", case_bool(dt < 1.0));
    }
    printf("reader alive: %s\n", case_bool(mpr_process_is_alive(p) == 1));
    if ((rc = put_str(q, "x")) < 0 ||
        (rc = mpr_queue_get(out, &got, 1, 60)) < 0 ||
        (rc = mpr_obj_repr(got, &r, NULL)) < 0)
        return case_fail(rc);
    printf("%s\n", r);
    mpr_free(r);
    mpr_obj_decref(got);
    if ((rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return case_fail(rc);
    mpr_process_exitcode(p, &code);
    printf("reader exitcode %d qsize %d\n", code, mpr_queue_qsize(q));
    mpr_process_free(p);

    if ((rc = mpr_queue_new(&q1, 1)) < 0 || (rc = put_str(q1, "first")) < 0 ||
        (rc = case_start(&p, blocked_writer,
                         mpr_obj_tuple_steal(
                             1, mpr_obj_handle(MPR_HANDLE_QUEUE, q1)))) < 0 ||
        (rc = mpr_sleep(0.5)) < 0 || (rc = timed_put_full(q1, 0, 0.3, &dt)) < 0)
        return case_fail(rc);
    printf("put(timeout=0.3) on a full queue: %s waited 0.3: %s\n",
           short_type(MPR_EFULL), case_bool(0.3 <= dt && dt < 5.0));
    if ((rc = timed_put_full(q1, 1, 0, &dt)) < 0)
        return case_fail(rc);
    printf("put_nowait: %s at once: %s\n", short_type(MPR_EFULL),
           case_bool(dt < 1.0));
    printf("writer alive: %s\n", case_bool(mpr_process_is_alive(p) == 1));
    if ((rc = mpr_queue_get(q1, &got, 1, 60)) < 0 ||
        (rc = mpr_queue_get(q1, &got2, 1, 60)) < 0)
        return case_fail(rc);
    printf("got %s %s\n", mpr_obj_str_utf8(got, NULL),
           mpr_obj_str_utf8(got2, NULL));
    mpr_obj_decref(got);
    mpr_obj_decref(got2);
    if ((rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return case_fail(rc);
    mpr_process_exitcode(p, &code);
    printf("writer exitcode %d qsize %d\n", code, mpr_queue_qsize(q1));
    mpr_process_free(p);
    mpr_queue_free(q);
    mpr_queue_free(out);
    mpr_queue_free(q1);
    return 0;
}
