/*
 * test-connection.c - Connection and Pipe: CPython's bytes on the wire,
 * its errors and state changes (research/cpython-semantics.md section 3),
 * the large-message header, EINTR and short I/O, wait(), and a C process
 * and /usr/bin/python3 talking through one socketpair in both directions.
 */
#include "mpr/connection.h"
#include "mpr/error.h"
#include "mpr/obj.h"
#include "base/internal.h"
#include "conn/conn_internal.h"
#include "mprtest.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

const char *mprtest_suite_name = "connection";

#define ORACLE "/usr/bin/python3"

/* Asserts rc == code and the thread's message == msg. */
#define CHECK_ERR(call, code, msg)                                             \
    do {                                                                       \
        int rc_ = (call);                                                      \
        CU_ASSERT_EQUAL(rc_, code);                                            \
        CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), msg);                  \
        if (rc_ != (code))                                                     \
            printf("# %s: got %s %s\n", #call, mpr_err_name(rc_),              \
                   mpr_last_error_detail());                                   \
    } while (0)

static char *repr_of(const mpr_obj_t *o)
{
    char *s = NULL;
    mpr_obj_repr(o, &s, NULL);
    return s;
}

/* Reads what is in the pipe right now (non-blocking). */
static size_t drain(int fd, unsigned char *buf, size_t cap)
{
    int fl = fcntl(fd, F_GETFL);
    ssize_t n;

    fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    n = read(fd, buf, cap);
    fcntl(fd, F_SETFL, fl);
    return n < 0 ? 0 : (size_t)n;
}

static void hex(const unsigned char *p, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", p[i]);
    out[2 * n] = '\0';
}

/* ---- construction ----------------------------------------------------- */

static void test_connection_pipe_ends_and_flags(void)
{
    mpr_conn_t *a, *b;

    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&a, &b, 1), 0);
    CU_ASSERT(mpr_conn_readable(a) && mpr_conn_writable(a));
    CU_ASSERT(mpr_conn_readable(b) && mpr_conn_writable(b));
    CU_ASSERT(fcntl(mpr_conn_fileno(a), F_GETFD) & FD_CLOEXEC);
    CU_ASSERT(fcntl(mpr_conn_fileno(b), F_GETFD) & FD_CLOEXEC);
    mpr_conn_free(a);
    mpr_conn_free(b);
    /* Pipe(False) is (reader, writer) */
    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&a, &b, 0), 0);
    CU_ASSERT(mpr_conn_readable(a) && !mpr_conn_writable(a));
    CU_ASSERT(!mpr_conn_readable(b) && mpr_conn_writable(b));
    CU_ASSERT(fcntl(mpr_conn_fileno(a), F_GETFD) & FD_CLOEXEC);
    CU_ASSERT(fcntl(mpr_conn_fileno(b), F_GETFD) & FD_CLOEXEC);
    CHECK_ERR(mpr_conn_send_bytes(a, "x", 1, 0, MPR_SIZE_NONE), MPR_EREADONLY,
              "connection is read-only");
    CHECK_ERR(mpr_conn_recv(b, &(mpr_obj_t *){NULL}), MPR_EWRITEONLY,
              "connection is write-only");
    CHECK_ERR(mpr_conn_poll(b, 0), MPR_EWRITEONLY, "connection is write-only");
    CU_ASSERT_STRING_EQUAL(mpr_err_pytype(MPR_EREADONLY), "OSError");
    mpr_conn_free(a);
    mpr_conn_free(b);
}

static void test_connection_new_rejects_bad_arguments(void)
{
    mpr_conn_t *c = (mpr_conn_t *)1;

    CHECK_ERR(mpr_conn_new(&c, -1, 1, 1), MPR_EVALUE, "invalid handle");
    CU_ASSERT_PTR_NULL(c);
    CHECK_ERR(mpr_conn_new(&c, 5, 0, 0), MPR_EVALUE,
              "at least one of `readable` and `writable` must be True");
}

static void test_connection_closed_handle_errors(void)
{
    mpr_conn_t *a, *b;
    mpr_obj_t *o = NULL;
    char *buf = NULL;

    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&a, &b, 1), 0);
    CU_ASSERT_EQUAL(mpr_conn_close(a), 0);
    CU_ASSERT_EQUAL(mpr_conn_close(a), 0); /* twice is fine */
    CU_ASSERT_TRUE(mpr_conn_closed(a));
    CHECK_ERR(mpr_conn_send(a, mpr_obj_none()), MPR_ECLOSED,
              "handle is closed");
    CHECK_ERR(mpr_conn_recv(a, &o), MPR_ECLOSED, "handle is closed");
    CHECK_ERR(mpr_conn_recv_bytes(a, MPR_SIZE_NONE, &buf, NULL), MPR_ECLOSED,
              "handle is closed");
    CHECK_ERR(mpr_conn_poll(a, 0), MPR_ECLOSED, "handle is closed");
    CHECK_ERR(mpr_conn_fileno(a), MPR_ECLOSED, "handle is closed");
    mpr_conn_free(a);
    mpr_conn_free(b);
}

/* ---- the wire --------------------------------------------------------- */

static void test_connection_wire_bytes_equal_cpython(void)
{
    /* research/cpython-semantics.md 3.2: os.read of the other end. */
    mpr_conn_t *a, *b;
    unsigned char raw[256];
    char h[600];
    mpr_obj_t *d = mpr_obj_dict();
    mpr_obj_t *l = mpr_obj_list_of_steal(3, mpr_obj_int(42), mpr_obj_none(),
                                         mpr_obj_str("hello"));

    mpr_obj_dict_set_steal(
        d, mpr_obj_str("k"),
        mpr_obj_tuple_steal(2, mpr_obj_int(1), mpr_obj_float(2.5)));
    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&a, &b, 1), 0);
    CU_ASSERT_EQUAL(mpr_conn_send(a, l), 0);
    hex(raw, drain(mpr_conn_fileno(b), raw, sizeof(raw)), h);
    CU_ASSERT_STRING_EQUAL(h, "0000001b80049510000000000000005d94284b2a4e8c05"
                              "68656c6c6f94652e");
    CU_ASSERT_EQUAL(mpr_conn_send(a, mpr_obj_none()), 0);
    hex(raw, drain(mpr_conn_fileno(b), raw, sizeof(raw)), h);
    CU_ASSERT_STRING_EQUAL(h, "0000000480044e2e");
    CU_ASSERT_EQUAL(mpr_conn_send(a, d), 0);
    hex(raw, drain(mpr_conn_fileno(b), raw, sizeof(raw)), h);
    CU_ASSERT_STRING_EQUAL(h, "0000002080049515000000000000007d948c016b944b01"
                              "4740040000000000008694732e");
    CU_ASSERT_EQUAL(mpr_conn_send_bytes(a, "abcdef", 6, 1, 3), 0);
    hex(raw, drain(mpr_conn_fileno(b), raw, sizeof(raw)), h);
    CU_ASSERT_STRING_EQUAL(h, "00000003626364");
    CU_ASSERT_EQUAL(mpr_conn_send_bytes(a, "", 0, 0, MPR_SIZE_NONE), 0);
    hex(raw, drain(mpr_conn_fileno(b), raw, sizeof(raw)), h);
    CU_ASSERT_STRING_EQUAL(h, "00000000");
    mpr_obj_decref(l);
    mpr_obj_decref(d);
    mpr_conn_free(a);
    mpr_conn_free(b);
}

