/*
 * io.h - the library's robust I/O (SQLite's robust_* rule): every read or
 * write of a whole buffer, and every system call that only needs to be
 * restarted after a signal, goes through these instead of a hand-written
 * loop.  EINTR is retried (PEP 475); a partial transfer continues; a
 * failure comes back as -errno (errno is left as the call set it), and
 * nothing here records a last error: callers that report one pass the code
 * to mpr__error.  All go through mpr__sys, so fault injection reaches them.
 * Async-signal-safe (a forked child may call them before exec).
 */
#ifndef MPR_BASE_IO_H
#define MPR_BASE_IO_H

#include <poll.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

/* Reads until len bytes or end of file.  Returns the bytes read (< len
 * only at end of file), or -errno. */
ssize_t mpr__read_full(int fd, void *buf, size_t len);

/* Writes all len bytes.  Returns 0, or -errno (-EIO for a write that
 * wrote nothing without an error). */
int mpr__write_full(int fd, const void *buf, size_t len);

/* mpr__write_full to a pipe whose reader may be gone: -EPIPE, never
 * SIGPIPE (CPython ignores SIGPIPE in the whole interpreter; libmpref
 * only here). */
int mpr__write_nosigpipe(int fd, const void *buf, size_t len);

/* waitpid, restarted after a signal.  Returns the pid, 0 (WNOHANG: still
 * running), or -errno. */
pid_t mpr__waitpid(pid_t pid, int *status, int flags);

/* waitid, restarted after a signal.  Returns 0, or -errno. */
int mpr__waitid(idtype_t type, id_t id, siginfo_t *info, int flags);

/* poll without a deadline (timeout 0: look once; -1: wait for ever),
 * restarted after a signal.  A caller with a deadline recomputes the time
 * left itself.  Returns the ready count, or -errno. */
int mpr__poll(struct pollfd *fds, nfds_t n, int timeout);

/* connect on a blocking socket.  A signal does not end it (PEP 475): the
 * kernel goes on connecting, so an interrupted call waits for the socket
 * to be writable and takes the outcome from SO_ERROR.  Returns 0, or
 * -errno (errno set too, for mpr__oserror). */
int mpr__connect(int fd, const struct sockaddr *addr, socklen_t len);

/* sendmsg / recvmsg, restarted after a signal.  Return the byte count, or
 * -errno. */
ssize_t mpr__sendmsg(int sock, const struct msghdr *msg, int flags);
ssize_t mpr__recvmsg(int sock, struct msghdr *msg, int flags);

#endif /* MPR_BASE_IO_H */
