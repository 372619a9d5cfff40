/*
 * pipe/connection-echo: through a duplex Pipe to a child that echoes every
 * message back: values and bytes round-trip, send() and send_bytes()
 * return None, recv_bytes_into() counts in bytes (an array.array('i') is
 * an int32_t buffer here), BufferTooShort carries the whole message,
 * poll()'s timeouts, 16 MiB, EOFError once the child closed its end.
 * The connection is a Process argument, as in the Python.
 */
#include <mpr.h>

#include "support.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static mpr_conn_t *conn, *child_conn;

/* echo(conn): for msg in iter(conn.recv_bytes, SENTINEL) */
static int echo(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    char *msg;
    size_t len;
    int rc;

    (void)kwargs;
    if ((rc = case_conns_of(args, 1, &child_conn)) < 0)
        return rc;
    for (;;) {
        if ((rc = mpr_conn_recv_bytes(child_conn, MPR_SIZE_NONE, &msg, &len)) <
            0)
            return rc;
        if (len == 0) {
            mpr_free(msg);
            break;
        }
        rc = mpr_conn_send_bytes(child_conn, msg, len, 0, MPR_SIZE_NONE);
        mpr_free(msg);
        if (rc < 0)
            return rc;
    }
    return mpr_conn_close(child_conn);
}
MPR_TARGET(echo)

