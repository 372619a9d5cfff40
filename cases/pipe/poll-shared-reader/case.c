/*
 * pipe/poll-shared-reader: a child polls the read end of a Pipe(False)
 * shared with the parent; poll sees a partly written message (the parent
 * writes a header and 2 of 5 payload bytes raw) but consumes nothing.  The
 * parent then completes it and receives it whole, then the next messages.
 * Connections go in args as values, as in the Python.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <unistd.h>

static mpr_conn_t *conns[2]; /* r, cb */

static int poller(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    int rc, b1, b2;
    mpr_obj_t *polled;

    (void)kwargs;
    if ((rc = case_conns_of(args, 2, conns)) < 0)
        return rc;
    if ((rc = mpr_conn_poll(conns[0], 30)) < 0)
        return rc;
    printf("child poll(30): %s\n", case_bool(rc));
    fflush(stdout);
    if ((b1 = mpr_conn_poll(conns[0], 0.0)) < 0 ||
        (b2 = mpr_conn_poll(conns[0], 0.1)) < 0)
        return b1 < 0 ? b1 : b2;
    printf("child poll() again: %s %s\n", case_bool(b1), case_bool(b2));
    fflush(stdout);
    polled = mpr_obj_str("polled");
    rc = polled ? mpr_conn_send(conns[1], polled) : mpr_last_error();
    mpr_obj_decref(polled);
    return rc;
}
MPR_TARGET(poller)

/* os.write(fd, data): all of it */
static int raw_write(mpr_conn_t *c, const char *data, size_t len)
{
    int fd = mpr_conn_fileno(c);

    if (fd < 0)
        return fd;
    return write(fd, data, len) == (ssize_t)len ? 0 : MPR_EASSERT;
}

/* prints repr(r.recv_bytes()) and a blank */
static int recv_print(mpr_conn_t *r)
{
    mpr_obj_t *o;
    char *buf, *rep;
    size_t len;
    int rc;

    if ((rc = mpr_conn_recv_bytes(r, MPR_SIZE_NONE, &buf, &len)) < 0)
        return rc;
    o = mpr_obj_bytes(buf, len);
    mpr_free(buf);
    if (o == NULL)
        return mpr_last_error();
    rc = mpr_obj_repr(o, &rep, NULL);
    mpr_obj_decref(o);
    if (rc < 0)
        return rc;
    printf("%s ", rep);
    mpr_free(rep);
    return 0;
}

int main(int argc, char **argv)
{
    mpr_process_options_t o = {.target = poller};
    mpr_conn_t *r, *w, *ca;
    mpr_process_t *p;
    mpr_obj_t *got, *t;
    char *rep;
    int rc, code;

    if ((rc = mpr_main(argc, argv)) < 0 ||
        (rc = mpr_pipe(&conns[0], &w, 0)) < 0 ||
        (rc = mpr_pipe(&ca, &conns[1], 1)) < 0)
        return case_fail(rc);
    r = conns[0];
    if ((o.args = case_conns_value(2, conns)) == NULL)
        return case_fail(mpr_last_error());
    if ((rc = mpr_process_new(&p, &o)) < 0 || (rc = mpr_process_start(p)) < 0)
        return case_fail(rc);
    mpr_obj_decref((mpr_obj_t *)o.args);
    if ((rc = raw_write(w,
                        "\x00\x00\x00\x05"
                        "fi",
                        6)) < 0 ||
        (rc = mpr_conn_recv(ca, &got)) < 0)
        return case_fail(rc);
    printf("ctrl: %s\n", mpr_obj_str_utf8(got, NULL));
    mpr_obj_decref(got);
    if ((rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return case_fail(rc);
    mpr_process_exitcode(p, &code);
    printf("child exitcode %d\n", code);
    mpr_process_free(p);
    if ((rc = mpr_conn_poll(r, 0.0)) < 0)
        return case_fail(rc);
    printf("parent poll(): %s\n", case_bool(rc));
    t = mpr_obj_tuple_steal(2, mpr_obj_str("third"), mpr_obj_int(3));
    if (t == NULL)
        return case_fail(mpr_last_error());
    if ((rc = raw_write(w, "rst", 3)) < 0 ||
        (rc = mpr_conn_send_bytes(w, "second", 6, 0, MPR_SIZE_NONE)) < 0 ||
        (rc = mpr_conn_send_bytes(w, "", 0, 0, MPR_SIZE_NONE)) < 0 ||
        (rc = mpr_conn_send(w, t)) < 0)
        return case_fail(rc);
    mpr_obj_decref(t);
    for (int i = 0; i < 3; i++)
        if ((rc = recv_print(r)) < 0)
            return case_fail(rc);
    if ((rc = mpr_conn_recv(r, &got)) < 0 ||
        (rc = mpr_obj_repr(got, &rep, NULL)) < 0)
        return case_fail(rc);
    printf("%s\n", rep);
    mpr_free(rep);
    mpr_obj_decref(got);
    if ((rc = mpr_conn_poll(r, 0.0)) < 0)
        return case_fail(rc);
    printf("poll() after all: %s\n", case_bool(rc));
    mpr_conn_free(r);
    mpr_conn_free(w);
    mpr_conn_free(ca);
    mpr_conn_free(conns[1]);
    return 0;
}
