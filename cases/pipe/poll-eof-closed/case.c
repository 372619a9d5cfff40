/*
 * pipe/poll-eof-closed: poll's timeouts and idempotence, b'' as a message,
 * messages never merged; a child that dies inside a message (OSError 'got
 * end of file during message', then EOFError); every method of a closed
 * Connection, the wrong direction of Pipe(False) and a write to a closed
 * reader.  Connections go in args as values, as in the Python
 * (args=(b, a)).
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

static mpr_conn_t *ends[2]; /* a, b */

/* assert conn.recv() == word */
static int expect_word(mpr_conn_t *conn, const char *word)
{
    mpr_obj_t *o;
    int rc, ok;

    if ((rc = mpr_conn_recv(conn, &o)) < 0)
        return rc;
    ok = mpr_obj_type(o) == MPR_OBJ_STR &&
         strcmp(mpr_obj_str_utf8(o, NULL), word) == 0;
    mpr_obj_decref(o);
    return ok ? 0 : MPR_EASSERT;
}

static int child(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    static const char *const msgs[] = {"a", "b", "cd", "", "e"};
    mpr_conn_t *mine[2];
    mpr_conn_t *conn;
    int rc;

    (void)kwargs;
    if ((rc = case_conns_of(args, 2, mine)) < 0)
        return rc;
    conn = mine[0];
    mpr_conn_close(mine[1]);
    if ((rc = expect_word(conn, "go")) < 0 ||
        (rc = mpr_conn_send_bytes(conn, "", 0, 0, MPR_SIZE_NONE)) < 0 ||
        (rc = expect_word(conn, "next")) < 0)
        return rc;
    for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++)
        if ((rc = mpr_conn_send_bytes(conn, msgs[i], strlen(msgs[i]), 0,
                                      MPR_SIZE_NONE)) < 0)
            return rc;
    if ((rc = expect_word(conn, "bye")) < 0 || (rc = mpr_conn_fileno(conn)) < 0)
        return rc;
    /* a header announcing 16 bytes, then 3 bytes, then the end */
    if (write(rc,
              "\x00\x00\x00\x10"
              "abc",
              7) != 7)
        return MPR_EASSERT;
    rc = mpr_conn_close(conn);
    return rc;
}
MPR_TARGET(child)

/* except OSError (or the code expected) as e: print(label, type(e).__name__,
 * e); anything else is uncaught */
static int expect(int rc, int code, const char *label)
{
    if (rc != code)
        return rc < 0 ? rc : MPR_EASSERT;
    printf("%s %s %s\n", label, mpr_err_pytype(rc), mpr_last_error_detail());
    return 0;
}

static int send_str(mpr_conn_t *c, const char *s)
{
    mpr_obj_t *o = mpr_obj_str(s);
    int rc;

    if (o == NULL)
        return mpr_last_error();
    rc = mpr_conn_send(c, o);
    mpr_obj_decref(o);
    return rc;
}

/* print(repr(bytes)) into the current line */
static int print_bytes(const char *buf, size_t len)
{
    mpr_obj_t *o = mpr_obj_bytes(buf, len);
    char *r;
    int rc;

    if (o == NULL)
        return mpr_last_error();
    rc = mpr_obj_repr(o, &r, NULL);
    mpr_obj_decref(o);
    if (rc < 0)
        return rc;
    printf("%s", r);
    mpr_free(r);
    return 0;
}

/* a.poll(timeout) that must succeed */
static int poll_ok(mpr_conn_t *c, double timeout, const char **out)
{
    int rc = mpr_conn_poll(c, timeout);

    *out = case_bool(rc > 0);
    return rc;
}

/* The calls of the closed and simplex checks, by name. */
enum { SEND, RECV, POLL, FILENO, SEND_BYTES, RECV_BYTES, RECV_BYTES_INTO };