static void test_connection_objects_round_trip_both_ways(void)
{
    mpr_conn_t *a, *b;
    mpr_obj_t *l = mpr_obj_list_of_steal(3, mpr_obj_int(42), mpr_obj_none(),
                                         mpr_obj_str("hello"));
    mpr_obj_t *got = NULL;
    char *r;

    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&a, &b, 1), 0);
    CU_ASSERT_EQUAL(mpr_conn_send(a, l), 0);
    CU_ASSERT_EQUAL(mpr_conn_recv(b, &got), 0);
    r = repr_of(got);
    CU_ASSERT_STRING_EQUAL(r, "[42, None, 'hello']");
    mpr_free(r);
    CU_ASSERT_EQUAL(mpr_conn_send(b, got), 0); /* the other way */
    mpr_obj_decref(got);
    CU_ASSERT_EQUAL(mpr_conn_recv(a, &got), 0);
    CU_ASSERT_EQUAL(mpr_obj_eq(got, l), 1);
    mpr_obj_decref(got);
    mpr_obj_decref(l);
    mpr_conn_free(a);
    mpr_conn_free(b);
}

static void test_connection_send_bytes_offset_and_size(void)
{
    mpr_conn_t *a, *b;
    char *buf = NULL;
    size_t n = 99;

    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&a, &b, 1), 0);
    CHECK_ERR(mpr_conn_send_bytes(a, "abc", 3, -1, MPR_SIZE_NONE), MPR_EVALUE,
              "offset is negative");
    CHECK_ERR(mpr_conn_send_bytes(a, "abc", 3, 4, MPR_SIZE_NONE), MPR_EVALUE,
              "buffer length < offset");
    CHECK_ERR(mpr_conn_send_bytes(a, "abc", 3, 0, -1), MPR_EVALUE,
              "size is negative");
    CHECK_ERR(mpr_conn_send_bytes(a, "abc", 3, 1, 3), MPR_EVALUE,
              "buffer length < offset + size");
    /* offset == len and size == 0 send b'' */
    CU_ASSERT_EQUAL(mpr_conn_send_bytes(a, "abc", 3, 3, MPR_SIZE_NONE), 0);
    CU_ASSERT_EQUAL(mpr_conn_send_bytes(a, "abc", 3, 1, 0), 0);
    CU_ASSERT_EQUAL(mpr_conn_send_bytes(a, "abc", 3, 1, 2), 0);
    CU_ASSERT_EQUAL(mpr_conn_recv_bytes(b, MPR_SIZE_NONE, &buf, &n), 0);
    CU_ASSERT_EQUAL(n, 0);
    mpr_free(buf);
    CU_ASSERT_EQUAL(mpr_conn_recv_bytes(b, MPR_SIZE_NONE, &buf, &n), 0);
    CU_ASSERT_EQUAL(n, 0);
    mpr_free(buf);
    CU_ASSERT_EQUAL(mpr_conn_recv_bytes(b, MPR_SIZE_NONE, &buf, &n), 0);
    CU_ASSERT(n == 2 && memcmp(buf, "bc", 2) == 0);
    mpr_free(buf);
    mpr_conn_free(a);
    mpr_conn_free(b);
}

/* ---- end of file and broken messages ---------------------------------- */

static void test_connection_recv_after_peer_closed_is_eof(void)
{
    mpr_conn_t *a, *b;
    mpr_obj_t *o = NULL;
    char *buf = NULL;

    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&a, &b, 1), 0);
    CU_ASSERT_EQUAL(mpr_conn_send(a, mpr_obj_bool(1)), 0);
    mpr_conn_close(a);
    CU_ASSERT_EQUAL(mpr_conn_recv(b, &o), 0); /* buffered data first */
    CU_ASSERT_PTR_EQUAL(o, mpr_obj_bool(1));
    CU_ASSERT_EQUAL(mpr_conn_poll(b, 0), 1); /* EOF counts as readable */
    CHECK_ERR(mpr_conn_recv(b, &o), MPR_EEOF, "");
    CU_ASSERT_PTR_NULL(o);
    CHECK_ERR(mpr_conn_recv_bytes(b, MPR_SIZE_NONE, &buf, NULL), MPR_EEOF, "");
    {
        char line[64];
        mpr_err_format(MPR_EEOF, line, sizeof(line));
        CU_ASSERT_STRING_EQUAL(line, "EOFError");
    }
    mpr_conn_free(a);
    mpr_conn_free(b);
}

static void test_connection_truncated_frame(void)
{
    mpr_conn_t *a, *b;
    int sv[2];
    char *buf = NULL;

    /* header says 16, 3 bytes follow, then EOF */
    CU_ASSERT_EQUAL_FATAL(
        socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    CU_ASSERT_EQUAL(write(sv[1],
                          "\0\0\0\x10"
                          "abc",
                          7),
                    7);
    close(sv[1]);
    CU_ASSERT_EQUAL_FATAL(mpr_conn_new(&b, sv[0], 1, 1), 0);
    CHECK_ERR(mpr_conn_recv_bytes(b, MPR_SIZE_NONE, &buf, NULL), MPR_EEOFMSG,
              "got end of file during message");
    CU_ASSERT_STRING_EQUAL(mpr_err_pytype(MPR_EEOFMSG), "OSError");
    mpr_conn_free(b);
    /* a header alone, then EOF: the body read starts at EOF -> EOFError */
    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&a, &b, 1), 0);
    CU_ASSERT_EQUAL(write(mpr_conn_fileno(a), "\0\0\0\x10", 4), 4);
    mpr_conn_close(a);
    CHECK_ERR(mpr_conn_recv_bytes(b, MPR_SIZE_NONE, &buf, NULL), MPR_EEOF, "");
    mpr_conn_free(a);
    mpr_conn_free(b);
    /* half a header */
    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&a, &b, 1), 0);
    CU_ASSERT_EQUAL(write(mpr_conn_fileno(a), "\0\0", 2), 2);
    mpr_conn_close(a);
    CHECK_ERR(mpr_conn_recv_bytes(b, MPR_SIZE_NONE, &buf, NULL), MPR_EEOFMSG,
              "got end of file during message");
    mpr_conn_free(a);
    mpr_conn_free(b);
}

