/*
 * pipe/simplex-ends: Pipe(True) ends both send and receive (a child echoes
 * a message); Pipe(False) is (reader, writer), and the wrong direction on
 * either end is OSError.
 * Connections go in args as values, as in the Python.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

static mpr_conn_t *conn1, *conn2;
static int echo(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_obj_t *got, *t;
    int rc;

    (void)kwargs;
    if ((rc = case_conns_of(args, 1, &conn2)) < 0 ||
        (rc = mpr_conn_recv(conn2, &got)) < 0)
        return rc;
    t = mpr_obj_tuple_steal(2, mpr_obj_str("child got"), got);
    rc = t ? mpr_conn_send(conn2, t) : mpr_last_error();
    mpr_obj_decref(t);
    if (rc < 0)
        return rc;
    return mpr_conn_close(conn2);
}
MPR_TARGET(echo)

static int sender(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_obj_t *s = mpr_obj_str("hello through a one-way pipe");
    int rc = case_conns_of(args, 1, &conn2);

    (void)kwargs;
    if (rc == 0)
        rc = s ? mpr_conn_send(conn2, s) : mpr_last_error();
    mpr_obj_decref(s);
    if (rc < 0)
        return rc;
    return mpr_conn_close(conn2);
}
MPR_TARGET(sender)

/* print(x): a str as its text, anything else as its repr. */
static int print_obj(const mpr_obj_t *o)
{
    char *r;
    int rc;

    if (mpr_obj_type(o) == MPR_OBJ_STR) {
        printf("%s\n", mpr_obj_str_utf8(o, NULL));
        return 0;
    }
    if ((rc = mpr_obj_repr(o, &r, NULL)) < 0)
        return rc;
    printf("%s\n", r);
    mpr_free(r);
    return 0;
}

/* except OSError as e: print(label, type(e).__name__, e) */
static void print_oserror(const char *label, int rc)
{
    printf("%s %s %s\n", label, mpr_err_pytype(rc), mpr_last_error_detail());
}

int main(int argc, char **argv)
{
    mpr_process_options_t oe = {.target = echo}, os_ = {.target = sender};
    mpr_process_t *p;
    mpr_obj_t *o;
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0 ||
        (rc = mpr_pipe(&conn1, &conn2, 1)) < 0)
        return case_fail(rc);
    if ((oe.args = case_conns_value(1, &conn2)) == NULL)
        return case_fail(mpr_last_error());
    if ((rc = mpr_process_new(&p, &oe)) < 0 || (rc = mpr_process_start(p)) < 0)
        return case_fail(rc);
    mpr_obj_decref((mpr_obj_t *)oe.args);
    o = mpr_obj_str("ping");
    if ((rc = mpr_conn_send(conn1, o)) < 0)
        return case_fail(rc);
    mpr_obj_decref(o);
    if ((rc = mpr_conn_recv(conn1, &o)) < 0 || (rc = print_obj(o)) < 0)
        return case_fail(rc);
    mpr_obj_decref(o);
    if ((rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return case_fail(rc);
    mpr_process_free(p);
    mpr_conn_free(conn1);
    mpr_conn_free(conn2);

    if ((rc = mpr_pipe(&conn1, &conn2, 0)) < 0)
        return case_fail(rc);
    printf("%s %s %s %s\n", case_bool(mpr_conn_readable(conn1)),
           case_bool(mpr_conn_writable(conn1)),
           case_bool(mpr_conn_readable(conn2)),
           case_bool(mpr_conn_writable(conn2)));
    if ((os_.args = case_conns_value(1, &conn2)) == NULL)
        return case_fail(mpr_last_error());
    if ((rc = mpr_process_new(&p, &os_)) < 0 || (rc = mpr_process_start(p)) < 0)
        return case_fail(rc);
    mpr_obj_decref((mpr_obj_t *)os_.args);
    if ((rc = mpr_conn_recv(conn1, &o)) < 0 || (rc = print_obj(o)) < 0)
        return case_fail(rc);
    mpr_obj_decref(o);
    if ((rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return case_fail(rc);
    o = mpr_obj_str("back");
    if ((rc = mpr_conn_send(conn1, o)) < 0)
        print_oserror("conn1.send:", rc);
    mpr_obj_decref(o);
    if ((rc = mpr_conn_recv(conn2, &o)) < 0)
        print_oserror("conn2.recv:", rc);
    mpr_process_free(p);
    mpr_conn_free(conn1);
    mpr_conn_free(conn2);
    return 0;
}
