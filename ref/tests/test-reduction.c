/*
 * test-reduction.c - passing descriptors over a Connection
 * (multiprocessing.reduction.send_handle / recv_handle): a descriptor
 * reaches another process and works there, the errors CPython 3.11 raises
 * for a closed connection, a simplex pipe, a bad handle, data with no
 * descriptor, a wrong count byte and end of file, and /usr/bin/python3 on
 * the other end in both directions.
 */
#include "mpr/connection.h"
#include "mpr/error.h"
#include "mprtest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

const char *mprtest_suite_name = "reduction";

#define ORACLE "/usr/bin/python3"

/* Asserts rc == code and the thread's message == msg. */
#define ASSERT_ERR(rc, code, msg)                                              \
    do {                                                                       \
        int rc_ = (rc);                                                        \
        CU_ASSERT_EQUAL(rc_, (code));                                          \
        CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), (msg));                \
    } while (0)

/* Sends, with sendmsg, one data byte and the n descriptors fds (n may be
 * 0: no control message), as a foreign or buggy sender could. */
static int raw_send(int sock, unsigned char byte, const int *fds, size_t n)
{
    struct iovec iov = {&byte, 1};
    char buf[CMSG_SPACE(4 * sizeof(int))];
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
    struct cmsghdr *h;

    if (n > 0) {
        memset(buf, 0, sizeof(buf));
        msg.msg_control = buf;
        msg.msg_controllen = CMSG_SPACE(n * sizeof(int));
        h = CMSG_FIRSTHDR(&msg);
        h->cmsg_level = SOL_SOCKET;
        h->cmsg_type = SCM_RIGHTS;
        h->cmsg_len = CMSG_LEN(n * sizeof(int));
        memcpy(CMSG_DATA(h), fds, n * sizeof(int));
    }
    return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static mpr_conn_t *child_end;

/* The child: receives a descriptor and writes "from child" to it. */
static int write_received(void *arg)
{
    int fd = mpr_conn_recv_handle(child_end);

    (void)arg;
    if (fd < 0)
        return 1;
    if (write(fd, "from child", 10) != 10)
        return 2;
    close(fd);
    return 0;
}

static void test_reduction_handle_reaches_a_child(void)
{
    mpr_conn_t *a, *b;
    int p[2], fds = mprtest_count_fds();
    char got[16] = {0};
    pid_t pid;

    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&a, &b, 1), 0);
    CU_ASSERT_EQUAL_FATAL(pipe2(p, O_CLOEXEC), 0);
    child_end = b;
    pid = mprtest_fork(write_received, NULL);
    CU_ASSERT_FATAL(pid > 0);
    CU_ASSERT_EQUAL(mpr_conn_send_handle(a, p[1], pid), 0);
    close(p[1]); /* the child holds the only write end now */
    CU_ASSERT_EQUAL(mprtest_wait(pid, 10), 0);
    CU_ASSERT_EQUAL(read(p[0], got, sizeof(got)), 10);
    CU_ASSERT_STRING_EQUAL(got, "from child");
    CU_ASSERT_EQUAL(read(p[0], got, 1), 0); /* no other copy left open */
    close(p[0]);
    mpr_conn_free(a);
    mpr_conn_free(b);
    CU_ASSERT_EQUAL(mprtest_count_fds(), fds);
}

/* a new descriptor, inheritable as CPython's recv_handle gives it
 * (os.get_inheritable(fd) is True in 3.11.2) */
static void test_reduction_received_handle_is_a_new_inheritable_descriptor(void)
{
    mpr_conn_t *a, *b;
    int fd;

    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&a, &b, 1), 0);
    CU_ASSERT_EQUAL(mpr_conn_send_handle(a, 1, 0), 0);
    fd = mpr_conn_recv_handle(b);
    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT_NOT_EQUAL(fd, 1);
    CU_ASSERT_FALSE(fcntl(fd, F_GETFD) & FD_CLOEXEC);
    close(fd);
    mpr_conn_free(a);
    mpr_conn_free(b);
}

static void test_reduction_data_without_a_handle_is_runtime_error(void)
{
    mpr_conn_t *a, *b;

    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&a, &b, 1), 0);
    /* ordinary messages: recv_handle reads one byte of the header */
    CU_ASSERT_EQUAL(mpr_conn_send_bytes(a, "abc", 3, 0, MPR_SIZE_NONE), 0);
    ASSERT_ERR(mpr_conn_recv_handle(b), MPR_ERUNTIME,
               "received 0 items of ancdata");
    /* test_missing_fd_transfer: a raw zero byte */
    CU_ASSERT_EQUAL(raw_send(mpr_conn_fileno(a), 0, NULL, 0), 0);
    mpr_conn_free(a);
    /* the 6 bytes left of the message, the zero byte, then end of file */
    for (int i = 0; i < 7; i++)
        ASSERT_ERR(mpr_conn_recv_handle(b), MPR_ERUNTIME,
                   "received 0 items of ancdata");
    ASSERT_ERR(mpr_conn_recv_handle(b), MPR_EEOF, "");
    mpr_conn_free(b);
}

