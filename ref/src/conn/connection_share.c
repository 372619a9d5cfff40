/*
 * connection_share.c - sending a Connection to a spawn or forkserver
 * child, as CPython 3.11 does when it pickles one outside a fork:
 * reduce_connection() with resource_sharer.DupFd.  The parent duplicates
 * the descriptor and keeps it in a table served by a background thread on
 * an abstract AF_UNIX socket; the child connects, names the entry by its
 * random 64-bit key and receives the descriptor with SCM_RIGHTS; the
 * parent then closes its duplicate (each entry is handed out once).
 * Only clients of this process's user are served (SO_PEERCRED), each
 * within a bounded time, and none waits for another.
 *
 * Per-process state: the listening socket, its address, the thread, the
 * table of (key, duplicate) pairs.  A forked child starts with none of it
 * (CPython's _afterfork).
 */
#include "mpr/connection.h"
#include "base/internal.h"
#include "base/io.h"
#include "conn/conn_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define TAG "multiprocessing.connection.Connection"

typedef struct {
    uint64_t key;
    int fd; /* the parent's duplicate; -1: free slot */
} entry_t;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;
static int listen_fd = -1;
static pthread_t server;
static char address[64]; /* abstract: address[0] == '\0' */
static size_t address_len;
static entry_t *entries;
static size_t n_entries;

static void after_fork_child(void)
{
    /* The thread is not in the child; the socket and duplicates belong to
     * the parent.  Forget them (they close with the child's exit or exec:
     * all are close-on-exec). */
    if (listen_fd >= 0)
        mpr__sys.close(listen_fd);
    for (size_t i = 0; i < n_entries; i++)
        if (entries[i].fd >= 0)
            mpr__sys.close(entries[i].fd);
    free(entries);
    entries = NULL;
    n_entries = 0;
    listen_fd = -1;
    pthread_mutex_init(&lock, NULL);
}

static void register_atfork(void)
{
    pthread_atfork(NULL, NULL, after_fork_child);
}

/* Takes the entry for key out of the table: its fd, or -1. */
static int take_entry(uint64_t key)
{
    int fd = -1;

    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < n_entries; i++)
        if (entries[i].fd >= 0 && entries[i].key == key) {
            fd = entries[i].fd;
            entries[i].fd = -1;
            break;
        }
    pthread_mutex_unlock(&lock);
    return fd;
}

/* One byte of data, and the descriptor when fd >= 0. */
static int send_fd(int sock, int fd)
{
    char byte = fd >= 0 ? 'F' : 'N';
    struct iovec iov = {&byte, 1};
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int))];
    } u;
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};

    if (fd >= 0) {
        memset(&u, 0, sizeof(u));
        msg.msg_control = u.buf;
        msg.msg_controllen = sizeof(u.buf);
        u.h.cmsg_level = SOL_SOCKET;
        u.h.cmsg_type = SCM_RIGHTS;
        u.h.cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(&u.h), &fd, sizeof(int));
    }
    return mpr__sendmsg(sock, &msg, MSG_NOSIGNAL) < 0 ? -1 : 0;
}

/* Clients connected and not yet served.  Each has its own deadline, and
 * the thread waits on all of them at once: a client that connects and
 * says nothing (by accident, or anyone's idle connection) delays nobody,
 * and is dropped when its time is up.  When the table is full the oldest
 * is dropped to make room, so a flood of connections cannot shut later
 * clients out for longer than it keeps flooding. */
#define MAX_PENDING 64

_Atomic int mpr__conn_sharer_timeout_ms = 5000;

typedef struct {
    int fd;
    size_t got;
    uint64_t key;
    int64_t deadline; /* CLOCK_MONOTONIC, ms */
} client_t;

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Whether the peer on c runs as this process's user.  CPython's sharer
 * listens in its private (0700) pymp- folder and authenticates with the
 * process's authkey, so no other user can reach it; an abstract socket
 * has no permissions, so the kernel's record of the peer decides. */
static int same_user(int c)
{
    struct ucred cred;
    socklen_t len = sizeof(cred);

    return getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 &&
           len == sizeof(cred) && cred.uid == geteuid();
}

static void drop(client_t *cl, size_t *n, size_t i)
{
    mpr__sys.close(cl[i].fd);
    cl[i] = cl[--*n];
}

/* Reads what c has sent; serves it once the whole key is in.  Returns 1
 * when the client is done with (served, gone or broken), else 0. */