static double monotonic(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* repr(o) into a static buffer, o stolen */
static const char *repr_steal(mpr_obj_t *o)
{
    static char buf[256];
    char *r;

    buf[0] = '\0';
    if (o != NULL && mpr_obj_repr(o, &r, NULL) == 0) {
        snprintf(buf, sizeof(buf), "%s", r);
        mpr_free(r);
    }
    mpr_obj_decref(o);
    return buf;
}

/* list(buffer) of an array('i') */
static const char *ints(const int32_t *b, size_t n)
{
    mpr_obj_t *l = mpr_obj_list();

    for (size_t i = 0; l != NULL && i < n; i++)
        if (mpr_obj_list_append_steal(l, mpr_obj_int(b[i])) < 0)
            break;
    return repr_steal(l);
}

/* timed(conn.poll, timeout) */
static int timed_poll(double timeout, double *took)
{
    double t = monotonic();
    int r = mpr_conn_poll(conn, timeout);

    *took = monotonic() - t;
    return r;
}

static int run(void)
{
    static const char msg[] = "hello world";
    const int32_t arr[4] = {0, 1, 2, 3};
    int32_t buffer[10];
    char longmsg[110], bytebuf[40], *got, *big;
    size_t len, nread;
    mpr_obj_t *seq, *o;
    double d0, d1, d2, d3;
    int r0, r1, r2, r3, rc;

    printf("fileno() is int: %s\n", case_bool(mpr_conn_fileno(conn) >= 0));
    seq = mpr_obj_list_of_steal(3, mpr_obj_int(1), mpr_obj_float(2.25),
                                mpr_obj_none());
    if (seq == NULL)
        return mpr_last_error();
    if ((rc = mpr_conn_send(conn, seq)) < 0 ||
        (rc = mpr_conn_recv(conn, &o)) < 0)
        return rc;
    mpr_obj_decref(seq);
    printf("send(seq): None recv(): %s\n", repr_steal(o));
    if ((rc = mpr_conn_send_bytes(conn, msg, strlen(msg), 0, MPR_SIZE_NONE)) <
            0 ||
        (rc = mpr_conn_recv_bytes(conn, MPR_SIZE_NONE, &got, &len)) < 0)
        return rc;
    printf("send_bytes(msg): None recv_bytes(): %s\n",
           repr_steal(mpr_obj_bytes(got, len)));
    mpr_free(got);
    for (int k = 0; k < 2; k++) {
        size_t offset = k == 0 ? 0 : 3 * sizeof(int32_t);

        memset(buffer, 0, sizeof(buffer));
        if ((rc = mpr_conn_send_bytes(conn, arr, sizeof(arr), 0,
                                      MPR_SIZE_NONE)) < 0 ||
            (rc = mpr_conn_recv_bytes_into(conn, buffer, sizeof(buffer),
                                           (int64_t)offset, &nread)) < 0)
            return rc;
        printf("send_bytes(array): None recv_bytes_into(array%s): %zu %s\n",
               k == 0 ? "" : ", 3 * itemsize", nread, ints(buffer, 10));
    }
    for (int i = 0; i < 10; i++)
        memcpy(longmsg + 11 * i, msg, 11); /* msg * 10 */
    if ((rc = mpr_conn_send_bytes(conn, longmsg, sizeof(longmsg), 0,
                                  MPR_SIZE_NONE)) < 0)
        return rc;
    rc = mpr_conn_recv_bytes_into(conn, bytebuf, sizeof(bytebuf), 0, &nread);
    if (rc == MPR_EBUFTOOSHORT) {
        char detail[256];

        /* e.args == (longmsg,): the detail is repr() of the message */
        snprintf(detail, sizeof(detail), "%s", mpr_last_error_detail());
        printf("recv_bytes_into(40 bytes) of 110: BufferTooShort, args are "
               "the message: %s\n",
               case_bool(strcmp(detail, repr_steal(mpr_obj_bytes(
                                            longmsg, sizeof(longmsg)))) == 0));
    } else if (rc < 0) {
        return rc;
    } else {
        printf("recv_bytes_into(40 bytes) of 110: %zu\n", nread);
    }
    if ((r0 = timed_poll(0.0, &d0)) < 0 || (r1 = timed_poll(-1, &d1)) < 0 ||
        (r2 = timed_poll(0.1, &d2)) < 0)
        return r0 < 0 ? r0 : r1 < 0 ? r1 : r2;
    printf("poll(), poll(-1), poll(0.1) with nothing: %s %s %s\n",
           case_bool(r0), case_bool(r1), case_bool(r2));
    printf("they took %.3f %.3f %.3f s\n", d0, d1, d2);
    if ((o = mpr_obj_none()) == NULL)
        return mpr_last_error();
    rc = mpr_conn_send(conn, o);
    mpr_obj_decref(o);
    if (rc < 0 || (rc = mpr_conn_poll(conn, 30)) < 0 ||
        (r3 = timed_poll(0.1, &d3)) < 0 || (rc = mpr_conn_recv(conn, &o)) < 0)
        return rc < 0 ? rc : r3;
    printf("poll(0.1) with a message waiting: %s recv(): %s\n", case_bool(r3),
           repr_steal(o));
    printf("it took %.3f s\n", d3);
    len = (size_t)16 << 20;
    if ((big = malloc(len)) == NULL)
        return mpr_target_error(MPR_ENOMEMORY, "%s", "");
    memset(big, 'X', len);
    if ((rc = mpr_conn_send_bytes(conn, big, len, 0, MPR_SIZE_NONE)) < 0 ||
        (rc = mpr_conn_recv_bytes(conn, MPR_SIZE_NONE, &got, &nread)) < 0) {
        free(big);
        return rc;
    }
    printf("16 MiB round trip: %s\n",
           case_bool(nread == len && memcmp(got, big, len) == 0));
    mpr_free(got);
    free(big);
    if ((rc = mpr_conn_send_bytes(conn, "", 0, 0, MPR_SIZE_NONE)) < 0)
        return rc;
    mpr_conn_close(child_conn);
    printf("readable, writable: %s %s\n", case_bool(mpr_conn_readable(conn)),
           case_bool(mpr_conn_writable(conn)));
    if (mpr_conn_recv(conn, &o) == MPR_EEOF)
        printf("recv() after the child closed: EOFError\n");
    if (mpr_conn_recv_bytes(conn, MPR_SIZE_NONE, &got, &len) == MPR_EEOF)
        printf("recv_bytes() after the child closed: EOFError\n");
    return 0;
}

int main(int argc, char **argv)
{
    mpr_process_options_t o = {.target = echo, .daemon = MPR_TRUE};
    mpr_process_t *p;
    mpr_obj_t *args;
    int rc, exitcode;

    if ((rc = mpr_main(argc, argv)) < 0 ||
        (rc = mpr_pipe(&conn, &child_conn, 1)) < 0)
        return case_fail(rc);
    if ((o.args = args = case_conns_value(1, &child_conn)) == NULL)
        return case_fail(mpr_last_error());
    if ((rc = mpr_process_new(&p, &o)) < 0 || (rc = mpr_process_start(p)) < 0)
        return case_fail(rc);
    mpr_obj_decref(args);
    if ((rc = run()) < 0 || (rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return case_fail(rc);
    mpr_process_exitcode(p, &exitcode);
    printf("exitcode: %d\n", exitcode);
    mpr_process_free(p);
    mpr_conn_free(conn);
    mpr_conn_free(child_conn);
    return 0;
}
