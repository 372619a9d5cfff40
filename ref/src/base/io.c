/*
 * io.c - robust I/O (io.h): the only EINTR loops of libmpref's plain
 * system calls.  No state.
 */
#include "base/io.h"
#include "base/internal.h"

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

ssize_t mpr__read_full(int fd, void *buf, size_t len)
{
    size_t got = 0;

    while (got < len) {
        ssize_t n = mpr__sys.read(fd, (char *)buf + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

int mpr__write_full(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = mpr__sys.write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        if (n == 0)
            return -EIO;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int mpr__write_nosigpipe(int fd, const void *buf, size_t len)
{
    sigset_t set, old;
    struct timespec zero = {0, 0};
    int rc;

    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, &old);
    rc = mpr__write_full(fd, buf, len);
    /* Our write raised SIGPIPE (blocked): take it back before unblocking,
     * unless one was already pending for another reason. */
    if (rc == -EPIPE)
        while (sigtimedwait(&set, NULL, &zero) < 0 && errno == EINTR)
            ;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

pid_t mpr__waitpid(pid_t pid, int *status, int flags)
{
    pid_t r;

    while ((r = waitpid(pid, status, flags)) < 0 && errno == EINTR)
        ;
    return r < 0 ? -errno : r;
}

int mpr__waitid(idtype_t type, id_t id, siginfo_t *info, int flags)
{
    while (waitid(type, id, info, flags) < 0)
        if (errno != EINTR)
            return -errno;
    return 0;
}

int mpr__poll(struct pollfd *fds, nfds_t n, int timeout)
{
    int r;

    assert(timeout <= 0);
    while ((r = mpr__sys.poll(fds, n, timeout)) < 0 && errno == EINTR)
        ;
    return r < 0 ? -errno : r;
}

int mpr__connect(int fd, const struct sockaddr *addr, socklen_t len)
{
    struct pollfd p = {.fd = fd, .events = POLLOUT};
    socklen_t n = sizeof(int);
    int err = 0;

    if (mpr__sys.connect(fd, addr, len) == 0)
        return 0;
    if (errno != EINTR)
        return -errno;
    mpr__poll(&p, 1, -1);
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &n);
    errno = err;
    return -err;
}

ssize_t mpr__sendmsg(int sock, const struct msghdr *msg, int flags)
{
    ssize_t r;

    while ((r = mpr__sys.sendmsg(sock, msg, flags)) < 0 && errno == EINTR)
        ;
    return r < 0 ? -errno : r;
}

ssize_t mpr__recvmsg(int sock, struct msghdr *msg, int flags)
{
    ssize_t r;

    while ((r = mpr__sys.recvmsg(sock, msg, flags)) < 0 && errno == EINTR)
        ;
    return r < 0 ? -errno : r;
}