static void test_connection_recv_of_non_pickle_is_unpickling_error(void)
{
    mpr_conn_t *a, *b;
    mpr_obj_t *o = NULL;

    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&a, &b, 1), 0);
    mpr_conn_send_bytes(a, "not a pickle", 12, 0, MPR_SIZE_NONE);
    CHECK_ERR(mpr_conn_recv(b, &o), MPR_EUNPICKLE, "invalid load key, 'n'.");
    /* hostile pickle bytes through a connection: refused, not run */
    mpr_conn_send_bytes(a, "cos\nsystem\n(S'true'\ntR.", 23, 0, MPR_SIZE_NONE);
    CHECK_ERR(mpr_conn_recv(b, &o), MPR_EUNPICKLE,
              "global 'os.system' is forbidden");
    /* non-UTF-8 str payload */
    mpr_conn_send_bytes(a, "\x80\x04X\x01\0\0\0\xff.", 10, 0, MPR_SIZE_NONE);
    CHECK_ERR(mpr_conn_recv(b, &o), MPR_EUNICODE,
              "'utf-8' codec can't decode byte 0xff in position 0: invalid "
              "start byte");
    CU_ASSERT_PTR_NULL(o);
    mpr_conn_free(a);
    mpr_conn_free(b);
}

static void test_connection_send_to_closed_peer_is_broken_pipe(void)
{
    mpr_conn_t *a, *b;

    for (int duplex = 1; duplex >= 0; duplex--) {
        char line[80];
        CU_ASSERT_EQUAL_FATAL(mpr_pipe(&a, &b, duplex), 0);
        mpr_conn_close(a);
        CU_ASSERT_EQUAL(mpr_conn_send(b, mpr_obj_none()), -EPIPE);
        mpr_err_format(-EPIPE, line, sizeof(line));
        CU_ASSERT_STRING_EQUAL(line, "BrokenPipeError: [Errno 32] Broken pipe");
        mpr_conn_free(a);
        mpr_conn_free(b);
    }
}

/* ---- maxlength and recv_bytes_into ------------------------------------ */

static void test_connection_maxlength_exceeded(void)
{
    mpr_conn_t *a, *b;
    char *buf = NULL;
    size_t n;

    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&a, &b, 1), 0);
    CHECK_ERR(mpr_conn_recv_bytes(b, -1, &buf, &n), MPR_EVALUE,
              "negative maxlength");
    mpr_conn_send_bytes(a, "0123456789", 10, 0, MPR_SIZE_NONE);
    CHECK_ERR(mpr_conn_recv_bytes(b, 5, &buf, &n), MPR_EBADLEN,
              "bad message length");
    /* duplex: becomes write-only, still sends */
    CU_ASSERT(!mpr_conn_closed(b) && !mpr_conn_readable(b) &&
              mpr_conn_writable(b));
    CHECK_ERR(mpr_conn_recv_bytes(b, MPR_SIZE_NONE, &buf, &n), MPR_EWRITEONLY,
              "connection is write-only");
    CU_ASSERT_EQUAL(mpr_conn_send_bytes(b, "ok", 2, 0, MPR_SIZE_NONE), 0);
    CU_ASSERT_EQUAL(mpr_conn_recv_bytes(a, 2, &buf, &n), 0);
    CU_ASSERT(n == 2 && strcmp(buf, "ok") == 0);
    mpr_free(buf);
    mpr_conn_free(a);
    mpr_conn_free(b);
    /* a reader is closed */
    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&a, &b, 0), 0);
    mpr_conn_send_bytes(b, "0123456789", 10, 0, MPR_SIZE_NONE);
    CHECK_ERR(mpr_conn_recv_bytes(a, 9, &buf, &n), MPR_EBADLEN,
              "bad message length");
    CU_ASSERT_TRUE(mpr_conn_closed(a));
    CHECK_ERR(mpr_conn_recv_bytes(a, MPR_SIZE_NONE, &buf, &n), MPR_ECLOSED,
              "handle is closed");
    mpr_conn_free(a);
    mpr_conn_free(b);
}

static void test_connection_recv_bytes_into(void)
{
    mpr_conn_t *a, *b;
    unsigned char buf[10] = {0};
    size_t n = 0;

    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&a, &b, 1), 0);
    mpr_conn_send_bytes(a, "hi", 2, 0, MPR_SIZE_NONE);
    CU_ASSERT_EQUAL(mpr_conn_recv_bytes_into(b, buf, 10, 3, &n), 0);
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT_EQUAL(memcmp(buf, "\0\0\0hi\0\0\0\0\0", 10), 0);
    CHECK_ERR(mpr_conn_recv_bytes_into(b, buf, 10, -1, &n), MPR_EVALUE,
              "negative offset");
    CHECK_ERR(mpr_conn_recv_bytes_into(b, buf, 10, 11, &n), MPR_EVALUE,
              "offset too large");
    mpr_conn_send_bytes(a, "hello world", 11, 0, MPR_SIZE_NONE);
    mpr_conn_send_bytes(a, "next", 4, 0, MPR_SIZE_NONE);
    CHECK_ERR(mpr_conn_recv_bytes_into(b, buf, 10, 0, &n), MPR_EBUFTOOSHORT,
              "b'hello world'");
    /* the long message was consumed */
    CU_ASSERT_EQUAL(mpr_conn_recv_bytes_into(b, buf, 10, 0, &n), 0);
    CU_ASSERT(n == 4 && memcmp(buf, "next", 4) == 0);
    mpr_conn_free(a);
    mpr_conn_free(b);
}

/* ---- poll ------------------------------------------------------------- */

