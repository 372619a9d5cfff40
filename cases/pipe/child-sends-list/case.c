/*
 * pipe/child-sends-list: a child sends [42, None, 'hello'] through a duplex
 * Pipe; the parent prints what it receives.
 * The connection goes in args as a handle value, as in the Python.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

static int f(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_conn_t *conn = case_arg(args, 0, MPR_HANDLE_CONN);
    mpr_obj_t *l = mpr_obj_list_of_steal(3, mpr_obj_int(42), mpr_obj_none(),
                                         mpr_obj_str("hello"));
    int rc;

    (void)kwargs;
    rc = conn == NULL || l == NULL ? mpr_last_error() : mpr_conn_send(conn, l);
    mpr_obj_decref(l);
    if (rc < 0)
        return rc;
    return mpr_conn_close(conn);
}
MPR_TARGET(f)

int main(int argc, char **argv)
{
    mpr_process_options_t o = {.target = f};
    mpr_conn_t *parent_conn, *child_conn;
    mpr_process_t *p;
    mpr_obj_t *args;
    mpr_obj_t *got;
    char *r;
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0 ||
        (rc = mpr_pipe(&parent_conn, &child_conn, 1)) < 0)
        return case_fail(rc);
    if ((o.args = args = mpr_obj_tuple_steal(
             1, mpr_obj_handle(MPR_HANDLE_CONN, child_conn))) == NULL)
        return case_fail(mpr_last_error());
    if ((rc = mpr_process_new(&p, &o)) < 0 || (rc = mpr_process_start(p)) < 0)
        return case_fail(rc);
    mpr_obj_decref(args);
    if ((rc = mpr_conn_recv(parent_conn, &got)) < 0 ||
        (rc = mpr_obj_repr(got, &r, NULL)) < 0)
        return case_fail(rc);
    printf("%s\n", r); /* print(parent_conn.recv()) */
    mpr_free(r);
    mpr_obj_decref(got);
    if ((rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return case_fail(rc);
    mpr_process_free(p);
    mpr_conn_free(parent_conn);
    mpr_conn_free(child_conn);
    return 0;
}
