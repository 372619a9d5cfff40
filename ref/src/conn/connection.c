/*
 * connection.c - Connection and Pipe (CPython 3.11's
 * multiprocessing.connection.Connection on Unix, Lib/multiprocessing/
 * connection.py): the same framing, checks, error messages and state
 * changes, byte for byte on the wire.
 *
 * Per-process state only: the descriptor and the readable/writable flags
 * (fd -1 once closed).
 */
#include "mpr/connection.h"
#include "mpr/pickle.h"
#include "mpr/timeout.h"
#include "base/buf.h"
#include "base/internal.h"
#include "base/io.h"
#include "conn/conn_internal.h"
#include "obj/objimpl.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

struct mpr_conn_s {
    int fd;       /* -1: closed */
    int readable; /* _readable */
    int writable; /* _writable */
};

#define SMALL_MESSAGE    16384       /* header and payload in one write */
#define MAX_SMALL_HEADER 0x7fffffff  /* larger: the -1 + 8-byte form */
#define PREALLOC_MAX     (64u << 20) /* beyond: grow as bytes arrive */

static pthread_once_t sigpipe_once = PTHREAD_ONCE_INIT;

/* The interpreter ignores SIGPIPE from start-up; so do we, unless the
 * program chose its own handler. */
static void ignore_sigpipe(void)
{
    struct sigaction sa;

    if (sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL) {
        sa.sa_handler = SIG_IGN;
        sigaction(SIGPIPE, &sa, NULL);
    }
}

/* ---- checks (_check_closed, _check_readable, _check_writable) --------- */

static int check_read(const mpr_conn_t *c)
{
    if (c->fd < 0)
        return mpr__error(MPR_ECLOSED, NULL);
    if (!c->readable)
        return mpr__error(MPR_EWRITEONLY, NULL);
    return 0;
}

static int check_write(const mpr_conn_t *c)
{
    if (c->fd < 0)
        return mpr__error(MPR_ECLOSED, NULL);
    if (!c->writable)
        return mpr__error(MPR_EREADONLY, NULL);
    return 0;
}

/* ---- raw I/O (os.read / os.write with PEP 475's EINTR retry) ---------- */

/* A whole buffer out, its failure recorded (io.h does the retrying). */
static int write_all(int fd, const void *buf, size_t n)
{
    int rc = mpr__write_full(fd, buf, n);

    return rc < 0 ? mpr__error(rc, NULL) : 0;
}

/* Both buffers out with as few writev calls as the pipe allows; EINTR is
 * retried and a short write resumes where it stopped. */
static int writev_all(int fd, struct iovec iov[2])
{
    int i = 0;

    while (i < 2) {
        ssize_t w = mpr__sys.writev(fd, iov + i, 2 - i);

        if (w < 0) {
            if (errno == EINTR)
                continue;
            return mpr__oserror();
        }
        while (i < 2 && (size_t)w >= iov[i].iov_len)
            w -= (ssize_t)iov[i++].iov_len;
        if (i < 2) {
            iov[i].iov_base = (char *)iov[i].iov_base + w;
            iov[i].iov_len -= (size_t)w;
        }
    }
    return 0;
}

/*
 * _recv(size): exactly size bytes into buf.  End of file before the first
 * byte is EOFError, after it "got end of file during message" -- per call,
 * so a body that never starts is EOFError too, as in CPython.
 */
static int read_into(int fd, char *buf, size_t size)
{
    ssize_t got = mpr__read_full(fd, buf, size);

    if (got < 0)
        return mpr__error((int)got, NULL);
    if ((size_t)got < size)
        return mpr__error(got == 0 ? MPR_EEOF : MPR_EEOFMSG, NULL);
    return 0;
}

/* A message body of size bytes in a new buffer (NUL-terminated).  It
 * grows with what arrives, so a hostile length cannot make us allocate
 * it all before the bytes are there. */