static void test_connection_poll_timeouts_and_empty_messages(void)
{
    mpr_conn_t *a, *b;
    double t0;
    char *buf = NULL;
    size_t n;

    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&a, &b, 1), 0);
    t0 = mpr_monotonic();
    CU_ASSERT_EQUAL(mpr_conn_poll(b, 0), 0);
    CU_ASSERT_EQUAL(mpr_conn_poll(b, -1), 0);
    CU_ASSERT(mpr_monotonic() - t0 < 0.05);
    t0 = mpr_monotonic();
    CU_ASSERT_EQUAL(mpr_conn_poll(b, 0.3), 0);
    CU_ASSERT(mpr_monotonic() - t0 >= 0.29 && mpr_monotonic() - t0 < 0.6);
    /* b'' is a message: poll stays true until it is read */
    mpr_conn_send_bytes(a, "", 0, 0, MPR_SIZE_NONE);
    CU_ASSERT_EQUAL(mpr_conn_poll(b, 0), 1);
    CU_ASSERT_EQUAL(mpr_conn_poll(b, MPR_TIMEOUT_NONE), 1);
    CU_ASSERT_EQUAL(mpr_conn_recv_bytes(b, MPR_SIZE_NONE, &buf, &n), 0);
    CU_ASSERT_EQUAL(n, 0);
    mpr_free(buf);
    CU_ASSERT_EQUAL(mpr_conn_poll(b, 0), 0);
    /* messages are never merged */
    mpr_conn_send_bytes(a, "a", 1, 0, MPR_SIZE_NONE);
    mpr_conn_send_bytes(a, "b", 1, 0, MPR_SIZE_NONE);
    mpr_conn_send_bytes(a, "cd", 2, 0, MPR_SIZE_NONE);
    for (int i = 0; i < 3; i++) {
        static const char *const want[] = {"a", "b", "cd"};
        CU_ASSERT_EQUAL(mpr_conn_poll(b, 0), 1);
        CU_ASSERT_EQUAL(mpr_conn_poll(b, 0), 1);
        CU_ASSERT_EQUAL(mpr_conn_recv_bytes(b, MPR_SIZE_NONE, &buf, &n), 0);
        CU_ASSERT(buf != NULL && strcmp(buf, want[i]) == 0);
        mpr_free(buf);
    }
    mpr_conn_free(a);
    mpr_conn_free(b);
}

static void test_connection_wait_over_connections_and_fds(void)
{
    mpr_conn_t *a, *b, *c, *d;
    int p[2];
    mpr_wait_item_t items[3];
    double t0;

    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&a, &b, 1), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&c, &d, 0), 0);
    CU_ASSERT_EQUAL_FATAL(pipe2(p, O_CLOEXEC), 0);
    items[0] = (mpr_wait_item_t){b, -1, 0};
    items[1] = (mpr_wait_item_t){c, -1, 0};
    items[2] = (mpr_wait_item_t){NULL, p[0], 0};
    CU_ASSERT_EQUAL(mpr_conn_wait(items, 3, 0), 0);
    t0 = mpr_monotonic();
    CU_ASSERT_EQUAL(mpr_conn_wait(items, 3, 0.2), 0);
    CU_ASSERT(mpr_monotonic() - t0 >= 0.19);
    CU_ASSERT_EQUAL(mpr_conn_wait(items, 0, 0), 0);
    mpr_conn_send(d, mpr_obj_none());
    close(p[1]); /* a sentinel: ready when its writer is gone */
    CU_ASSERT_EQUAL(mpr_conn_wait(items, 3, MPR_TIMEOUT_NONE), 2);
    CU_ASSERT(!items[0].ready && items[1].ready && items[2].ready);
    mpr_conn_close(b);
    CHECK_ERR(mpr_conn_wait(items, 3, 0), MPR_ECLOSED, "handle is closed");
    close(p[0]);
    mpr_conn_free(a);
    mpr_conn_free(b);
    mpr_conn_free(c);
    mpr_conn_free(d);
}

/* ---- the large-message form ------------------------------------------- */

static void test_connection_large_message_header(void)
{
    unsigned char h[12];
    char x[40];
    mpr_conn_t *a, *b;
    char *buf = NULL;
    size_t n;

    CU_ASSERT_EQUAL(mpr__conn_header(0x7fffffff, h), 4);
    hex(h, 4, x);
    CU_ASSERT_STRING_EQUAL(x, "7fffffff");
    CU_ASSERT_EQUAL(mpr__conn_header(0x80000000u, h), 12);
    hex(h, 12, x);
    CU_ASSERT_STRING_EQUAL(x, "ffffffff0000000080000000");
    CU_ASSERT_EQUAL(mpr__conn_header(5ull << 32, h), 12);
    hex(h, 12, x);
    CU_ASSERT_STRING_EQUAL(x, "ffffffff0000000500000000");
    /* the receiver accepts the long form for any size */
    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&a, &b, 1), 0);
    CU_ASSERT_EQUAL(write(mpr_conn_fileno(a),
                          "\xff\xff\xff\xff\0\0\0\0\0\0\0\x05"
                          "hello",
                          17),
                    17);
    CU_ASSERT_EQUAL(mpr_conn_recv_bytes(b, MPR_SIZE_NONE, &buf, &n), 0);
    CU_ASSERT(n == 5 && strcmp(buf, "hello") == 0);
    mpr_free(buf);
    /* a 3 GiB header over maxlength: refused without reading or
     * allocating the body */
    CU_ASSERT_EQUAL(
        write(mpr_conn_fileno(a), "\xff\xff\xff\xff\0\0\0\0\xc0\0\0\0", 12),
        12);
    CHECK_ERR(mpr_conn_recv_bytes(b, 10, &buf, &n), MPR_EBADLEN,
              "bad message length");
    mpr_conn_free(a);
    mpr_conn_free(b);
    /* a hostile 1 TiB header then EOF: EOFError, nothing huge allocated */
    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&a, &b, 1), 0);
    CU_ASSERT_EQUAL(write(mpr_conn_fileno(a),
                          "\xff\xff\xff\xff\0\0\x01\0\0\0\0\0"
                          "abc",
                          15),
                    15);
    mpr_conn_close(a);
    CHECK_ERR(mpr_conn_recv_bytes(b, MPR_SIZE_NONE, &buf, &n), MPR_EEOFMSG,
              "got end of file during message");
    mpr_conn_free(a);
    mpr_conn_free(b);
}

/* ---- big messages, EINTR, short I/O ----------------------------------- */

static mpr_conn_t *child_conn;