static void test_reduction_count_byte_must_match(void)
{
    mpr_conn_t *a, *b;
    int two[2] = {0, 1}, fds, fd;

    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&a, &b, 1), 0);
    fds = mprtest_count_fds();
    CU_ASSERT_EQUAL(raw_send(mpr_conn_fileno(a), 5, two, 1), 0);
    ASSERT_ERR(mpr_conn_recv_handle(b), MPR_EASSERT,
               "Len is 1 but msg[0] is 5");
    CU_ASSERT_EQUAL(mprtest_count_fds(), fds); /* the one received: shut */
    /* two descriptors fit in CMSG_SPACE(4); the first is returned, as
     * CPython's recv_handle does, and the second is not left open */
    CU_ASSERT_EQUAL(raw_send(mpr_conn_fileno(a), 2, two, 2), 0);
    fd = mpr_conn_recv_handle(b);
    CU_ASSERT(fd >= 0);
    CU_ASSERT_EQUAL(mprtest_count_fds(), fds + 1);
    if (fd >= 0)
        close(fd);
    mpr_conn_free(a);
    mpr_conn_free(b);
}

static void test_reduction_errors_of_closed_simplex_and_bad_handle(void)
{
    mpr_conn_t *a, *b, *r, *w;

    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&a, &b, 1), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&r, &w, 0), 0);
    ASSERT_ERR(mpr_conn_send_handle(w, 0, 0), -ENOTSOCK,
               "[Errno 88] Socket operation on non-socket");
    ASSERT_ERR(mpr_conn_recv_handle(r), -ENOTSOCK,
               "[Errno 88] Socket operation on non-socket");
    ASSERT_ERR(mpr_conn_send_handle(a, 999, 0), -EBADF,
               "[Errno 9] Bad file descriptor");
    mpr_conn_close(a);
    ASSERT_ERR(mpr_conn_send_handle(a, 0, 0), MPR_ECLOSED, "handle is closed");
    ASSERT_ERR(mpr_conn_recv_handle(a), MPR_ECLOSED, "handle is closed");
    ASSERT_ERR(mpr_conn_recv_handle(b), MPR_EEOF, "");
    mpr_conn_free(a);
    mpr_conn_free(b);
    mpr_conn_free(r);
    mpr_conn_free(w);
}

/* CPython, its Connection on descriptor 3, receives a handle from us and
 * writes through it, then sends us the write end of a pipe of its own and
 * prints what we write there. */
static const char py_peer[] =
    "import os, socket\n"
    "from multiprocessing import reduction\n"
    "from multiprocessing.connection import Connection\n"
    "c = Connection(3)\n"
    "fd = reduction.recv_handle(c)\n"
    "os.write(fd, b'python wrote this')\n"
    "os.close(fd)\n"
    "r, w = os.pipe()\n"
    "reduction.send_handle(c, w, 0)\n"
    "os.close(w)\n"
    "print(os.read(r, 100).decode(), flush=True)\n";

static void test_reduction_talks_to_cpython_both_ways(void)
{
    int sv[2], p[2], out[2], fd, status;
    ssize_t n;
    mpr_conn_t *c;
    char got[64] = {0};
    pid_t pid;

    CU_ASSERT_EQUAL_FATAL(
        socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    CU_ASSERT_EQUAL_FATAL(pipe2(p, O_CLOEXEC), 0);
    CU_ASSERT_EQUAL_FATAL(pipe2(out, O_CLOEXEC), 0);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        dup2(sv[1], 3); /* dup2 clears close-on-exec on 3 and 1 */
        dup2(out[1], 1);
        execl(ORACLE, ORACLE, "-c", py_peer, (char *)NULL);
        _exit(127);
    }
    close(sv[1]);
    close(out[1]);
    CU_ASSERT_EQUAL_FATAL(mpr_conn_new(&c, sv[0], 1, 1), 0);
    /* C -> Python: our pipe's write end */
    CU_ASSERT_EQUAL(mpr_conn_send_handle(c, p[1], pid), 0);
    close(p[1]);
    CU_ASSERT_EQUAL(read(p[0], got, sizeof(got) - 1), 17);
    CU_ASSERT_STRING_EQUAL(got, "python wrote this");
    close(p[0]);
    /* Python -> C: its pipe's write end; what we write there it prints */
    fd = mpr_conn_recv_handle(c);
    CU_ASSERT(fd >= 0);
    if (fd >= 0) {
        CU_ASSERT_EQUAL(write(fd, "C wrote this", 12), 12);
        close(fd);
    }
    /* print() may write the text and the newline apart: read to EOF */
    memset(got, 0, sizeof(got));
    for (size_t at = 0; at < sizeof(got) - 1; at += (size_t)n)
        if ((n = read(out[0], got + at, sizeof(got) - 1 - at)) <= 0)
            break;
    CU_ASSERT_STRING_EQUAL(got, "C wrote this\n");
    close(out[0]);
    CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
    CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    mpr_conn_free(c);
}

int mprtest_register(CU_pSuite suite)
{
    MPRTEST_ADD(suite, test_reduction_handle_reaches_a_child,
                "send_handle/recv_handle: a pipe's write end reaches a "
                "child, which writes through it");
    MPRTEST_ADD(suite,
                test_reduction_received_handle_is_a_new_inheritable_descriptor,
                "recv_handle returns a new inheritable descriptor, as CPython");
    MPRTEST_ADD(suite, test_reduction_data_without_a_handle_is_runtime_error,
                "recv_handle on bytes with no descriptor is RuntimeError "
                "'received 0 items of ancdata'; then EOFError");
    MPRTEST_ADD(suite, test_reduction_count_byte_must_match,
                "a count byte that does not match is AssertionError; a "
                "second descriptor is closed, not leaked");
    MPRTEST_ADD(suite, test_reduction_errors_of_closed_simplex_and_bad_handle,
                "closed connection, simplex pipe and bad handle give "
                "CPython's errors");
    MPRTEST_ADD(suite, test_reduction_talks_to_cpython_both_ways,
                "a descriptor passes between C and /usr/bin/python3 both "
                "ways");
    return 0;
}
