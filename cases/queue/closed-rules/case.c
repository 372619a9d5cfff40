/*
 * queue/closed-rules: after close(), Queue and JoinableQueue refuse put and
 * get with ValueError 'Queue <repr> is closed'; qsize still answers;
 * empty() after join_thread() is OSError 'handle is closed' (a queue that
 * never started a feeder keeps its pipe); join_thread() on an open queue
 * is an AssertionError.  SimpleQueue: empty() across processes, close()
 * twice, then OSError 'handle is closed' from get, put and empty.
 * The SimpleQueue goes in args as a value, as in the Python.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

static mpr_squeue_t *sq;

static int putter(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_squeue_t *q = case_arg(args, 0, MPR_HANDLE_SQUEUE);
    mpr_obj_t *items = mpr_obj_item(args, 1);
    int rc = q != NULL ? 0 : mpr_last_error();

    (void)kwargs;
    for (size_t i = 0; rc == 0 && i < mpr_obj_len(items); i++)
        rc = mpr_squeue_put(q, mpr_obj_item(items, i));
    return rc;
}
MPR_TARGET(putter)

/* The class name of an exception, as type(e).__name__. */
static const char *short_type(int rc)
{
    const char *t = mpr_err_pytype(rc), *dot = strrchr(t, '.');

    return dot ? dot + 1 : t;
}

/* report(): an error as "label: Type: message", else "label: returned R" */
static void report(const char *label, int rc, const char *returned)
{
    if (rc < 0)
        printf("%s: %s: %s\n", label, short_type(rc), mpr_last_error_detail());
    else
        printf("%s: returned %s\n", label, returned);
}

static void report_bool(const char *label, int rc)
{
    report(label, rc, case_bool(rc > 0));
}

static int check_queue(int joinable)
{
    mpr_queue_t *q, *q2;
    mpr_obj_t *o, *got;
    char *r, num[32];
    int rc;

    if ((rc = joinable ? mpr_jqueue_new(&q, 0) : mpr_queue_new(&q, 0)) < 0 ||
        (rc = mpr_queue_repr(q, &r, NULL)) < 0)
        return rc;
    printf("%s\n", r);
    mpr_free(r);
    report("join_thread() while open", mpr_queue_join_thread(q), "None");
    for (int i = 1; i <= 2; i++) {
        o = mpr_obj_int(i);
        rc = mpr_queue_put(q, o, 1, MPR_TIMEOUT_NONE);
        mpr_obj_decref(o);
        if (rc < 0)
            return rc;
    }
    if ((rc = mpr_queue_close(q)) < 0 || (rc = mpr_queue_close(q)) < 0)
        return rc;
    o = mpr_obj_int(3);
    report("put", mpr_queue_put(q, o, 1, MPR_TIMEOUT_NONE), "None");
    report("put_nowait", mpr_queue_put_nowait(q, o), "None");
    mpr_obj_decref(o);
    /* none of these may succeed (a value got would be printed by repr) */
    for (int i = 0; i < 3; i++) {
        static const char *const labels[] = {"get", "get_nowait",
                                             "get(True, 1)"};
        rc = i == 0   ? mpr_queue_get(q, &got, 1, MPR_TIMEOUT_NONE)
             : i == 1 ? mpr_queue_get_nowait(q, &got)
                      : mpr_queue_get(q, &got, 1, 1);
        if (rc >= 0) {
            mpr_obj_decref(got);
            return MPR_EASSERT;
        }
        report(labels[i], rc, "");
    }
    snprintf(num, sizeof(num), "%d", rc = mpr_queue_qsize(q));
    report("qsize", rc, num);
    report("join_thread", mpr_queue_join_thread(q), "None");
    report_bool("empty", mpr_queue_empty(q));
    if ((rc = joinable ? mpr_jqueue_new(&q2, 0) : mpr_queue_new(&q2, 0)) < 0 ||
        (rc = mpr_queue_close(q2)) < 0)
        return rc;
    o = mpr_obj_int(1);
    report("never fed, closed: put", mpr_queue_put(q2, o, 1, MPR_TIMEOUT_NONE),
           "None");
    mpr_obj_decref(o);
    report_bool("never fed, closed: empty", mpr_queue_empty(q2));
    report("never fed, closed: join_thread", mpr_queue_join_thread(q2), "None");
    mpr_queue_free(q2);
    mpr_queue_free(q);
    return 0;
}

int main(int argc, char **argv)
{
    mpr_process_options_t o = {.target = putter};
    mpr_process_t *p;
    mpr_obj_t *got, *v;
    char *r;
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = check_queue(0)) < 0 ||
        (rc = check_queue(1)) < 0 || (rc = mpr_squeue_new(&sq)) < 0 ||
        (rc = mpr_squeue_repr(sq, &r, NULL)) < 0)
        return case_fail(rc);
    printf("%s\n", r);
    mpr_free(r);
    if ((rc = mpr_squeue_empty(sq)) < 0)
        return case_fail(rc);
    printf("empty: %s\n", case_bool(rc));
    o.args = mpr_obj_tuple_steal(
        2, mpr_obj_handle(MPR_HANDLE_SQUEUE, sq),
        mpr_obj_list_of_steal(3, mpr_obj_str("a"), mpr_obj_none(),
                              mpr_obj_tuple_steal(1, mpr_obj_str("b"))));
    if (o.args == NULL)
        return case_fail(mpr_last_error());
    if ((rc = mpr_process_new(&p, &o)) < 0 || (rc = mpr_process_start(p)) < 0 ||
        (rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return case_fail(rc);
    mpr_obj_decref((mpr_obj_t *)o.args);
    mpr_process_free(p);
    if ((rc = mpr_squeue_empty(sq)) < 0)
        return case_fail(rc);
    printf("a child put 3: %s\n", case_bool(rc));
    if ((v = mpr_obj_list()) == NULL)
        return case_fail(mpr_last_error());
    for (int i = 0; i < 3; i++)
        if ((rc = mpr_squeue_get(sq, &got)) < 0 ||
            (rc = mpr_obj_list_append_steal(v, got)) < 0)
            return case_fail(rc);
    if ((rc = mpr_obj_repr(v, &r, NULL)) < 0 || (rc = mpr_squeue_empty(sq)) < 0)
        return case_fail(rc);
    printf("got %s %s\n", r, case_bool(rc));
    mpr_free(r);
    mpr_obj_decref(v);
    v = mpr_obj_str("again");
    if ((rc = mpr_squeue_put(sq, v)) < 0)
        return case_fail(rc);
    mpr_obj_decref(v);
    if ((rc = mpr_squeue_empty(sq)) < 0)
        return case_fail(rc);
    printf("after put: %s ", case_bool(rc));
    if ((rc = mpr_squeue_get(sq, &got)) < 0)
        return case_fail(rc);
    printf("%s\n", mpr_obj_str_utf8(got, NULL));
    mpr_obj_decref(got);
    if ((rc = mpr_squeue_close(sq)) < 0 || (rc = mpr_squeue_close(sq)) < 0)
        return case_fail(rc);
    if ((rc = mpr_squeue_get(sq, &got)) >= 0) {
        mpr_obj_decref(got);
        return case_fail(MPR_EASSERT);
    }
    report("SimpleQueue get", rc, "");
    v = mpr_obj_int(1);
    report("SimpleQueue put", mpr_squeue_put(sq, v), "None");
    mpr_obj_decref(v);
    report_bool("SimpleQueue empty", mpr_squeue_empty(sq));
    mpr_squeue_free(sq);
    return 0;
}