static int send_big(void *arg)
{
    size_t n = (size_t)(uintptr_t)arg;
    char *p = malloc(n);
    int rc;

    for (size_t i = 0; i < n; i++)
        p[i] = (char)(i * 7 + i / 251);
    rc = mpr_conn_send_bytes(child_conn, p, n, 0, MPR_SIZE_NONE);
    free(p);
    return rc == 0 ? 0 : 1;
}

static void on_signal(int sig)
{
    (void)sig;
}

static void check_big(size_t size, int interrupt)
{
    mpr_conn_t *a, *b;
    struct sigaction sa = {0}, old;
    struct itimerval it = {{0, 500}, {0, 500}}, off = {{0, 0}, {0, 0}};
    char *buf = NULL;
    size_t n = 0, bad = 0;
    pid_t pid;

    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&a, &b, 1), 0);
    child_conn = b;
    pid = mprtest_fork(send_big, (void *)(uintptr_t)size);
    mpr_conn_close(b);
    if (interrupt) { /* no SA_RESTART: reads fail with EINTR */
        sa.sa_handler = on_signal;
        sigaction(SIGALRM, &sa, &old);
        setitimer(ITIMER_REAL, &it, NULL);
    }
    CU_ASSERT_EQUAL(mpr_conn_recv_bytes(a, MPR_SIZE_NONE, &buf, &n), 0);
    if (interrupt) {
        setitimer(ITIMER_REAL, &off, NULL);
        sigaction(SIGALRM, &old, NULL);
    }
    CU_ASSERT_EQUAL(n, size);
    for (size_t i = 0; buf != NULL && i < n; i++)
        bad += buf[i] != (char)(i * 7 + i / 251);
    CU_ASSERT_EQUAL(bad, 0);
    mpr_free(buf);
    CU_ASSERT_EQUAL(mprtest_wait(pid, 20), 0);
    mpr_conn_free(a);
    mpr_conn_free(b);
}

static void test_connection_16_mib_message(void)
{
    check_big(16u << 20, 0);
}

/* Past 64 MiB the buffer grows as the bytes arrive (twice, here), and the
 * message still comes whole. */
static void test_connection_message_past_the_preallocation(void)
{
    if (mprtest_skip_under_valgrind("128 MiB through memcheck"))
        return;
    check_big((64u << 20) * 2 + 3, 0);
}

/* A header of 65 MiB + 1 whose body stops after 64 MiB + 10 bytes: EOF
 * in a later chunk is inside the message. */
static int send_cut(void *arg)
{
    size_t n = (64u << 20) + 10;
    unsigned char hdr[4] = {0x04, 0x10, 0x00, 0x01};
    char *p = calloc(1, n);
    int fd = mpr_conn_fileno(child_conn), ok;

    (void)arg;
    ok = p != NULL && write(fd, hdr, 4) == 4;
    for (size_t off = 0; ok && off < n;) {
        ssize_t w = write(fd, p + off, n - off);
        ok = w > 0;
        off += ok ? (size_t)w : 0;
    }
    free(p);
    return ok ? 0 : 1;
}

static void test_connection_eof_after_the_preallocation(void)
{
    mpr_conn_t *a, *b;
    char *buf = NULL;
    pid_t pid;

    if (mprtest_skip_under_valgrind("64 MiB through memcheck"))
        return;
    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&a, &b, 1), 0);
    child_conn = b;
    pid = mprtest_fork(send_cut, NULL);
    mpr_conn_close(b);
    CHECK_ERR(mpr_conn_recv_bytes(a, MPR_SIZE_NONE, &buf, NULL), MPR_EEOFMSG,
              "got end of file during message");
    CU_ASSERT_EQUAL(mprtest_wait(pid, 20), 0);
    mpr_conn_free(a);
    mpr_conn_free(b);
}

static void test_connection_signals_do_not_surface_eintr(void)
{
    /* Under memcheck each signal costs so much that 4 MiB would arrive a
     * few bytes per read for many minutes: 256 KiB still takes hundreds
     * of interrupted reads. */
    check_big(mprtest_under_valgrind() ? 256u << 10 : 4u << 20, 1);
}

static int calls;

static ssize_t short_read(int fd, void *buf, size_t n)
{
    if (++calls % 3 == 0) {
        errno = EINTR;
        return -1;
    }
    return read(fd, buf, n > 1 ? 1 : n);
}

static ssize_t short_write(int fd, const void *buf, size_t n)
{
    if (++calls % 4 == 0) {
        errno = EINTR;
        return -1;
    }
    return write(fd, buf, n > 3 ? 3 : n);
}

static void test_connection_short_reads_and_writes(void)
{
    mpr_conn_t *a, *b;
    mpr_obj_t *v = mpr_obj_tuple_steal(3, mpr_obj_str("caf\xc3\xa9"),
                                       mpr_obj_float(0.1), mpr_obj_list());
    mpr_obj_t *got = NULL;

    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&a, &b, 1), 0);
    mpr__sys.read = short_read;
    mpr__sys.write = short_write;
    CU_ASSERT_EQUAL(mpr_conn_send(a, v), 0);
    CU_ASSERT_EQUAL(mpr_conn_recv(b, &got), 0);
    mpr__sys_reset();
    CU_ASSERT(got != NULL && mpr_obj_eq(got, v) == 1);
    mpr_obj_decref(got);
    mpr_obj_decref(v);
    mpr_conn_free(a);
    mpr_conn_free(b);
}

static ssize_t failing_write(int fd, const void *buf, size_t n)
{
    (void)fd;
    (void)buf;
    (void)n;
    errno = EIO;
    return -1;
}

static int failing_socketpair(int d, int t, int p, int sv[2])
{
    (void)d;
    (void)t;
    (void)p;
    (void)sv;
    errno = EMFILE;
    return -1;
}

static void test_connection_os_errors_propagate(void)
{
    mpr_conn_t *a, *b;

    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&a, &b, 1), 0);
    mpr__sys.write = failing_write;
    CU_ASSERT_EQUAL(mpr_conn_send(a, mpr_obj_none()), -EIO);
    mpr__sys.socketpair = failing_socketpair;
    {
        mpr_conn_t *x = (mpr_conn_t *)1, *y = (mpr_conn_t *)1;
        CU_ASSERT_EQUAL(mpr_pipe(&x, &y, 1), -EMFILE);
        CU_ASSERT(x == NULL && y == NULL);
    }
    mpr__sys_reset();
    mpr_conn_free(a);
    mpr_conn_free(b);
}

/* ---- a C process and CPython through one socketpair ------------------- */

