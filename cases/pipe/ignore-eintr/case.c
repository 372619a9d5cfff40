/*
 * pipe/ignore-eintr: a child with a SIGUSR1 handler (installed without
 * SA_RESTART, as CPython installs its handlers) is signalled while blocked
 * in mpr_conn_recv() and in a 16 MiB + 1 mpr_conn_send_bytes(); neither
 * fails nor returns early.
 */
#include <mpr.h>

#include "support.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONN_MAX_SIZE (16 * 1024 * 1024 + 1)

static mpr_conn_t *conn, *child_conn;
static volatile sig_atomic_t got;

static void record(int sig)
{
    (void)sig;
    got++;
}

static int child(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    struct sigaction sa = {.sa_handler = record};
    mpr_obj_t *x = NULL, *o;
    char *buf;
    int rc;

    (void)kwargs;
    if ((rc = case_conns_of(args, 1, &child_conn)) < 0)
        return rc;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    if ((o = mpr_obj_str("ready")) == NULL)
        return mpr_last_error();
    rc = mpr_conn_send(child_conn, o);
    mpr_obj_decref(o);
    if (rc < 0 || (rc = mpr_conn_recv(child_conn, &x)) < 0 ||
        (rc = mpr_conn_send(child_conn, x)) < 0)
        return rc;
    mpr_obj_decref(x);
    if ((buf = malloc(CONN_MAX_SIZE)) == NULL)
        return -12; /* -ENOMEM */
    memset(buf, 'x', CONN_MAX_SIZE);
    rc = mpr_conn_send_bytes(child_conn, buf, CONN_MAX_SIZE, 0, MPR_SIZE_NONE);
    free(buf);
    if (rc < 0)
        return rc;
    if ((o = mpr_obj_int(got)) == NULL)
        return mpr_last_error();
    rc = mpr_conn_send(child_conn, o);
    mpr_obj_decref(o);
    return rc;
}
MPR_TARGET(child)

static int print_recv(const char *what)
{
    mpr_obj_t *o;
    char *r;
    int rc;

    if ((rc = mpr_conn_recv(conn, &o)) < 0)
        return rc;
    /* print(): a str as it is, anything else (an int here) as its repr */
    const char *s =
        mpr_obj_type(o) == MPR_OBJ_STR ? mpr_obj_str_utf8(o, NULL) : NULL;
    if (s)
        printf("%s %s\n", what, s);
    else if ((rc = mpr_obj_repr(o, &r, NULL)) == 0) {
        printf("%s %s\n", what, r);
        mpr_free(r);
    }
    mpr_obj_decref(o);
    return rc;
}

int main(int argc, char **argv)
{
    mpr_process_t *p;
    mpr_obj_t *args, *o;
    pid_t pid;
    char *data;
    size_t len;
    int rc, code;

    if ((rc = mpr_main(argc, argv)) < 0 ||
        (rc = mpr_pipe(&conn, &child_conn, 1)) < 0)
        return case_fail(rc);
    if ((args = case_conns_value(1, &child_conn)) == NULL)
        return case_fail(mpr_last_error());
    mpr_process_options_t po = {
        .target = child, .args = args, .daemon = MPR_TRUE};
    if ((rc = mpr_process_new(&p, &po)) < 0 ||
        (rc = mpr_process_start(p)) < 0 || (rc = mpr_process_pid(p, &pid)) < 0)
        return case_fail(rc);
    mpr_conn_free(child_conn); /* child_conn.close() */
    if ((rc = print_recv("child says:")) < 0)
        return case_fail(rc);
    for (int i = 0; i < 2; i++) {
        mpr_sleep(0.1);
        kill(pid, SIGUSR1);
    }
    mpr_sleep(0.1);
    if ((o = mpr_obj_int(1234)) == NULL || (rc = mpr_conn_send(conn, o)) < 0)
        return case_fail(o ? rc : mpr_last_error());
    mpr_obj_decref(o);
    if ((rc = print_recv("echo:")) < 0)
        return case_fail(rc);
    for (int i = 0; i < 2; i++) {
        mpr_sleep(0.1);
        kill(pid, SIGUSR1);
    }
    if ((rc = mpr_conn_recv_bytes(conn, MPR_SIZE_NONE, &data, &len)) < 0)
        return case_fail(rc);
    int same = len == CONN_MAX_SIZE;
    for (size_t i = 0; same && i < len; i++)
        same = data[i] == 'x';
    printf("bytes: %zu %s\n", len, case_bool(same));
    mpr_free(data);
    if ((rc = print_recv("signals the child handled:")) < 0 ||
        (rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return case_fail(rc);
    if (mpr_process_exitcode(p, &code) == 1)
        printf("exitcode: %d\n", code);
    mpr_process_free(p);
    mpr_obj_decref(args);
    mpr_conn_free(conn);
    return 0;
}
