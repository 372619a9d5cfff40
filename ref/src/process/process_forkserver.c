/*
 * process_forkserver.c - the forkserver: one single-threaded server per
 * client process, a fresh copy of the program (/proc/self/exe, so it holds
 * only import-time state, like CPython's server that imported __main__ as
 * __mp_main__), started on first use, that forks children on request.
 *
 * Python: multiprocessing.forkserver and popen_forkserver, CPython 3.11.
 * Protocol: the client sends one byte with two descriptors (SCM_RIGHTS) on
 * a socketpair: the read end of the description pipe and the write end of
 * a status pipe.  The server forks; the child reads its description (the
 * client keeps the write end open: the child's parent sentinel); the
 * server writes the child's pid (int32) then, once reaped, its exit code
 * (int32) on the status pipe, whose read end is the client's sentinel.
 * The server ends when the client closes the "alive" pipe.
 */
#include "mpr/process.h"
#include "base/io.h"
#include "process/process_internal.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* Client side, per process: the server we started. */
static pid_t server_pid = -1;
static int ctl_fd = -1;  /* our end of the request socket */
static int alive_w = -1; /* the server exits when this closes */

/* set_forkserver_preload's modules, for the next server we start. */
static char **preload;
static size_t n_preload;

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

int mpr_set_forkserver_preload(const char *const *names, size_t n)
{
    char **copy = NULL;

    for (size_t i = 0; i < n; i++)
        if (names == NULL || names[i] == NULL)
            return mpr__error(MPR_ETYPE,
                              "module_names must be a list of strings");
    if (n > 0 && (copy = mpr__sys.calloc(n, sizeof(*copy))) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    for (size_t i = 0; i < n; i++)
        if ((copy[i] = mpr__strdup(names[i])) == NULL) {
            free_names(copy, n);
            return mpr__error(MPR__ERR(ENOMEM), NULL);
        }
    free_names(preload, n_preload);
    preload = copy;
    n_preload = n;
    return 0;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        mpr__sys.close(*fd);
    *fd = -1;
}

static int start_server(void)
{
    int sv[2] = {-1, -1}, alive[2] = {-1, -1}, keep[2], rc;
    char a1[16], a2[16];
    /* the program, the option, the two descriptors, then the modules to
     * preload, as CPython's forkserver gets them on its command line */
    char **argv = mpr__sys.calloc(n_preload + 5, sizeof(*argv));
    pid_t pid;

    if (argv == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    argv[0] = (char *)(mpr__argv0 ? mpr__argv0 : "/proc/self/exe");
    argv[1] = "--mpr-forkserver";
    argv[2] = a1;
    argv[3] = a2;
    for (size_t i = 0; i < n_preload; i++)
        argv[4 + i] = preload[i];

    if (mpr__sys.socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0 ||
        mpr__sys.pipe2(alive, O_CLOEXEC) < 0) {
        rc = mpr__oserror();
        goto fail;
    }
    snprintf(a1, sizeof(a1), "%d", sv[1]);
    snprintf(a2, sizeof(a2), "%d", alive[0]);
    keep[0] = sv[1];
    keep[1] = alive[0];
    pid = mpr__exec_self(argv, keep, 2);
    if (pid < 0) {
        rc = (int)pid;
        goto fail;
    }
    close_fd(&sv[1]);
    close_fd(&alive[0]);
    server_pid = pid;
    ctl_fd = sv[0];
    alive_w = alive[1];
    free(argv);
    return 0;
fail:
    close_fd(&sv[0]), close_fd(&sv[1]), close_fd(&alive[0]),
        close_fd(&alive[1]);
    free(argv);
    return rc;
}

/* Most descriptors in one request: the data and status pipes, then the
 * ones the child must get at the numbers in the payload. */
#define MAX_FDS (MPR_PROCESS_MAX_FDS + 2)

typedef struct {
    int32_t n;                            /* passed descriptors */
    int32_t numbers[MPR_PROCESS_MAX_FDS]; /* their numbers in the child */
} request_t;

static int send_fds(int sock, const request_t *req, const int *fds, int n)
{
    struct iovec iov = {.iov_base = (void *)req, .iov_len = sizeof(*req)};
    union {
        char buf[CMSG_SPACE(MAX_FDS * sizeof(int))];
        struct cmsghdr align;
    } u;
    struct msghdr msg = {.msg_iov = &iov,
                         .msg_iovlen = 1,
                         .msg_control = u.buf,
                         .msg_controllen = CMSG_SPACE(n * sizeof(int))};
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    ssize_t r;

    memset(u.buf, 0, sizeof(u.buf));
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(n * sizeof(int));
    memcpy(CMSG_DATA(c), fds, n * sizeof(int));
    r = mpr__sendmsg(sock, &msg, MSG_NOSIGNAL);
    return r == (ssize_t)sizeof(*req) ? 0 : -1;
}

/* Forgets a server that is gone, reaping it. */
static void drop_server(int block)
{
    close_fd(&ctl_fd);
    close_fd(&alive_w);
    mpr__waitpid(server_pid, NULL, block ? 0 : WNOHANG);
    server_pid = -1;
}

/* One request.  Returns 0, a negative error, or 1 when the server could
 * not be reached at all (it died): nothing was started, try again. */
static int request(mpr_process_t *p, const char *desc, size_t len)
{
    int data[2] = {-1, -1}, status[2] = {-1, -1}, rc;
    int fds[MAX_FDS];
    request_t req = {.n = (int32_t)p->n_pass_fds};
    int32_t pid;
    ssize_t n;

    if (mpr__sys.pipe2(data, O_CLOEXEC) < 0 ||
        mpr__sys.pipe2(status, O_CLOEXEC) < 0)
        goto oserr;
    fds[0] = data[0];
    fds[1] = status[1];
    for (size_t i = 0; i < p->n_pass_fds; i++) {
        req.numbers[i] = p->pass_fds[i];
        fds[2 + i] = p->pass_fds[i];
    }
    if (send_fds(ctl_fd, &req, fds, 2 + (int)p->n_pass_fds) < 0) {
        rc = 1;
        goto fail;
    }
    close_fd(&data[0]);
    close_fd(&status[1]);
    /* As CPython's _launch: an error writing the description or reading
     * the pid is start()'s OSError; only EOF says the server is gone. */
    n = mpr__write_nosigpipe(data[1], desc, len);
    if (n == 0)
        n = mpr__read_full(status[0], &pid, sizeof(pid));
    if (n < 0) {
        rc = mpr__error((int)n, NULL);
        goto fail;
    }
    if (n < (ssize_t)sizeof(pid)) {
        rc = mpr__error(MPR_EEOF, "forkserver did not answer");
        goto fail;
    }
    p->pid = pid;
    p->sentinel = status[0];
    p->parent_w = data[1];
    return 0;
oserr:
    rc = mpr__oserror();
fail:
    close_fd(&data[0]), close_fd(&data[1]);
    close_fd(&status[0]), close_fd(&status[1]);
    return rc;
}

int mpr__forkserver_launch(mpr_process_t *p, const char *desc, size_t len)
{
    int rc = 1;

    for (int attempt = 0; attempt < 2 && rc == 1; attempt++) {
        /* ForkServer.ensure_running: a server that died (killed, say) is
         * reaped and replaced transparently. */
        if (server_pid > 0) {
            pid_t r = waitpid(server_pid, NULL, WNOHANG);
            if (r == server_pid || (r < 0 && errno == ECHILD))
                drop_server(0);
        }
        if (server_pid < 0 && (rc = start_server()) < 0)
            return rc;
        rc = request(p, desc, len);
        if (rc == 1)
            drop_server(1); /* it is dying: it no longer reads requests */
    }
    if (rc == 1)
        rc = mpr__error(MPR__ERR(EPIPE), NULL);
    return rc;
}

void mpr__forkserver_stop(void)
{
    if (server_pid >= 0)
        drop_server(1);
}

pid_t mpr__forkserver_pid(void)
{
    return server_pid;
}

void mpr__forkserver_forget(void)
{
    close_fd(&ctl_fd);
    close_fd(&alive_w);
    server_pid = -1;
}

/* ---- the server ---------------------------------------------------- */

typedef struct {
    pid_t pid;
    int status_w;
} served_t;

static served_t *served;
static size_t n_served, cap_served;
static int sig_w = -1;

static void on_sigchld(int sig)
{
    int e = errno;
    char c = (char)sig;

    if (write(sig_w, &c, 1) < 0) { /* a signal handler: no hooks */
        /* the pipe is full: a wake-up is already pending */
    }
    errno = e;
}

/* Receives one request: fds[0] the data pipe, fds[1] the status pipe,
 * fds[2..] the descriptors to pass.  Returns their count, or -1. */
static int recv_fds(int sock, request_t *req, int *fds)
{
    struct iovec iov = {.iov_base = req, .iov_len = sizeof(*req)};
    union {
        char buf[CMSG_SPACE(MAX_FDS * sizeof(int))];
        struct cmsghdr align;
    } u;
    struct msghdr msg = {.msg_iov = &iov,
                         .msg_iovlen = 1,
                         .msg_control = u.buf,
                         .msg_controllen = sizeof(u.buf)};
    struct cmsghdr *c;
    ssize_t n;
    int nfds;

    n = mpr__recvmsg(sock, &msg, MSG_CMSG_CLOEXEC | MSG_WAITALL);
    if (n != (ssize_t)sizeof(*req))
        return -1;
    c = CMSG_FIRSTHDR(&msg);
    if (c == NULL || c->cmsg_type != SCM_RIGHTS)
        return -1;
    nfds = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
    memcpy(fds, CMSG_DATA(c), nfds * sizeof(int));
    if (nfds < 2 || req->n < 0 || req->n != nfds - 2) {
        for (int i = 0; i < nfds; i++)
            mpr__sys.close(fds[i]);
        return -1;
    }
    return nfds;
}

/*
 * In a new child: puts the passed descriptors at the numbers the client
 * had them at.  Everything is first moved above every target number, so
 * no dup2 overwrites a descriptor still to be moved.
 */
static void place_fds(const request_t *req, int *fds, int nfds)
{
    int hi = 3;

    for (int i = 0; i < req->n; i++)
        if (req->numbers[i] >= hi)
            hi = req->numbers[i] + 1;
    for (int i = 0; i < nfds; i++) {
        int moved = mpr__sys.fcntl(fds[i], F_DUPFD_CLOEXEC, hi);
        mpr__sys.close(fds[i]);
        fds[i] = moved;
    }
    for (int i = 0; i < req->n; i++) {
        dup2(fds[2 + i], req->numbers[i]);
        mpr__sys.close(fds[2 + i]);
    }
}

static void write_i32(int fd, int32_t v)
{
    mpr__write_nosigpipe(fd, &v, sizeof(v));
}

static void reap(void)
{
    int st;
    pid_t pid;

    while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
        for (size_t i = 0; i < n_served; i++) {
            if (served[i].pid != pid)
                continue;
            write_i32(served[i].status_w,
                      WIFSIGNALED(st) ? -WTERMSIG(st) : WEXITSTATUS(st));
            mpr__sys.close(served[i].status_w);
            served[i] = served[--n_served];
            break;
        }
    }
}

/* Forks the child of one request.  Returns 1 in that child (its data
 * descriptor in mpr__forkserver_child_fd), 0 in the server. */
static int serve_one(int ctl, int alive, int sig_r, const request_t *req,
                     int *fds, int nfds)
{
    pid_t pid;

    if (n_served == cap_served) {
        size_t cap = cap_served ? 2 * cap_served : 16;
        served_t *s = mpr__sys.realloc(served, cap * sizeof(*s));
        if (s == NULL)
            goto refuse;
        served = s;
        cap_served = cap;
    }
    pid = mpr__sys.fork();
    if (pid < 0)
        goto refuse;
    if (pid == 0) {
        signal(SIGCHLD, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        mpr__sys.close(ctl), mpr__sys.close(alive), mpr__sys.close(sig_r),
            mpr__sys.close(sig_w);
        for (size_t i = 0; i < n_served; i++)
            mpr__sys.close(served[i].status_w);
        mpr__sys.close(fds[1]);
        fds[1] = -1;
        place_fds(req, fds, nfds);
        mpr__forkserver_child_fd = fds[0];
        return 1;
    }
    for (int i = 2; i < nfds; i++)
        mpr__sys.close(fds[i]);
    mpr__sys.close(fds[0]);
    served[n_served].pid = pid;
    served[n_served++].status_w = fds[1];
    write_i32(fds[1], pid);
    return 0;
refuse:
    /* The client reads EOF instead of a pid and reports the failure. */
    for (int i = 0; i < nfds; i++)
        mpr__sys.close(fds[i]);
    return 0;
}

void mpr__forkserver_main(int ctl, int alive, char **modules, int n_modules)
{
    int sp[2], fds[MAX_FDS], nfds;
    request_t req;
    struct sigaction sa;

    fcntl(ctl, F_SETFD, FD_CLOEXEC);
    fcntl(alive, F_SETFD, FD_CLOEXEC);
    /* forkserver.main: `for modname in preload: try: __import__(modname)
     * except ImportError: pass`.  The handles stay open for the server's
     * life and its children's, as imported modules stay in sys.modules. */
    for (int i = 0; i < n_modules; i++)
        dlopen(modules[i], RTLD_NOW | RTLD_GLOBAL);
    if (mpr__sys.pipe2(sp, O_CLOEXEC | O_NONBLOCK) < 0)
        mpr__child_exit(1);
    sig_w = sp[1];
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_sigchld;
    sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    sigaction(SIGCHLD, &sa, NULL);
    signal(SIGINT, SIG_IGN);
    for (;;) {
        struct pollfd pf[3] = {{.fd = ctl, .events = POLLIN},
                               {.fd = alive, .events = POLLIN},
                               {.fd = sp[0], .events = POLLIN}};
        if (mpr__poll(pf, 3, -1) < 0)
            break;
        if (pf[2].revents) {
            char junk[64];
            while (mpr__sys.read(sp[0], junk, sizeof(junk)) > 0)
                ;
            reap();
        }
        if (pf[1].revents)
            break; /* EOF: no client left */
        if (pf[0].revents) {
            if ((nfds = recv_fds(ctl, &req, fds)) < 0)
                break;
            if (serve_one(ctl, alive, sp[0], &req, fds, nfds))
                return; /* a new child: it goes on to run the program */
        }
    }
    mpr__child_exit(0);
}