/* The Python half: ordinary multiprocessing.connection code on fd 3. */
static const char *py_echo =
    "from multiprocessing.connection import Connection\n"
    "c = Connection(3)\n"
    "while True:\n"
    "    try:\n"
    "        x = c.recv()\n"
    "    except EOFError:\n"
    "        break\n"
    "    c.send((repr(x), x))\n"
    "c.send([42, None, 'hello'])\n"
    "c.send_bytes(b'raw bytes', 4)\n"
    "c.send({'k': (1, 2.5), 'nested': [[], {}, ()], 'big': 2**63 - 1,\n"
    "        'neg': -2**63, 'u': '\\u20ac\\U0001f600', 'b': b'\\x00\\xff'})\n"
    "c.close()\n";

static void test_connection_talks_to_cpython_both_ways(void)
{
    int sv[2], status;
    mpr_conn_t *c;
    pid_t pid;
    uint64_t s = 5;
    int bad = 0, n = 0;
    mpr_obj_t *got = NULL;
    char *buf = NULL, *r;
    size_t len;

    CU_ASSERT_EQUAL_FATAL(
        socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        dup2(sv[1], 3); /* dup2 clears close-on-exec on 3 */
        execl(ORACLE, ORACLE, "-c", py_echo, (char *)NULL);
        _exit(127);
    }
    close(sv[1]);
    CU_ASSERT_EQUAL_FATAL(mpr_conn_new(&c, sv[0], 1, 1), 0);
    /* C -> Python -> C: values, their repr as CPython prints it */
    for (int i = 0; i < 300; i++) {
        mpr_obj_t *v, *pair = NULL;
        char *mine;
        s = s * 6364136223846793005u + 1442695040888963407u;
        switch (i % 6) {
        case 0:
            v = mpr_obj_int((int64_t)s >> (s % 64));
            break;
        case 1: {
            double d;
            memcpy(&d, &s, 8);
            v = mpr_obj_float(d);
            break;
        }
        case 2:
            v = mpr_obj_str(i % 12 ? "it's \"q\" \xe2\x82\xac" : "\xc2\xad\t");
            break;
        case 3:
            v = mpr_obj_bytes(&s, 8);
            break;
        case 4:
            v = mpr_obj_tuple_steal(
                1,
                mpr_obj_list_of_steal(2, mpr_obj_none(), mpr_obj_bool(i & 1)));
            break;
        default:
            v = mpr_obj_dict();
            mpr_obj_dict_set_steal(v, mpr_obj_float(0.25), mpr_obj_int(i));
            mpr_obj_dict_set_steal(v, mpr_obj_str("k"), mpr_obj_tuple(0));
        }
        n++;
        if (mpr_conn_send(c, v) < 0 || mpr_conn_recv(c, &pair) < 0) {
            printf("# value %d: %s\n", i, mpr_last_error_detail());
            bad++;
            mpr_obj_decref(v);
            break;
        }
        mine = repr_of(v);
        r = repr_of(mpr_obj_item(pair, 1));
        /* CPython's repr of what it received, and the value it sent back */
        if (strcmp(mpr_obj_str_utf8(mpr_obj_item(pair, 0), NULL), mine) != 0 ||
            strcmp(r, mine) != 0) {
            if (bad++ < 5)
                printf("# value %d: C %s, CPython %s\n", i, mine, r);
        }
        mpr_free(mine);
        mpr_free(r);
        mpr_obj_decref(pair);
        mpr_obj_decref(v);
    }
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT_EQUAL(n, 300);
    /* Python -> C: end our sending side; CPython's recv sees EOFError and
     * it sends its own values. */
    shutdown(mpr_conn_fileno(c), SHUT_WR);
    CU_ASSERT_EQUAL(mpr_conn_recv(c, &got), 0);
    r = got ? repr_of(got) : NULL;
    CU_ASSERT(r != NULL && strcmp(r, "[42, None, 'hello']") == 0);
    mpr_free(r);
    mpr_obj_decref(got);
    CU_ASSERT_EQUAL(mpr_conn_recv_bytes(c, MPR_SIZE_NONE, &buf, &len), 0);
    CU_ASSERT(buf != NULL && len == 5 && strcmp(buf, "bytes") == 0);
    mpr_free(buf);
    CU_ASSERT_EQUAL(mpr_conn_recv(c, &got), 0);
    r = got ? repr_of(got) : NULL;
    CU_ASSERT(r != NULL &&
              strcmp(r, "{'k': (1, 2.5), 'nested': [[], {}, ()], 'big': "
                        "9223372036854775807, 'neg': -9223372036854775808, "
                        "'u': '\xe2\x82\xac\xf0\x9f\x98\x80', 'b': "
                        "b'\\x00\\xff'}") == 0);
    if (r != NULL)
        printf("# from CPython: %s\n", r);
    mpr_free(r);
    mpr_obj_decref(got);
    CHECK_ERR(mpr_conn_recv(c, &got), MPR_EEOF, "");
    mpr_conn_free(c);
    CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
    CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* ---- reduce and rebuild (spawn and forkserver children) --------------- */

static int rebuild_and_send(void *arg)
{
    mpr_conn_t *c;
    mpr_obj_t *hello = mpr_obj_str("from a rebuilt end");
    int rc = mpr_conn_rebuild(&c, arg);

    if (rc == 0)
        rc = mpr_conn_send(c, hello);
    mpr_obj_decref(hello);
    mpr_conn_free(c);
    return rc == 0 ? 0 : 1;
}

/* A copy of the 5-tuple t with item i replaced by v (stolen). */
static mpr_obj_t *replace_item(const mpr_obj_t *t, size_t i, mpr_obj_t *v)
{
    mpr_obj_t *c = mpr_obj_tuple_new(mpr_obj_len(t));

    for (size_t k = 0; k < mpr_obj_len(t); k++)
        mpr_obj_tuple_set_steal(
            c, k, k == i ? v : mpr_obj_incref(mpr_obj_item(t, k)));
    return c;
}

/* Each field of a reduced Connection is checked before anything is
 * fetched: a wrong tag, address, key or flag is TypeError "not a reduced
 * Connection"; the real value still rebuilds afterwards. */
static void test_connection_rebuild_checks_every_field(void)
{
    mpr_conn_t *a, *b, *b2 = NULL;
    mpr_obj_t *red = NULL, *bad;
    char longaddr[200];
    mpr_obj_t *repl[] = {
        mpr_obj_str("multiprocessing.connection.Listener"),
        mpr_obj_str("not bytes"),
        mpr_obj_str("1"),
        mpr_obj_int(1),
        mpr_obj_int(0),
    };

    memset(longaddr, 'a', sizeof(longaddr));
    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&a, &b, 1), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_conn_reduce(b, &red), 0);
    for (size_t i = 0; i < 5; i++) {
        bad = replace_item(red, i, repl[i]);
        CHECK_ERR(mpr_conn_rebuild(&b2, bad), MPR_ETYPE,
                  "not a reduced Connection");
        mpr_obj_decref(bad);
    }
    bad = replace_item(red, 1, mpr_obj_bytes("", 0));
    CHECK_ERR(mpr_conn_rebuild(&b2, bad), MPR_ETYPE,
              "not a reduced Connection");
    mpr_obj_decref(bad);
    bad = replace_item(red, 1, mpr_obj_bytes(longaddr, sizeof(longaddr)));
    CHECK_ERR(mpr_conn_rebuild(&b2, bad), MPR_ETYPE,
              "not a reduced Connection");
    mpr_obj_decref(bad);
    CU_ASSERT_EQUAL(mpr_conn_rebuild(&b2, red), 0);
    CU_ASSERT(b2 != NULL && mpr_conn_readable(b2) && mpr_conn_writable(b2));
    mpr_obj_decref(red);
    mpr_conn_free(a);
    mpr_conn_free(b);
    mpr_conn_free(b2);
    mpr__conn_sharer_stop();
}

