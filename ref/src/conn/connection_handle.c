/*
 * connection_handle.c - passing a descriptor over a Connection, as CPython
 * 3.11's multiprocessing.reduction.send_handle / recv_handle do on Unix
 * (Lib/multiprocessing/reduction.py, sendfds / recvfds with one
 * descriptor): one data byte, the number of descriptors modulo 256, with
 * the descriptor in an SCM_RIGHTS control message, written straight to the
 * connection's socket outside its message framing.
 *
 * No state: each call works on the connection's descriptor.
 */
#include "mpr/connection.h"
#include "base/internal.h"
#include "base/io.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Room for the one descriptor recvfds(sock, 1) asks for: CMSG_SPACE(4).
 * On Linux that also fits a second one (CMSG_LEN(8) == CMSG_SPACE(4)), as
 * in CPython, which then returns the first. */
#define HANDLE_SPACE CMSG_SPACE(sizeof(int))

int mpr_conn_send_handle(mpr_conn_t *c, int handle, pid_t destination_pid)
{
    unsigned char byte = 1; /* bytes([len(fds) % 256]) */
    struct iovec iov = {&byte, 1};
    union {
        struct cmsghdr h;
        char buf[HANDLE_SPACE];
    } u;
    struct msghdr msg = {.msg_iov = &iov,
                         .msg_iovlen = 1,
                         .msg_control = u.buf,
                         .msg_controllen = CMSG_SPACE(sizeof(int))};
    ssize_t r;
    int fd;

    (void)destination_pid; /* used on Windows only, as in CPython */
    if ((fd = mpr_conn_fileno(c)) < 0)
        return fd;
    memset(&u, 0, sizeof(u));
    u.h.cmsg_level = SOL_SOCKET;
    u.h.cmsg_type = SCM_RIGHTS;
    u.h.cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(&u.h), &handle, sizeof(int));
    /* A pipe end gives ENOTSOCK and a bad handle EBADF, the OSErrors of
     * CPython's sock.sendmsg; MSG_NOSIGNAL only spares the signal that the
     * connection layer ignores anyway. */
    r = mpr__sendmsg(fd, &msg, MSG_NOSIGNAL);
    return r < 0 ? mpr__error((int)r, NULL) : 0;
}

/* Closes every descriptor of a control message but the first: what a
 * sender put beyond the one we asked for must not leak into this process
 * (CPython leaves them open, unreachable).  skip is 1 to keep the first. */
static void close_extra(struct msghdr *msg, size_t skip)
{
    struct cmsghdr *h;

    for (h = CMSG_FIRSTHDR(msg); h != NULL; h = CMSG_NXTHDR(msg, h)) {
        size_t n, i;

        if (h->cmsg_level != SOL_SOCKET || h->cmsg_type != SCM_RIGHTS)
            continue;
        n = (h->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (i = skip; i < n; i++) {
            int fd;

            memcpy(&fd, CMSG_DATA(h) + i * sizeof(int), sizeof(int));
            mpr__sys.close(fd);
        }
        skip = 0;
    }
}

/* The checks of recvfds after a successful recvmsg of r bytes. */
static int check_received(struct msghdr *msg, ssize_t r, unsigned char byte)
{
    struct cmsghdr *h;
    size_t items = 0, len, n;
    int fd;

    for (h = CMSG_FIRSTHDR(msg); h != NULL; h = CMSG_NXTHDR(msg, h))
        items++;
    if (r == 0 && items == 0) /* "if not msg and not ancdata" */
        return mpr__error(MPR_EEOF, NULL);
    if (items != 1) {
        close_extra(msg, 0);
        return mpr__error(MPR_ERUNTIME, "received %zu items of ancdata", items);
    }
    h = CMSG_FIRSTHDR(msg);
    if (h->cmsg_level != SOL_SOCKET || h->cmsg_type != SCM_RIGHTS)
        return mpr__error(MPR_ERUNTIME, "Invalid data received");
    len = h->cmsg_len - CMSG_LEN(0);
    n = len / sizeof(int);
    if (len % sizeof(int) != 0 || n == 0 || r == 0) {
        /* ValueError, or msg[0] on an empty msg (IndexError): both end in
         * "Invalid data received" */
        close_extra(msg, 0);
        return mpr__error(MPR_ERUNTIME, "Invalid data received");
    }
    if (n % 256 != byte) {
        close_extra(msg, 0);
        return mpr__error(MPR_EASSERT, "Len is %zu but msg[0] is %u", n,
                          (unsigned)byte);
    }
    close_extra(msg, 1);
    memcpy(&fd, CMSG_DATA(h), sizeof(int));
    return fd;
}

int mpr_conn_recv_handle(mpr_conn_t *c)
{
    unsigned char byte = 0;
    struct iovec iov = {&byte, 1};
    union {
        struct cmsghdr h;
        char buf[HANDLE_SPACE];
    } u;
    struct msghdr msg = {.msg_iov = &iov,
                         .msg_iovlen = 1,
                         .msg_control = u.buf,
                         .msg_controllen = sizeof(u.buf)};
    ssize_t r;
    int fd;

    if ((fd = mpr_conn_fileno(c)) < 0)
        return fd;
    memset(&u, 0, sizeof(u));
    /* No MSG_CMSG_CLOEXEC: CPython's recvfds (socket.recvmsg) gives the
     * descriptor inheritable (os.get_inheritable(fd) is True in 3.11.2),
     * and so does this; a caller that must not pass it to an exec'd
     * program sets FD_CLOEXEC itself. */
    if ((r = mpr__recvmsg(fd, &msg, 0)) < 0)
        return mpr__error((int)r, NULL);
    return check_received(&msg, r, byte);
}
