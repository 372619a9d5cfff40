/*
 * pipe/send-list: pros_communication_pipe() prints both ends of a Pipe,
 * then the [42, None, 'hello'] a child sends through it.
 * Connections go in args as values, as in the Python.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

static mpr_conn_t *parent_conn, *child_conn;

static int f_pipe(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_obj_t *l = mpr_obj_list_of_steal(3, mpr_obj_int(42), mpr_obj_none(),
                                         mpr_obj_str("hello"));
    int rc = case_conns_of(args, 1, &child_conn);

    (void)kwargs;
    if (rc == 0)
        rc = l ? mpr_conn_send(child_conn, l) : mpr_last_error();
    mpr_obj_decref(l);
    if (rc < 0)
        return rc;
    return mpr_conn_close(child_conn);
}
MPR_TARGET(f_pipe)

static int pros_communication_pipe(void)
{
    mpr_process_options_t o = {.target = f_pipe};
    mpr_process_t *p;
    mpr_obj_t *got;
    char *r1, *r2;
    int rc;

    if ((rc = mpr_pipe(&parent_conn, &child_conn, 1)) < 0 ||
        (rc = mpr_conn_repr(parent_conn, &r1, NULL)) < 0)
        return rc;
    if ((rc = mpr_conn_repr(child_conn, &r2, NULL)) < 0) {
        mpr_free(r1);
        return rc;
    }
    printf("%s %s\n", r1, r2);
    mpr_free(r1);
    mpr_free(r2);
    if ((o.args = case_conns_value(1, &child_conn)) == NULL)
        return mpr_last_error();
    rc = mpr_process_new(&p, &o);
    mpr_obj_decref((mpr_obj_t *)o.args);
    if (rc < 0 || (rc = mpr_process_start(p)) < 0 ||
        (rc = mpr_conn_recv(parent_conn, &got)) < 0)
        return rc;
    if ((rc = mpr_obj_repr(got, &r1, NULL)) < 0)
        return rc;
    printf("%s\n", r1);
    mpr_free(r1);
    mpr_obj_decref(got);
    if ((rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return rc;
    mpr_process_free(p);
    mpr_conn_free(parent_conn);
    mpr_conn_free(child_conn);
    return 0;
}

int main(int argc, char **argv)
{
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = pros_communication_pipe()) < 0)
        return case_fail(rc);
    return 0;
}
