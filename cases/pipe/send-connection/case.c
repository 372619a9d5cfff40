/*
 * pipe/send-connection: ends of two Pipe(False) travel to a running child,
 * one through a Pipe, one through a Queue, as CPython pickles them
 * (reduce_connection: the descriptor is duplicated when sent and served by
 * a resource sharer; the child rebuilds the Connection).  The parent
 * closes its copies; the child's keep working and their direction; EOF
 * when the child closes its writer.
 * ctrl_b and the queue go in the child's args as values, as in the
 * Python; the two ends sent later go as mpr_conn_reduce's values (a
 * Connection value pickles only into a child's args in libmpref).
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

static mpr_conn_t *ctrl_a, *ctrl_b;
static mpr_queue_t *q;

/* conn.send(obj) for a new reference */
static int send_steal(mpr_conn_t *c, mpr_obj_t *o)
{
    int rc = o ? mpr_conn_send(c, o) : mpr_last_error();

    mpr_obj_decref(o);
    return rc;
}

/* print(label, conn.recv()) for a str */
static int recv_print(mpr_conn_t *c, const char *label)
{
    mpr_obj_t *o;
    int rc;

    if ((rc = mpr_conn_recv(c, &o)) < 0)
        return rc;
    printf("%s %s", label, mpr_obj_str_utf8(o, NULL));
    mpr_obj_decref(o);
    return 0;
}

static int child(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_conn_t *ctrl = case_arg(args, 0, MPR_HANDLE_CONN), *w, *r2;
    mpr_queue_t *queue = case_arg(args, 1, MPR_HANDLE_QUEUE);
    mpr_obj_t *o;
    int rc;

    (void)kwargs;
    if (ctrl == NULL || queue == NULL)
        return mpr_last_error();
    if ((rc = mpr_conn_recv(ctrl, &o)) < 0)
        return rc;
    rc = mpr_conn_rebuild(&w, o);
    mpr_obj_decref(o);
    if (rc < 0 || (rc = mpr_queue_get(queue, &o, 1, MPR_TIMEOUT_NONE)) < 0)
        return rc;
    rc = mpr_conn_rebuild(&r2, o);
    mpr_obj_decref(o);
    if (rc < 0)
        return rc;
    printf("child got Connection %s %s Connection %s %s\n",
           case_bool(mpr_conn_readable(w)), case_bool(mpr_conn_writable(w)),
           case_bool(mpr_conn_readable(r2)), case_bool(mpr_conn_writable(r2)));
    fflush(stdout);
    if ((rc = send_steal(w, mpr_obj_str("via a sent writer"))) < 0 ||
        (rc = mpr_conn_send_bytes(w, "raw", 3, 0, MPR_SIZE_NONE)) < 0 ||
        (rc = recv_print(r2, "child reads")) < 0)
        return rc;
    printf("\n");
    fflush(stdout);
    for (int i = 0; i < 3; i++) {
        if (i == 0) {
            if ((rc = mpr_conn_recv(w, &o)) == 0)
                mpr_obj_decref(o);
        } else if (i == 1) {
            rc = mpr_conn_poll(w, 0.0);
        } else {
            rc = send_steal(r2, mpr_obj_int(1));
        }
        if (rc >= 0 || strcmp(mpr_err_pytype(rc), "OSError") != 0)
            return rc < 0 ? rc : MPR_EASSERT;
        printf("child: OSError %s\n", mpr_last_error_detail());
        fflush(stdout);
    }
    mpr_conn_free(w);
    mpr_conn_free(r2);
    return send_steal(ctrl, mpr_obj_str("done"));
}
MPR_TARGET(child)

int main(int argc, char **argv)
{
    mpr_process_options_t o = {.target = child};
    mpr_conn_t *r, *w, *r2, *w2;
    mpr_process_t *p;
    mpr_obj_t *red;
    char *buf;
    size_t len;
    int rc, code;

    if ((rc = mpr_main(argc, argv)) < 0 ||
        (rc = mpr_pipe(&ctrl_a, &ctrl_b, 1)) < 0 ||
        (rc = mpr_queue_new(&q, 0)) < 0)
        return case_fail(rc);
    if ((o.args =
             mpr_obj_tuple_steal(2, mpr_obj_handle(MPR_HANDLE_CONN, ctrl_b),
                                 mpr_obj_handle(MPR_HANDLE_QUEUE, q))) == NULL)
        return case_fail(mpr_last_error());
    if ((rc = mpr_process_new(&p, &o)) < 0 || (rc = mpr_process_start(p)) < 0)
        return case_fail(rc);
    mpr_obj_decref((mpr_obj_t *)o.args);
    mpr_conn_close(ctrl_b);
    if ((rc = mpr_pipe(&r, &w, 0)) < 0 || (rc = mpr_pipe(&r2, &w2, 0)) < 0)
        return case_fail(rc);
    /* ctrl_a.send(w); w.close() */
    if ((rc = mpr_conn_reduce(w, &red)) < 0 ||
        (rc = send_steal(ctrl_a, red)) < 0 || (rc = mpr_conn_close(w)) < 0)
        return case_fail(rc);
    /* q.put(r2) */
    if ((rc = mpr_conn_reduce(r2, &red)) < 0)
        return case_fail(rc);
    rc = mpr_queue_put(q, red, 1, MPR_TIMEOUT_NONE);
    mpr_obj_decref(red);
    if (rc < 0 || (rc = send_steal(w2, mpr_obj_str("to the child"))) < 0 ||
        (rc = recv_print(ctrl_a, "ctrl:")) < 0)
        return case_fail(rc);
    printf("\n");
    mpr_conn_close(r2);
    if ((rc = recv_print(r, "parent reads")) < 0 ||
        (rc = mpr_conn_recv_bytes(r, MPR_SIZE_NONE, &buf, &len)) < 0)
        return case_fail(rc);
    printf(" b'%.*s'\n", (int)len, buf);
    mpr_free(buf);
    if ((rc = mpr_conn_recv(r, &red)) != MPR_EEOF)
        return case_fail(rc < 0 ? rc : MPR_EASSERT);
    printf("then EOFError()\n");
    if ((rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return case_fail(rc);
    mpr_process_exitcode(p, &code);
    printf("child exitcode %d\n", code);
    mpr_process_free(p);
    mpr_conn_free(r);
    mpr_conn_free(w);
    mpr_conn_free(r2);
    mpr_conn_free(w2);
    mpr_conn_free(ctrl_a);
    mpr_conn_free(ctrl_b);
    mpr_queue_free(q);
    return 0;
}