static void test_connection_reduce_and_rebuild(void)
{
    mpr_conn_t *a, *b, *b2 = NULL;
    mpr_obj_t *red = NULL, *red2 = NULL, *got = NULL, *bad;
    char *r;

    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&a, &b, 0), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_conn_reduce(b, &red), 0);
    /* a plain value: it pickles, so it can travel in a spawn child's args */
    r = repr_of(mpr_obj_item(red, 0));
    CU_ASSERT_STRING_EQUAL(r, "'multiprocessing.connection.Connection'");
    mpr_free(r);
    CU_ASSERT_EQUAL(mpr_conn_rebuild(&b2, red), 0);
    CU_ASSERT(b2 != NULL && !mpr_conn_readable(b2) && mpr_conn_writable(b2));
    CU_ASSERT(fcntl(mpr_conn_fileno(b2), F_GETFD) & FD_CLOEXEC);
    mpr_conn_free(b); /* the rebuilt end is a duplicate: still writes */
    CU_ASSERT_EQUAL(mpr_conn_send(b2, mpr_obj_bool(1)), 0);
    CU_ASSERT_EQUAL(mpr_conn_recv(a, &got), 0);
    CU_ASSERT_PTR_EQUAL(got, mpr_obj_bool(1));
    /* each reduced value is handed out once */
    CU_ASSERT_EQUAL(mpr_conn_rebuild(&b, red), MPR_ERUNTIME);
    /* another process rebuilds (as a spawn child would) */
    CU_ASSERT_EQUAL_FATAL(mpr_conn_reduce(b2, &red2), 0);
    CU_ASSERT_EQUAL(mprtest_run_child(rebuild_and_send, red2, 10), 0);
    CU_ASSERT_EQUAL(mpr_conn_recv(a, &got), 0);
    r = got ? repr_of(got) : NULL;
    CU_ASSERT(r != NULL && strcmp(r, "'from a rebuilt end'") == 0);
    mpr_free(r);
    mpr_obj_decref(got);
    bad = mpr_obj_tuple_steal(1, mpr_obj_int(3));
    CHECK_ERR(mpr_conn_rebuild(&b, bad), MPR_ETYPE, "not a reduced Connection");
    mpr_obj_decref(bad);
    mpr_obj_decref(red);
    mpr_obj_decref(red2);
    mpr_conn_free(a);
    mpr_conn_free(b2);
    mpr__conn_sharer_stop();
}

static void test_connection_send_1000_deep_is_recursion_error(void)
{
    mpr_conn_t *a, *b;
    mpr_obj_t *l = mpr_obj_list();

    for (int i = 1; i < 1000; i++)
        l = mpr_obj_list_of_steal(1, l);
    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&a, &b, 1), 0);
    CHECK_ERR(mpr_conn_send(a, l), MPR_ERECURSION,
              "maximum recursion depth exceeded while pickling an object");
    CU_ASSERT_EQUAL(mpr_conn_poll(b, 0), 0); /* nothing was written */
    mpr_obj_decref(l);
    mpr_conn_free(a);
    mpr_conn_free(b);
}

/* Listener and Client: an AF_INET pair with an authkey (a wrong key is
 * AuthenticationError), an arbitrary AF_UNIX address removed by close(),
 * the address and family errors CPython 3.11.2 gives, accept() after
 * close(). */
