/*
 * interop/python-parent-c-child: a CPython parent and a C child (libmpref)
 * exchange values through one duplex Pipe.  Run plainly, this program
 * execs parent.py beside it, ordinary multiprocessing code that prints
 * what the case prints and starts this program again as its child with
 * `--child FD`, FD being the child's end of the Pipe.
 */
#include <mpr.h>

#include "support.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ORACLE "/usr/bin/python3"

/* The child: work(conn) of case.py. */
static int work(mpr_conn_t *conn)
{
    mpr_obj_t *numbers, *squares, *d, *t;
    int64_t sum = 0;
    int rc;

    if ((rc = mpr_conn_recv(conn, &numbers)) < 0)
        return rc;
    if ((squares = mpr_obj_list()) == NULL || (d = mpr_obj_dict()) == NULL)
        return mpr_last_error();
    for (size_t i = 0; i < mpr_obj_len(numbers); i++) {
        int64_t n;
        if ((rc = mpr_obj_as_int64(mpr_obj_item(numbers, i), &n)) < 0 ||
            (rc = mpr_obj_list_append_steal(squares, mpr_obj_int(n * n))) < 0)
            return rc;
        sum += n;
    }
    mpr_obj_decref(numbers);
    if ((rc = mpr_obj_dict_set_steal(d, mpr_obj_str("sum"), mpr_obj_int(sum))) <
            0 ||
        (rc = mpr_obj_dict_set_steal(d, mpr_obj_str("squares"), squares)) < 0 ||
        (rc = mpr_conn_send(conn, d)) < 0)
        return rc;
    mpr_obj_decref(d);
    t = mpr_obj_tuple_steal(4, mpr_obj_str("from the child"),
                            mpr_obj_float(-1.5), mpr_obj_bytes("bytes", 5),
                            mpr_obj_str("caf\xc3\xa9"));
    if (t == NULL || (rc = mpr_conn_send(conn, t)) < 0)
        return t == NULL ? mpr_last_error() : rc;
    mpr_obj_decref(t);
    if ((rc = mpr_conn_send_bytes(conn, "raw message", 11, 0, MPR_SIZE_NONE)) <
        0)
        return rc;
    return mpr_conn_close(conn);
}

int main(int argc, char **argv)
{
    char parent_py[PATH_MAX], exe[PATH_MAX];
    mpr_conn_t *conn;
    ssize_t n;
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0)
        return 1;
    if (argc == 3 && strcmp(argv[1], "--child") == 0) {
        if ((rc = mpr_conn_new(&conn, atoi(argv[2]), 1, 1)) == 0)
            rc = work(conn);
        mpr_conn_free(conn);
        return rc == 0 ? 0 : case_fail(rc);
    }
    if (CASE_SIBLING("parent.py", parent_py, sizeof(parent_py)) < 0 ||
        (n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) < 0) {
        fprintf(stderr, "parent.py not found beside %s\n", __FILE__);
        return 1;
    }
    exe[n] = '\0';
    execl(ORACLE, "python3", parent_py, exe, (char *)NULL);
    fprintf(stderr, "exec %s: %s\n", ORACLE, strerror(errno));
    return 1;
}