static int advance(client_t *c)
{
    ssize_t r;
    int fd;

    while (c->got < sizeof(c->key)) {
        r = mpr__sys.read(c->fd, (char *)&c->key + c->got,
                          sizeof(c->key) - c->got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return 0;
        if (r <= 0)   /* CPython: conn.recv() raised; the client reads */
            return 1; /* EOF (EOFError) */
        c->got += (size_t)r;
    }
    fd = take_entry(c->key);
    send_fd(c->fd, fd);
    if (fd >= 0)
        mpr__sys.close(fd);
    return 1;
}

static void *serve(void *arg)
{
    int lfd = (int)(intptr_t)arg;
    client_t cl[MAX_PENDING];
    struct pollfd pfd[MAX_PENDING + 1];
    size_t n = 0;

    for (;;) {
        int64_t now = now_ms(), wait = -1;
        int r;

        pfd[0] = (struct pollfd){.fd = lfd, .events = POLLIN};
        for (size_t i = 0; i < n; i++) {
            int64_t left = cl[i].deadline - now;
            pfd[i + 1] = (struct pollfd){.fd = cl[i].fd, .events = POLLIN};
            if (wait < 0 || left < wait)
                wait = left < 0 ? 0 : left;
        }
        r = mpr__sys.poll(pfd, n + 1, (int)(wait > INT_MAX ? INT_MAX : wait));
        if (r < 0 && errno != EINTR) /* ENOMEM: wait a little, retry */
            mpr__sys.nanosleep(&(struct timespec){0, 10000000}, NULL);
        if (r < 0)
            continue;
        now = now_ms();
        /* From the end, so that drop()'s move keeps pfd[i + 1] and cl[i]
         * in step for the entries still to visit. */
        for (size_t i = n; i-- > 0;) {
            if (pfd[i + 1].revents != 0 ? advance(&cl[i])
                                        : now >= cl[i].deadline)
                drop(cl, &n, i);
        }
        /* mpr__conn_sharer_stop shuts the listener down: POLLHUP (then
         * accept would only say EAGAIN). */
        if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
            while (n > 0)
                drop(cl, &n, n - 1);
            return NULL;
        }
        if (!(pfd[0].revents & POLLIN))
            continue;
        for (;;) {
            int c =
                mpr__sys.accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
            if (c < 0) {
                /* EINVAL: mpr__conn_sharer_stop shut it down.  EAGAIN:
                 * no one else waiting.  Anything else (EMFILE, ENOMEM...)
                 * passes, as CPython's _serve survives any exception:
                 * stopping would leave every later client waiting for an
                 * answer.  The client stays queued meanwhile: wait a
                 * little rather than spin. */
                if (errno == EINVAL || errno == EBADF) {
                    while (n > 0)
                        drop(cl, &n, n - 1);
                    return NULL;
                }
                if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
                    errno != ECONNABORTED)
                    mpr__sys.nanosleep(&(struct timespec){0, 10000000}, NULL);
                break;
            }
            if (!same_user(c)) { /* refused: the client reads EOF */
                mpr__sys.close(c);
                continue;
            }
            if (n == MAX_PENDING) { /* the oldest makes room */
                size_t old = 0;
                for (size_t i = 1; i < n; i++)
                    if (cl[i].deadline < cl[old].deadline)
                        old = i;
                drop(cl, &n, old);
            }
            cl[n++] = (client_t){
                c, 0, 0, now + atomic_load(&mpr__conn_sharer_timeout_ms)};
        }
    }
}

/* Starts the listener and its thread once per process (under lock). */
static int start_locked(void)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    uint64_t nonce = 0;
    int fd, rc;

    if (listen_fd >= 0)
        return 0;
    if (getrandom(&nonce, sizeof(nonce), 0) < 0)
        nonce = (uint64_t)getpid() * 2654435761u;
    address[0] = '\0';
    address_len = 1 + (size_t)snprintf(address + 1, sizeof(address) - 1,
                                       "mpr-sharer-%d-%016llx", (int)getpid(),
                                       (unsigned long long)nonce);
    memcpy(sa.sun_path, address, address_len);
    /* Non-blocking: a client that gives up between poll and accept must
     * not leave the thread blocked in accept. */
    fd =
        mpr__sys.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return mpr__oserror();
    if (mpr__sys.bind(fd, (struct sockaddr *)&sa,
                      (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
                                  address_len)) < 0 ||
        mpr__sys.listen(fd, 64) < 0) {
        rc = mpr__oserror();
        mpr__sys.close(fd);
        return rc;
    }
    if ((rc = mpr__thread_start(&server, serve, (void *)(intptr_t)fd)) != 0) {
        mpr__sys.close(fd);
        return mpr__error(MPR__ERR(rc), NULL);
    }
    listen_fd = fd;
    return 0;
}

static int add_entry_locked(int fd, uint64_t *key)
{
    size_t i;

    if (getrandom(key, sizeof(*key), 0) < 0)
        return mpr__oserror();
    for (i = 0; i < n_entries && entries[i].fd >= 0; i++)
        ;
    if (i == n_entries) {
        entry_t *e = mpr__sys.realloc(entries, (n_entries + 1) * sizeof(*e));
        if (e == NULL)
            return mpr__error(MPR__ERR(ENOMEM), NULL);
        entries = e;
        n_entries++;
    }
    entries[i] = (entry_t){*key, fd};
    return 0;
}