static void test_connection_listener_and_client(void)
{
    mpr_listener_options_t inet = {
        .family = "AF_INET", .authkey = "key", .authkey_len = 3};
    mpr_listener_options_t unix_ = {0}, bad = {0};
    mpr_listener_t *l;
    mpr_conn_t *c, *s;
    mpr_obj_t *addr, *v, *got = NULL, *five = mpr_obj_int(5);
    struct stat st;
    char path[128];
    pid_t pid;
    int status;

    CU_ASSERT_EQUAL_FATAL(mpr_listener_new(&l, &inet), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_listener_address(l, &addr), 0);
    CU_ASSERT_STRING_EQUAL(mpr_obj_str_utf8(mpr_obj_item(addr, 0), NULL),
                           "127.0.0.1");
    CU_ASSERT_TRUE(mpr_obj_int_value(mpr_obj_item(addr, 1)) > 0);
    pid = fork();
    if (pid == 0) {
        int ok = mpr_client(&c, addr, NULL, "key", 3) == 0 &&
                 mpr_conn_send(c, five) == 0;
        mpr_conn_free(c);
        ok = ok && mpr_client(&c, addr, NULL, "nokey", 5) == MPR_EAUTH;
        mpr_conn_free(c);
        _exit(ok ? 0 : 1);
    }
    CU_ASSERT_EQUAL(mpr_listener_accept(l, &s), 0);
    CU_ASSERT_EQUAL(mpr_conn_recv(s, &got), 0);
    CU_ASSERT_TRUE(got != NULL && mpr_obj_int_value(got) == 5);
    mpr_obj_decref(got);
    mpr_conn_free(s);
    CU_ASSERT_EQUAL(mpr_listener_accept(l, &s), MPR_EAUTH);
    CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
    CU_ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CU_ASSERT_EQUAL(mpr_listener_close(l), 0);
    CU_ASSERT_EQUAL(mpr_listener_accept(l, &s), -EINVAL);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "listener is closed");
    CU_ASSERT_EQUAL(mpr_client(&c, addr, NULL, NULL, 0), -ECONNREFUSED);
    mpr_listener_free(l);
    mpr_obj_decref(addr);

    CU_ASSERT_EQUAL_FATAL(mpr_listener_new(&l, &unix_), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_listener_address(l, &addr), 0);
    snprintf(path, sizeof path, "%s", mpr_obj_str_utf8(addr, NULL));
    CU_ASSERT_PTR_NOT_NULL(strstr(path, "/pymp-"));
    CU_ASSERT_PTR_NOT_NULL(strstr(path, "/listener-"));
    CU_ASSERT_EQUAL(stat(path, &st), 0);
    CU_ASSERT_EQUAL(mpr_client(&c, addr, NULL, NULL, 0), 0);
    CU_ASSERT_EQUAL(mpr_listener_accept(l, &s), 0);
    mpr_conn_free(c);
    mpr_conn_free(s);
    mpr_obj_decref(addr);
    mpr_listener_free(l);
    CU_ASSERT_NOT_EQUAL(stat(path, &st), 0);
    *strrchr(path, '/') = '\0';
    CU_ASSERT_NOT_EQUAL(stat(path, &st), 0); /* the folder too */

    /* the errors of Listener(address, family) */
    bad.address = five;
    CU_ASSERT_EQUAL(mpr_listener_new(&l, &bad), MPR_ETYPE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "address type of 5 unrecognized");
    bad.address = NULL;
    bad.family = "AF_FOO";
    CU_ASSERT_EQUAL(mpr_listener_new(&l, &bad), MPR_EVALUE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "unrecognized family");
    bad.address = v = mpr_obj_str("/tmp/x-sock");
    bad.family = "AF_INET";
    CU_ASSERT_EQUAL(mpr_listener_new(&l, &bad), MPR_ETYPE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "bind(): AF_INET address must be tuple, not str");
    mpr_obj_decref(v);
    bad.address = v =
        mpr_obj_tuple_steal(2, mpr_obj_str("localhost"), mpr_obj_int(0));
    bad.family = "AF_UNIX";
    CU_ASSERT_EQUAL(mpr_listener_new(&l, &bad), MPR_ETYPE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "a bytes-like object is required, not 'tuple'");
    mpr_obj_decref(v);
    CU_ASSERT_EQUAL(mpr_client(&c, NULL, NULL, NULL, 0), MPR_ETYPE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "address type of None unrecognized");
    mpr_obj_decref(five);
}

int mprtest_register(CU_pSuite suite)
{
    MPRTEST_ADD(suite, test_connection_pipe_ends_and_flags,
                "Pipe(True) and Pipe(False): ends, flags, close-on-exec, "
                "read-only/write-only errors");
    MPRTEST_ADD(suite, test_connection_new_rejects_bad_arguments,
                "Connection(-1) and Connection(fd, False, False) are "
                "ValueError");
    MPRTEST_ADD(suite, test_connection_closed_handle_errors,
                "every call after close() is 'handle is closed'");
    MPRTEST_ADD(suite, test_connection_wire_bytes_equal_cpython,
                "send/send_bytes put CPython's exact bytes on the wire");
    MPRTEST_ADD(suite, test_connection_objects_round_trip_both_ways,
                "objects round-trip both ways on a duplex pipe");
    MPRTEST_ADD(suite, test_connection_send_bytes_offset_and_size,
                "send_bytes offset/size slicing and ValueErrors");
    MPRTEST_ADD(suite, test_connection_recv_after_peer_closed_is_eof,
                "recv after the peer closed is EOFError; poll sees EOF");
    MPRTEST_ADD(suite, test_connection_truncated_frame,
                "a truncated frame is 'got end of file during message'");
    MPRTEST_ADD(suite, test_connection_recv_of_non_pickle_is_unpickling_error,
                "recv of non-pickle, hostile or non-UTF-8 bytes fails like "
                "CPython");
    MPRTEST_ADD(suite, test_connection_send_to_closed_peer_is_broken_pipe,
                "send to a closed peer is BrokenPipeError");
    MPRTEST_ADD(suite, test_connection_maxlength_exceeded,
                "maxlength exceeded: bad message length and its state "
                "change");
    MPRTEST_ADD(suite, test_connection_recv_bytes_into,
                "recv_bytes_into: offset, BufferTooShort, ValueErrors");
    MPRTEST_ADD(suite, test_connection_poll_timeouts_and_empty_messages,
                "poll timeouts, b'' messages, no merging");
    MPRTEST_ADD(suite, test_connection_wait_over_connections_and_fds,
                "wait() over connections and descriptors");
    MPRTEST_ADD(suite, test_connection_large_message_header,
                "the -1 + 8-byte header above 2 GiB - 1, both ways");
    MPRTEST_ADD(suite, test_connection_message_past_the_preallocation,
                "a 128 MiB message grows its buffer as bytes arrive");
    MPRTEST_ADD(suite, test_connection_eof_after_the_preallocation,
                "EOF after 64 MiB of a longer message is 'got end of file "
                "during message'");
    MPRTEST_ADD(suite, test_connection_16_mib_message,
                "a 16 MiB message between two processes");
    MPRTEST_ADD(suite, test_connection_signals_do_not_surface_eintr,
                "a signal storm during a 4 MiB recv does not surface EINTR");
    MPRTEST_ADD(suite, test_connection_short_reads_and_writes,
                "short reads/writes and EINTR from the system are absorbed");
    MPRTEST_ADD(suite, test_connection_os_errors_propagate,
                "OS errors come back as -errno");
    MPRTEST_ADD(suite, test_connection_rebuild_checks_every_field,
                "a reduced Connection with any wrong field is TypeError; the "
                "real one still rebuilds");
    MPRTEST_ADD(suite, test_connection_reduce_and_rebuild,
                "reduce/rebuild hands a connection to another process once");
    MPRTEST_ADD(suite, test_connection_send_1000_deep_is_recursion_error,
                "send of a 1000-deep list is RecursionError, nothing sent");
    MPRTEST_ADD(suite, test_connection_listener_and_client,
                "Listener and Client: AF_INET with authkey, AF_UNIX "
                "arbitrary address removed at close, CPython's errors");
    MPRTEST_ADD(suite, test_connection_talks_to_cpython_both_ways,
                "a C process and CPython exchange values through one "
                "socketpair");
    return 0;
}
