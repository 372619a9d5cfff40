/*
 * pipe/handles-and-timeouts: `with a, b:` closes both Pipe ends (closed
 * False inside, True after, recv() then raises OSError); Connection(-1)
 * raises ValueError, and poll() on a Connection over a descriptor that is
 * not open returns or raises instead of crashing; a Pipe and a
 * Listener/Client pair whose peer answers after 1 s both wait for it.
 *
 * socket.setdefaulttimeout(0.1) has no counterpart in C: there is no
 * process-wide default for socket timeouts, and libmpref's sockets are
 * blocking, as CPython makes its own whatever that default says.  The
 * rest of the timeout contract stays: recv() and accept() wait the full
 * second.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

/* late_sender(child, address) */
static int late_sender(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_conn_t *child = case_arg(args, 0, MPR_HANDLE_CONN), *conn;
    mpr_obj_t *v;
    int rc;

    (void)kwargs;
    if (child == NULL)
        return mpr_last_error();
    mpr_sleep(1.0);
    if ((v = mpr_obj_int(123)) == NULL)
        return mpr_last_error();
    rc = mpr_conn_send(child, v);
    mpr_obj_decref(v);
    if (rc < 0 || (rc = mpr_conn_close(child)) < 0)
        return rc;
    if ((rc = mpr_client(&conn, mpr_obj_item(args, 1), NULL, NULL, 0)) < 0)
        return rc;
    if ((v = mpr_obj_int(456)) == NULL)
        rc = mpr_last_error();
    else
        rc = mpr_conn_send(conn, v);
    mpr_obj_decref(v);
    mpr_conn_free(conn);
    return rc;
}
MPR_TARGET(late_sender)

/* except OSError: an errno, or a library code whose class is OSError
 * ("handle is closed") */
static int is_oserror(int rc)
{
    return (rc < 0 && rc > MPR_ERRNO_FIRST - 1 && rc > MPR_EVALUE) ||
           strcmp(mpr_err_pytype(rc), "OSError") == 0;
}

/* print(what, repr(conn.recv())) */
static int print_recv(const char *what, mpr_conn_t *c)
{
    mpr_obj_t *got;
    int rc = mpr_conn_recv(c, &got);

    if (rc < 0)
        return rc;
    rc = case_print_repr(what, got);
    mpr_obj_decref(got);
    return rc;
}

/* the `with a, b:` block, Connection(-1) and poll() on a closed fd */
static int handles(void)
{
    mpr_conn_t *a, *b, *conn;
    mpr_obj_t *v, *got = NULL;
    int rc;

    if ((rc = mpr_pipe(&a, &b, 1)) < 0)
        return rc;
    if ((v = mpr_obj_int(1729)) == NULL)
        rc = mpr_last_error();
    else if ((rc = mpr_conn_send(a, v)) == 0 &&
             (rc = mpr_conn_recv(b, &got)) == 0) {
        printf("with a, b: recv %lld closed %s %s\n",
               (long long)mpr_obj_int_value(got), case_bool(mpr_conn_closed(a)),
               case_bool(mpr_conn_closed(b)));
    }
    mpr_obj_decref(v);
    mpr_obj_decref(got);
    /* leaving the block closes both, as __exit__ does, even after an
     * error (b first: `with a, b` exits in reverse order) */
    mpr_conn_close(b);
    mpr_conn_close(a);
    if (rc < 0)
        goto out;
    printf("after with: closed %s %s\n", case_bool(mpr_conn_closed(a)),
           case_bool(mpr_conn_closed(b)));
    rc = mpr_conn_recv(a, &got);
    if (rc >= 0) {
        mpr_obj_decref(got);
        printf("recv after with: returned\n");
    } else if (is_oserror(rc)) {
        printf("recv after with: OSError %s\n", mpr_last_error_detail());
    } else {
        goto out;
    }

    rc = mpr_conn_new(&conn, -1, 1, 1);
    if (rc == 0)
        mpr_conn_free(conn);
    else
        printf("Connection(-1): %s %s\n", mpr_err_pytype(rc),
               mpr_last_error_detail());
    if ((rc = mpr_conn_new(&conn, 44977608, 1, 1)) < 0)
        goto out;
    rc = mpr_conn_poll(conn, 0.0);
    if (rc >= 0)
        printf("poll() on a descriptor that is not open: returned\n");
    else if (rc == MPR_EVALUE || is_oserror(rc))
        printf("poll() on a descriptor that is not open: ValueError or "
               "OSError\n");
    else
        goto out;
    mpr_conn_close(conn); /* try: conn.close() except OSError: pass */
    mpr_conn_free(conn);
    rc = 0;
out:
    mpr_conn_free(a);
    mpr_conn_free(b);
    return rc;
}

int main(int argc, char **argv)
{
    mpr_listener_options_t lo = {.family = "AF_INET"};
    mpr_conn_t *parent, *child, *c;
    mpr_listener_t *listener;
    mpr_process_t *p;
    mpr_obj_t *address, *args;
    int rc, code = 0;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = handles()) < 0)
        return case_fail(rc);

    /* socket.setdefaulttimeout(0.1): nothing in C (see the top) */
    if ((rc = mpr_pipe(&parent, &child, 1)) < 0 ||
        (rc = mpr_listener_new(&listener, &lo)) < 0 ||
        (rc = mpr_listener_address(listener, &address)) < 0)
        return case_fail(rc);
    args =
        mpr_obj_tuple_steal(2, mpr_obj_handle(MPR_HANDLE_CONN, child), address);
    if ((rc = case_start(&p, late_sender, args)) < 0)
        return case_fail(rc);
    mpr_conn_close(child);
    if ((rc = print_recv("Pipe recv with a 0.1 s default socket timeout:",
                         parent)) < 0)
        return case_fail(rc);
    mpr_conn_close(parent);
    if ((rc = mpr_listener_accept(listener, &c)) < 0 ||
        (rc = print_recv("Listener recv with a 0.1 s default socket timeout:",
                         c)) < 0)
        return case_fail(rc);
    mpr_conn_free(c);
    mpr_listener_close(listener);
    if ((rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return case_fail(rc);
    mpr_process_exitcode(p, &code);
    printf("exitcode: %d\n", code);
    mpr_process_free(p);
    mpr_listener_free(listener);
    mpr_conn_free(parent);
    mpr_conn_free(child);
    return 0;
}