int mpr_conn_reduce(const mpr_conn_t *c, mpr_obj_t **out)
{
    uint64_t key = 0;
    int fd, dup_fd, rc;

    *out = NULL;
    if ((fd = mpr_conn_fileno(c)) < 0)
        return fd;
    pthread_once(&atfork_once, register_atfork);
    if ((dup_fd = mpr__sys.fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0)
        return mpr__oserror();
    pthread_mutex_lock(&lock);
    if ((rc = start_locked()) == 0)
        rc = add_entry_locked(dup_fd, &key);
    if (rc == 0)
        *out = mpr_obj_tuple_steal(
            5, mpr_obj_str(TAG), mpr_obj_bytes(address, address_len),
            mpr_obj_int((int64_t)key), mpr_obj_bool(mpr_conn_readable(c)),
            mpr_obj_bool(mpr_conn_writable(c)));
    pthread_mutex_unlock(&lock);
    if (rc < 0) {
        mpr__sys.close(dup_fd);
        return rc;
    }
    /* If the tuple could not be built the entry stays unclaimed until
     * exit, like an unpickled DupFd in CPython. */
    return *out != NULL ? 0 : mpr_last_error();
}

/* Receives the descriptor for key from the sharer at addr. */
static int fetch(const unsigned char *addr, size_t len, uint64_t key)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    char byte;
    struct iovec iov = {&byte, 1};
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int))];
    } u;
    struct msghdr msg = {.msg_iov = &iov,
                         .msg_iovlen = 1,
                         .msg_control = u.buf,
                         .msg_controllen = sizeof(u.buf)};
    struct cmsghdr *h;
    int s, fd = -1, rc;
    ssize_t r = 0;

    memcpy(sa.sun_path, addr, len);
    if ((s = mpr__sys.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
        return mpr__oserror();
    if (mpr__sys.connect(
            s, (struct sockaddr *)&sa,
            (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len)) < 0)
        goto oserr;
    if ((rc = mpr__write_full(s, &key, sizeof(key))) == 0 &&
        (r = mpr__recvmsg(s, &msg, MSG_CMSG_CLOEXEC)) < 0)
        rc = (int)r;
    rc = rc < 0 ? mpr__error(rc, NULL) : 0;
    mpr__sys.close(s);
    if (rc < 0)
        return rc;
    if (r == 0) /* the sharer could not answer (recvfds' EOFError) */
        return mpr__error(MPR_EEOF, NULL);
    h = CMSG_FIRSTHDR(&msg);
    if (r == 1 && byte == 'F' && h != NULL && h->cmsg_type == SCM_RIGHTS)
        memcpy(&fd, CMSG_DATA(h), sizeof(int));
    if (fd < 0)
        return mpr__error(MPR_ERUNTIME, "connection handle was already "
                                        "taken or never shared");
    return fd;
oserr:
    rc = mpr__oserror();
    mpr__sys.close(s);
    return rc;
}

int mpr_conn_rebuild(mpr_conn_t **out, const mpr_obj_t *reduced)
{
    const mpr_obj_t *tag, *addr, *key, *rd, *wr;
    const unsigned char *a;
    size_t alen;
    int fd, rc;

    *out = NULL;
    if (mpr_obj_type(reduced) != MPR_OBJ_TUPLE || mpr_obj_len(reduced) != 5 ||
        mpr_obj_type(tag = mpr_obj_item(reduced, 0)) != MPR_OBJ_STR ||
        strcmp(mpr_obj_str_utf8(tag, NULL), TAG) != 0 ||
        mpr_obj_type(addr = mpr_obj_item(reduced, 1)) != MPR_OBJ_BYTES ||
        mpr_obj_type(key = mpr_obj_item(reduced, 2)) != MPR_OBJ_INT ||
        mpr_obj_type(rd = mpr_obj_item(reduced, 3)) != MPR_OBJ_BOOL ||
        mpr_obj_type(wr = mpr_obj_item(reduced, 4)) != MPR_OBJ_BOOL)
        return mpr__error(MPR_ETYPE, "not a reduced Connection");
    a = mpr_obj_bytes_data(addr, &alen);
    if (alen == 0 || alen > sizeof(((struct sockaddr_un *)0)->sun_path))
        return mpr__error(MPR_ETYPE, "not a reduced Connection");
    if ((fd = fetch(a, alen, (uint64_t)mpr_obj_int_value(key))) < 0)
        return fd;
    if ((rc = mpr_conn_new(out, fd, (int)mpr_obj_int_value(rd),
                           (int)mpr_obj_int_value(wr))) < 0)
        mpr__sys.close(fd);
    return rc;
}

/* (conn_internal.h) */
void mpr__conn_sharer_stop(void)
{
    int fd;

    /* The server thread takes the lock for each request (take_entry): it
     * is joined without the lock held, or a request in progress would
     * wait for it for ever. */
    pthread_mutex_lock(&lock);
    fd = listen_fd;
    listen_fd = -1;
    pthread_mutex_unlock(&lock);
    if (fd >= 0) {
        shutdown(fd, SHUT_RDWR);
        pthread_join(server, NULL);
        mpr__sys.close(fd);
    }
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < n_entries; i++)
        if (entries[i].fd >= 0)
            mpr__sys.close(entries[i].fd);
    free(entries);
    entries = NULL;
    n_entries = 0;
    pthread_mutex_unlock(&lock);
}
