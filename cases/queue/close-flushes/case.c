/*
 * queue/close-flushes: the parent puts 2000 items of 100 bytes and closes
 * its Queue at once; close() drops nothing the feeder has not written yet,
 * join_thread() returns once it is all in the pipe, and the child (whose
 * copy is open) receives every item in order.
 * The queue and the connection go in args as values, as in the Python.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

#define N 2000

static mpr_queue_t *q;
static mpr_conn_t *a, *b;

/* (i, bytes([i % 256]) * 100) */
static mpr_obj_t *item(int i)
{
    unsigned char data[100];

    memset(data, i % 256, sizeof(data));
    return mpr_obj_tuple_steal(2, mpr_obj_int(i),
                               mpr_obj_bytes(data, sizeof(data)));
}

/* reader(q, n, out) */
static int reader(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_queue_t *q = case_arg(args, 0, MPR_HANDLE_QUEUE);
    mpr_conn_t *out = case_arg(args, 2, MPR_HANDLE_CONN);
    int64_t n = mpr_obj_int_value(mpr_obj_item(args, 1));
    int rc, same = 1;
    mpr_obj_t *res;

    (void)kwargs;
    if (q == NULL || out == NULL)
        return mpr_last_error();
    for (int64_t i = 0; i < n; i++) {
        mpr_obj_t *got, *want = item((int)i);
        if (want == NULL)
            return mpr_last_error();
        if ((rc = mpr_queue_get(q, &got, 1, 60)) < 0) {
            mpr_obj_decref(want);
            return rc;
        }
        same = same && mpr_obj_eq(got, want) == 1;
        mpr_obj_decref(got);
        mpr_obj_decref(want);
    }
    res = mpr_obj_tuple_steal(2, mpr_obj_int(n), mpr_obj_bool(same));
    rc = res ? mpr_conn_send(out, res) : mpr_last_error();
    mpr_obj_decref(res);
    return rc;
}
MPR_TARGET(reader)

int main(int argc, char **argv)
{
    mpr_process_options_t o = {.target = reader};
    mpr_process_t *p;
    mpr_obj_t *got, *late;
    char *r, *qr, want[256];
    int rc, code;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = mpr_queue_new(&q, 0)) < 0 ||
        (rc = mpr_pipe(&a, &b, 1)) < 0)
        return case_fail(rc);
    if ((o.args = mpr_obj_tuple_steal(
             3, mpr_obj_handle(MPR_HANDLE_QUEUE, q), mpr_obj_int(N),
             mpr_obj_handle(MPR_HANDLE_CONN, b))) == NULL)
        return case_fail(mpr_last_error());
    if ((rc = mpr_process_new(&p, &o)) < 0 || (rc = mpr_process_start(p)) < 0)
        return case_fail(rc);
    mpr_obj_decref((mpr_obj_t *)o.args);
    for (int i = 0; i < N; i++) {
        mpr_obj_t *it = item(i);
        rc = it ? mpr_queue_put(q, it, 1, MPR_TIMEOUT_NONE) : mpr_last_error();
        mpr_obj_decref(it);
        if (rc < 0)
            return case_fail(rc);
    }
    if ((rc = mpr_queue_close(q)) < 0)
        return case_fail(rc);
    late = mpr_obj_str("late");
    rc = mpr_queue_put(q, late, 1, MPR_TIMEOUT_NONE);
    mpr_obj_decref(late);
    if (rc != MPR_EVALUE)
        return case_fail(rc < 0 ? rc : MPR_EASSERT);
    /* str(e) == 'Queue %r is closed' % q */
    if ((rc = mpr_queue_repr(q, &qr, NULL)) < 0)
        return case_fail(rc);
    snprintf(want, sizeof(want), "Queue %s is closed", qr);
    mpr_free(qr);
    printf("put after close: ValueError %s\n",
           case_bool(strcmp(mpr_last_error_detail(), want) == 0));
    if ((rc = mpr_queue_join_thread(q)) < 0)
        return case_fail(rc);
    printf("join_thread: None\n");
    if ((rc = mpr_conn_recv(a, &got)) < 0 ||
        (rc = mpr_obj_repr(got, &r, NULL)) < 0)
        return case_fail(rc);
    printf("reader got %s\n", r);
    mpr_free(r);
    mpr_obj_decref(got);
    if ((rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return case_fail(rc);
    mpr_process_exitcode(p, &code);
    printf("reader exitcode %d qsize %d\n", code, mpr_queue_qsize(q));
    mpr_process_free(p);
    mpr_queue_free(q);
    mpr_conn_free(a);
    mpr_conn_free(b);
    return 0;
}