static int call(mpr_conn_t *c, int what)
{
    mpr_obj_t *o;
    char *buf, into[4] = {0};
    size_t len;
    int rc;

    switch (what) {
    case SEND:
        o = mpr_obj_int(1);
        rc = mpr_conn_send(c, o);
        mpr_obj_decref(o);
        return rc;
    case RECV:
        if ((rc = mpr_conn_recv(c, &o)) == 0)
            mpr_obj_decref(o);
        return rc;
    case POLL:
        return mpr_conn_poll(c, 0.0);
    case FILENO:
        return mpr_conn_fileno(c);
    case SEND_BYTES:
        return mpr_conn_send_bytes(c, "x", 1, 0, MPR_SIZE_NONE);
    case RECV_BYTES:
        if ((rc = mpr_conn_recv_bytes(c, MPR_SIZE_NONE, &buf, &len)) == 0)
            mpr_free(buf);
        return rc;
    default:
        return mpr_conn_recv_bytes_into(c, into, sizeof(into), 0, &len);
    }
}

static const char *const names[] = {
    "send",       "recv",       "poll",           "fileno",
    "send_bytes", "recv_bytes", "recv_bytes_into"};

int main(int argc, char **argv)
{
    static const char *const poll_args[] = {"()", "(-1,)", "(0,)"};
    static const double poll_t[] = {0.0, -1.0, 0.0};
    mpr_process_options_t o = {.target = child};
    mpr_conn_t *ba[2], *a, *r, *w;
    mpr_process_t *p;
    const char *b1, *b2, *b3;
    char *buf, label[64];
    size_t len;
    double t, dt;
    int rc, code;

    if ((rc = mpr_main(argc, argv)) < 0 ||
        (rc = mpr_pipe(&ends[0], &ends[1], 1)) < 0)
        return case_fail(rc);
    a = ends[0];
    ba[0] = ends[1], ba[1] = ends[0];
    if ((o.args = case_conns_value(2, ba)) == NULL)
        return case_fail(mpr_last_error());
    if ((rc = mpr_process_new(&p, &o)) < 0 || (rc = mpr_process_start(p)) < 0)
        return case_fail(rc);
    mpr_obj_decref((mpr_obj_t *)o.args);
    mpr_conn_close(ends[1]);
    for (int i = 0; i < 3; i++) {
        t = mpr_monotonic();
        if ((rc = poll_ok(a, poll_t[i], &b1)) < 0)
            return case_fail(rc);
        dt = mpr_monotonic() - t;
        printf("poll%s: %s at once: %s\n", poll_args[i], b1,
               case_bool(dt < 1.0));
    }
    t = mpr_monotonic();
    if ((rc = poll_ok(a, 0.3, &b1)) < 0)
        return case_fail(rc);
    dt = mpr_monotonic() - t;
    printf("poll(0.3): %s waited 0.3: %s\n", b1,
           case_bool(0.3 <= dt && dt < 5.0));
    if ((rc = send_str(a, "go")) < 0 ||
        (rc = poll_ok(a, MPR_TIMEOUT_NONE, &b1)) < 0)
        return case_fail(rc);
    printf("poll(None): %s\n", b1);
    if ((rc = poll_ok(a, 0.0, &b1)) < 0 || (rc = poll_ok(a, 0.1, &b2)) < 0 ||
        (rc = poll_ok(a, 0.0, &b3)) < 0)
        return case_fail(rc);
    printf("poll() again: %s %s %s\n", b1, b2, b3);
    if ((rc = mpr_conn_recv_bytes(a, MPR_SIZE_NONE, &buf, &len)) < 0)
        return case_fail(rc);
    printf("message: ");
    rc = print_bytes(buf, len);
    mpr_free(buf);
    if (rc < 0 || (rc = poll_ok(a, 0.0, &b1)) < 0)
        return case_fail(rc);
    printf("\npoll() after b'': %s\n", b1);
    if ((rc = send_str(a, "next")) < 0 ||
        (rc = poll_ok(a, MPR_TIMEOUT_NONE, &b1)) < 0)
        return case_fail(rc);
    printf("poll(None): %s\nmessages: [", b1);
    for (int i = 0; i < 5; i++) {
        if ((rc = mpr_conn_poll(a, 0.0)) < 0 ||
            (rc = mpr_conn_poll(a, MPR_TIMEOUT_NONE)) < 0 ||
            (rc = mpr_conn_recv_bytes(a, MPR_SIZE_NONE, &buf, &len)) < 0)
            return case_fail(rc);
        printf("%s", i ? ", " : "");
        rc = print_bytes(buf, len);
        mpr_free(buf);
        if (rc < 0)
            return case_fail(rc);
    }
    if ((rc = poll_ok(a, 0.0, &b1)) < 0)
        return case_fail(rc);
    printf("]\npoll() when drained: %s\n", b1);
    fflush(stdout);
    if ((rc = send_str(a, "bye")) < 0 ||
        (rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return case_fail(rc);
    if (mpr_process_exitcode(p, &code) == 1)
        printf("child exitcode %d\n", code);
    mpr_process_free(p);
    if ((rc = poll_ok(a, 0.0, &b1)) < 0 ||
        (rc = poll_ok(a, MPR_TIMEOUT_NONE, &b2)) < 0)
        return case_fail(rc);
    printf("poll() at EOF: %s %s\n", b1, b2);
    if ((rc = expect(call(a, RECV_BYTES), MPR_EEOFMSG, "recv_bytes:")) < 0)
        return case_fail(rc);
    for (int what = RECV; what <= RECV_BYTES; what += RECV_BYTES - RECV) {
        if ((rc = call(a, what)) != MPR_EEOF)
            return case_fail(rc < 0 ? rc : MPR_EASSERT);
        printf("%s: EOFError()\n", names[what]);
    }
    if ((rc = poll_ok(a, 0.0, &b1)) < 0)
        return case_fail(rc);
    printf("poll() still: %s\n", b1);

    if ((rc = mpr_conn_close(a)) < 0 || (rc = mpr_conn_close(a)) < 0)
        return case_fail(rc);
    printf("closed: %s\n", case_bool(mpr_conn_closed(a)));
    for (int what = SEND; what <= RECV_BYTES_INTO; what++) {
        snprintf(label, sizeof(label), "closed %s:", names[what]);
        if ((rc = expect(call(a, what), MPR_ECLOSED, label)) < 0)
            return case_fail(rc);
    }

    if ((rc = mpr_pipe(&r, &w, 0)) < 0)
        return case_fail(rc);
    {
        mpr_obj_t *l = mpr_obj_list_of_steal(2, mpr_obj_int(1), mpr_obj_int(2));
        mpr_obj_t *got;
        char *rep;
        if (l == NULL)
            return case_fail(mpr_last_error());
        if ((rc = mpr_conn_send(w, l)) < 0 || (rc = poll_ok(r, 0.0, &b1)) < 0 ||
            (rc = mpr_conn_recv(r, &got)) < 0 ||
            (rc = mpr_obj_repr(got, &rep, NULL)) < 0)
            return case_fail(rc);
        printf("reader: %s %s %s %s\n", b1, rep,
               case_bool(mpr_conn_readable(r)),
               case_bool(mpr_conn_writable(r)));
        mpr_free(rep);
        mpr_obj_decref(got);
        mpr_obj_decref(l);
    }
    {
        static const struct {
            int writer, what;
        } wrong[] = {{0, SEND},       {0, SEND_BYTES}, {1, RECV},
                     {1, RECV_BYTES}, {1, POLL},       {1, RECV_BYTES_INTO}};
        for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
            snprintf(label, sizeof(label), "%c.%s:", "rw"[wrong[i].writer],
                     names[wrong[i].what]);
            rc = call(wrong[i].writer ? w : r, wrong[i].what);
            if ((rc = expect(rc,
                             wrong[i].writer ? MPR_EWRITEONLY : MPR_EREADONLY,
                             label)) < 0)
                return case_fail(rc);
        }
    }
    mpr_conn_close(r);
    for (int what = SEND; what <= SEND_BYTES; what += SEND_BYTES - SEND) {
        snprintf(label, sizeof(label),
                 "%s after the reader closed:", names[what]);
        if ((rc = expect(call(w, what), -EPIPE, label)) < 0)
            return case_fail(rc);
    }
    mpr_conn_free(r);
    mpr_conn_free(w);
    mpr_conn_free(ends[0]);
    mpr_conn_free(ends[1]);
    return 0;
}