static int read_exact(int fd, uint64_t size, char **out)
{
    size_t cap = size < PREALLOC_MAX ? (size_t)size : PREALLOC_MAX, got = 0;
    char *buf = mpr__sys.malloc(cap + 1);
    int rc;

    if (buf == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    for (;;) {
        if ((rc = read_into(fd, buf + got, cap - got)) < 0) {
            /* EOF in a later chunk is inside the message */
            if (rc == MPR_EEOF && got > 0)
                rc = mpr__error(MPR_EEOFMSG, NULL);
            free(buf);
            return rc;
        }
        got = cap;
        if (got == size)
            break;
        cap = size - got > cap ? cap * 2 : (size_t)size;
        {
            char *nb = mpr__sys.realloc(buf, cap + 1);
            if (nb == NULL) {
                free(buf);
                return mpr__error(MPR__ERR(ENOMEM), NULL);
            }
            buf = nb;
        }
    }
    buf[size] = '\0';
    *out = buf;
    return 0;
}

static uint64_t get_be(const unsigned char *p, int n)
{
    uint64_t v = 0;

    for (int i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/*
 * _recv_bytes(maxsize): one message.  Returns 1 (and nothing read past
 * the header) when it is longer than maxlength: CPython's None.
 */
static int recv_message(mpr_conn_t *c, int64_t maxlength, char **out,
                        size_t *len)
{
    unsigned char hdr[8];
    uint64_t size;
    int32_t small;
    int rc;

    if ((rc = read_into(c->fd, (char *)hdr, 4)) < 0)
        return rc;
    small = (int32_t)(uint32_t)get_be(hdr, 4);
    if (small == -1) {
        if ((rc = read_into(c->fd, (char *)hdr, 8)) < 0)
            return rc;
        size = get_be(hdr, 8);
    } else {
        /* Another negative length reads nothing: b'' (struct "!i"). */
        size = small < 0 ? 0 : (uint64_t)small;
    }
    if (maxlength != MPR_SIZE_NONE && size > (uint64_t)maxlength)
        return 1;
    if (size > SIZE_MAX / 2)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    if ((rc = read_exact(c->fd, size, out)) < 0)
        return rc;
    *len = (size_t)size;
    return 0;
}

/* _send_bytes: the header, then the payload (together when small; the
 * large form as three writes, as CPython does). */
static int send_message(mpr_conn_t *c, const void *data, size_t n)
{
    unsigned char one[4 + SMALL_MESSAGE];
    int hn = mpr__conn_header(n, one), rc;

    if (hn == 12) {
        if ((rc = write_all(c->fd, one, 4)) < 0 ||
            (rc = write_all(c->fd, one + 4, 8)) < 0)
            return rc;
        return write_all(c->fd, data, n);
    }
    if (n > SMALL_MESSAGE) {
        /* CPython writes the header, then the payload; one writev puts
         * both in the pipe with one system call (the bytes on the wire
         * are the same; a write of more than PIPE_BUF is not atomic
         * either way, which is why queues hold their writer lock). */
        struct iovec iov[2] = {{one, 4}, {(void *)data, n}};

        return writev_all(c->fd, iov);
    }
    if (n > 0)
        memcpy(one + 4, data, n);
    return write_all(c->fd, one, n + 4);
}

/* _bad_message_length: a duplex end stops reading, a reader closes. */
static int bad_message_length(mpr_conn_t *c)
{
    if (c->writable)
        c->readable = 0;
    else
        mpr_conn_close(c);
    return mpr__error(MPR_EBADLEN, NULL);
}

/* ---- construction ----------------------------------------------------- */

int mpr_conn_new(mpr_conn_t **out, int fd, int readable, int writable)
{
    mpr_conn_t *c;

    *out = NULL;
    if (fd < 0)
        return mpr__error(MPR_EVALUE, "invalid handle");
    if (!readable && !writable)
        return mpr__error(MPR_EVALUE, "at least one of `readable` and "
                                      "`writable` must be True");
    if ((c = mpr__sys.malloc(sizeof(*c))) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    pthread_once(&sigpipe_once, ignore_sigpipe);
    c->fd = fd;
    c->readable = readable != 0;
    c->writable = writable != 0;
    *out = c;
    return 0;
}

int mpr_pipe(mpr_conn_t **a, mpr_conn_t **b, int duplex)
{
    int fds[2], rc;

    *a = *b = NULL;
    if (duplex)
        rc = mpr__sys.socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds);
    else
        rc = mpr__sys.pipe2(fds, O_CLOEXEC);
    if (rc < 0)
        return mpr__oserror();
    if ((rc = mpr_conn_new(a, fds[0], 1, duplex)) < 0) {
        mpr__sys.close(fds[0]);
        mpr__sys.close(fds[1]);
        return rc;
    }
    if ((rc = mpr_conn_new(b, fds[1], duplex, 1)) < 0) {
        mpr_conn_free(*a);
        *a = NULL;
        mpr__sys.close(fds[1]);
        return rc;
    }
    return 0;
}

void mpr_conn_free(mpr_conn_t *c)
{
    if (c == NULL)
        return;
    mpr_conn_close(c);
    free(c);
}

int mpr_conn_close(mpr_conn_t *c)
{
    int fd = c->fd;

    if (fd < 0)
        return 0;
    c->fd = -1;
    /* No retry on EINTR: on Linux the descriptor is gone either way. */
    if (mpr__sys.close(fd) < 0 && errno != EINTR)
        return mpr__oserror();
    return 0;
}

int mpr_conn_fileno(const mpr_conn_t *c)
{
    if (c->fd < 0)
        return mpr__error(MPR_ECLOSED, NULL);
    return c->fd;
}

int mpr_conn_repr(const mpr_conn_t *c, char **out, size_t *len)
{
    return mpr__sprintf(out, len,
                        "<multiprocessing.connection.Connection object at %p>",
                        (const void *)c);
}

int mpr_conn_closed(const mpr_conn_t *c)
{
    return c->fd < 0;
}

int mpr_conn_readable(const mpr_conn_t *c)
{
    return c->readable;
}

int mpr_conn_writable(const mpr_conn_t *c)
{
    return c->writable;
}

/* ---- messages --------------------------------------------------------- */

int mpr_conn_send(mpr_conn_t *c, const mpr_obj_t *o)
{
    char *p = NULL;
    size_t n;
    int rc;

    if ((rc = check_write(c)) < 0)
        return rc;
    if ((rc = mpr_pickle_dumps(o, 4, &p, &n)) < 0)
        return rc;
    rc = send_message(c, p, n);
    mpr_free(p);
    return rc;
}

int mpr_conn_recv(mpr_conn_t *c, mpr_obj_t **out)
{
    char *buf = NULL;
    size_t n = 0;
    int rc;

    *out = NULL;
    if ((rc = check_read(c)) < 0)
        return rc;
    if ((rc = recv_message(c, MPR_SIZE_NONE, &buf, &n)) < 0)
        return rc;
    rc = mpr_pickle_loads(buf, n, out);
    free(buf);
    return rc;
}

int mpr_conn_send_bytes(mpr_conn_t *c, const void *buf, size_t len,
                        int64_t offset, int64_t size)
{
    int rc;

    if ((rc = check_write(c)) < 0)
        return rc;
    if (offset < 0)
        return mpr__error(MPR_EVALUE, "offset is negative");
    if ((uint64_t)offset > len)
        return mpr__error(MPR_EVALUE, "buffer length < offset");
    if (size == MPR_SIZE_NONE)
        size = (int64_t)(len - (uint64_t)offset);
    else if (size < 0)
        return mpr__error(MPR_EVALUE, "size is negative");
    else if ((uint64_t)offset + (uint64_t)size > len)
        return mpr__error(MPR_EVALUE, "buffer length < offset + size");
    return send_message(c, (const char *)buf + offset, (size_t)size);
}

int mpr_conn_recv_bytes(mpr_conn_t *c, int64_t maxlength, char **out,
                        size_t *len)
{
    size_t n = 0;
    int rc;

    *out = NULL;
    if ((rc = check_read(c)) < 0)
        return rc;
    if (maxlength != MPR_SIZE_NONE && maxlength < 0)
        return mpr__error(MPR_EVALUE, "negative maxlength");
    if ((rc = recv_message(c, maxlength, out, &n)) < 0)
        return rc;
    if (rc == 1)
        return bad_message_length(c);
    if (len != NULL)
        *len = n;
    return 0;
}

int mpr_conn_recv_bytes_into(mpr_conn_t *c, void *buf, size_t size,
                             int64_t offset, size_t *nread)
{
    char *msg = NULL;
    size_t n = 0;
    int rc;

    if ((rc = check_read(c)) < 0)
        return rc;
    if (offset < 0)
        return mpr__error(MPR_EVALUE, "negative offset");
    if ((uint64_t)offset > size)
        return mpr__error(MPR_EVALUE, "offset too large");
    if ((rc = recv_message(c, MPR_SIZE_NONE, &msg, &n)) < 0)
        return rc;
    if (size < (size_t)offset + n) {
        /* BufferTooShort(whole message): str() is the bytes' repr. */
        mpr_obj_t *b = mpr_obj_bytes(msg, n);
        char *r = NULL;
        free(msg);
        if (b == NULL || mpr_obj_repr(b, &r, NULL) < 0)
            rc = mpr_last_error();
        else
            rc = mpr__error(MPR_EBUFTOOSHORT, "%s", r);
        mpr_free(r);
        mpr_obj_decref(b);
        return rc;
    }
    if (n > 0)
        memcpy((char *)buf + offset, msg, n);
    free(msg);
    if (nread != NULL)
        *nread = n;
    return 0;
}

/* ---- poll and wait ---------------------------------------------------- */

/* selectors.PollSelector's timeout: milliseconds rounded up. */
static int poll_ms(const mpr_deadline_t *d)
{
    double left = mpr_deadline_seconds(d);

    if (isinf(left))
        return -1;
    left = ceil(left * 1e3);
    return left > 2147483647.0 ? 2147483647 : (int)left;
}

int mpr_conn_wait(mpr_wait_item_t *items, size_t n, double timeout)
{
    struct pollfd *fds = NULL;
    mpr_deadline_t d;
    int rc, ready = 0;

    for (size_t i = 0; i < n; i++) {
        items[i].ready = 0;
        if (items[i].conn != NULL && (rc = mpr_conn_fileno(items[i].conn)) < 0)
            return rc;
    }
    if ((rc = mpr_deadline_init(&d, 1, timeout)) < 0)
        return rc;
    if (n > 0 && (fds = mpr__sys.calloc(n, sizeof(*fds))) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    for (size_t i = 0; i < n; i++) {
        fds[i].fd = items[i].conn ? items[i].conn->fd : items[i].fd;
        fds[i].events = POLLIN;
    }
    /* wait(): poll until something is ready or the deadline passes,
     * recomputing the time left after EINTR or an empty wake-up. */
    for (;;) {
        int ms = poll_ms(&d);
        rc = mpr__sys.poll(fds, n, ms);
        if (rc < 0 && errno != EINTR) {
            rc = mpr__oserror();
            break;
        }
        if (rc > 0) {
            /* PollSelector: any event other than POLLOUT is "read". */
            for (size_t i = 0; i < n; i++)
                if (fds[i].revents & ~POLLOUT) {
                    items[i].ready = 1;
                    ready++;
                }
            rc = ready;
            break;
        }
        if (rc == 0 && mpr_deadline_seconds(&d) <= 0) {
            rc = 0;
            break;
        }
    }
    free(fds);
    return rc;
}

int mpr_conn_poll(mpr_conn_t *c, double timeout)
{
    mpr_wait_item_t item = {c, -1, 0};
    int rc;

    if ((rc = check_read(c)) < 0)
        return rc;
    rc = mpr_conn_wait(&item, 1, timeout);
    return rc < 0 ? rc : rc > 0;
}

/* (conn_internal.h) */
int mpr__conn_header(uint64_t n, unsigned char out[12])
{
    if (n > MAX_SMALL_HEADER) {
        memset(out, 0xff, 4);
        for (int i = 0; i < 8; i++)
            out[4 + i] = (unsigned char)(n >> (56 - 8 * i));
        return 12;
    }
    for (int i = 0; i < 4; i++)
        out[i] = (unsigned char)(n >> (24 - 8 * i));
    return 4;
}

/* ---- as a handle value (obj.h): what obj/ and the process layer use ---- */

static const char *conn_type_name(const void *p)
{
    (void)p;
    return "Connection";
}

static int conn_repr_h(void *p, char **out, size_t *len)
{
    return mpr_conn_repr(p, out, len);
}

static int conn_reduce_h(const void *p, mpr_obj_t **tok)
{
    return mpr_conn_reduce(p, tok);
}

static int conn_rebuild_h(const mpr_obj_t *tok, void **out)
{
    mpr_conn_t *o = NULL;
    int rc = mpr_conn_rebuild(&o, tok);

    *out = o;
    return rc;
}

/*
 * Pickled outside a process's args: CPython's ForkingPickler reduces a
 * Connection with reduction.DupFd, which first asks for its fileno(), so
 * a closed one raises OSError "handle is closed"; an open one CPython
 * lends through its resource sharer, which libmpref does only into a
 * process's args (mpr_conn_reduce does the rest by hand).
 */
static int conn_refuse_h(const void *p)
{
    if (mpr_conn_closed(p))
        return mpr__error(MPR_ECLOSED, NULL);
    return mpr__error(MPR_ENOTIMPL, "libmpref pickles a Connection only "
                                    "into a Process's args");
}

static void conn_free_h(void *p)
{
    mpr_conn_free(p);
}

MPR__HANDLE_INIT static void conn_handle_init(void)
{
    static const mpr__handle_ops_t ops = {
        .name = "Connection",
        .type_name = conn_type_name,
        .repr = conn_repr_h,
        .reduce = conn_reduce_h,
        .rebuild = conn_rebuild_h,
        .free = conn_free_h,
        .refuse = conn_refuse_h,
    };
    mpr__handle_register(MPR_HANDLE_CONN, &ops);
}
