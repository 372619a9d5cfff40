/*
 * interop/c-parent-python-child: a C parent (libmpref) and a CPython child
 * exchange values through one duplex Pipe.  The child is child.py beside
 * this file, ordinary multiprocessing.connection code, started with its
 * end of the Pipe as a descriptor; it echoes (type name, value) for each
 * value until None, then sends [42, None, 'hello'] and closes.
 */
#include <mpr.h>

#include "support.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define ORACLE "/usr/bin/python3"

/* A file beside this source: __FILE__ is relative to the build root, the
 * parent of the folder holding this program (BUILD/cases/case-...). */
static mpr_obj_t *value(int i)
{
    mpr_obj_t *d;

    switch (i) {
    case 0:
        return mpr_obj_int(42);
    case 1:
        return mpr_obj_int(INT64_MIN);
    case 2:
        return mpr_obj_int(INT64_MAX);
    case 3:
        return mpr_obj_float(2.5);
    case 4:
        return mpr_obj_float(1e16);
    case 5:
        return mpr_obj_float(INFINITY);
    case 6:
        return mpr_obj_str("h\xc3\xa9llo \xe2\x82\xac");
    case 7:
        return mpr_obj_str("it's");
    case 8:
        return mpr_obj_bytes("\x00\xff", 2);
    case 9:
        return mpr_obj_tuple_steal(1, mpr_obj_int(1));
    case 10:
        return mpr_obj_list_of_steal(2, mpr_obj_none(), mpr_obj_bool(1));
    case 11:
        d = mpr_obj_dict();
        if (d && mpr_obj_dict_set_steal(
                     d, mpr_obj_str("k"),
                     mpr_obj_tuple_steal(2, mpr_obj_int(1),
                                         mpr_obj_float(2.5))) < 0) {
            mpr_obj_decref(d);
            return NULL;
        }
        return d;
    default:
        d = mpr_obj_dict();
        if (d == NULL ||
            mpr_obj_dict_set_steal(d, mpr_obj_int(1), mpr_obj_str("1")) < 0 ||
            mpr_obj_dict_set_steal(d, mpr_obj_str("2"), mpr_obj_int(2)) < 0 ||
            mpr_obj_dict_set_steal(d, mpr_obj_float(0.25), mpr_obj_none()) <
                0) {
            mpr_obj_decref(d);
            return NULL;
        }
        return d;
    }
}

/* print(parent_conn.recv()) */
static int print_recv(mpr_conn_t *c)
{
    mpr_obj_t *o;
    char *r;
    int rc;

    if ((rc = mpr_conn_recv(c, &o)) < 0)
        return rc;
    if ((rc = mpr_obj_repr(o, &r, NULL)) == 0) {
        printf("%s\n", r);
        mpr_free(r);
    }
    mpr_obj_decref(o);
    return rc;
}

int main(int argc, char **argv)
{
    mpr_conn_t *parent_conn, *child_conn;
    char child_py[PATH_MAX], fdarg[16];
    int rc, status;
    mpr_obj_t *o;
    pid_t pid;

    if ((rc = mpr_main(argc, argv)) < 0 ||
        (rc = mpr_pipe(&parent_conn, &child_conn, 1)) < 0)
        return case_fail(rc);
    if (CASE_SIBLING("child.py", child_py, sizeof(child_py)) < 0) {
        fprintf(stderr, "child.py not found beside %s\n", __FILE__);
        return 1;
    }
    snprintf(fdarg, sizeof(fdarg), "%d", mpr_conn_fileno(child_conn));
    fflush(stdout);
    if ((pid = fork()) < 0)
        return case_fail(-errno);
    if (pid == 0) { /* the child's end survives exec; the parent's does not */
        fcntl(mpr_conn_fileno(child_conn), F_SETFD, 0);
        execl(ORACLE, "python3", child_py, fdarg, (char *)NULL);
        _exit(127);
    }
    mpr_conn_close(child_conn);
    for (int i = 0; i < 13; i++) {
        if ((o = value(i)) == NULL)
            return case_fail(mpr_last_error());
        rc = mpr_conn_send(parent_conn, o);
        mpr_obj_decref(o);
        if (rc < 0 || (rc = print_recv(parent_conn)) < 0)
            return case_fail(rc);
    }
    if ((rc = mpr_conn_send(parent_conn, mpr_obj_none())) < 0 ||
        (rc = print_recv(parent_conn)) < 0)
        return case_fail(rc);
    if ((rc = mpr_conn_recv(parent_conn, &o)) == MPR_EEOF)
        printf("EOF\n");
    else if (rc == 0)
        mpr_obj_decref(o);
    else
        return case_fail(rc);
    while (waitpid(pid, &status, 0) < 0)
        ;
    printf("exitcode %d\n",
           WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status));
    mpr_conn_free(parent_conn);
    mpr_conn_free(child_conn);
    return 0;
}
