/*
 * test-faults.c - fault injection through the replaceable system-call
 * table (internal.h's mpr__sys, SQLite's aSyscall and its "make the Nth
 * call fail" loop).
 *
 * For each operation (a whole use of one primitive, cleanup included): a
 * first run with counting wrappers learns how many table calls N it makes;
 * then, for i = 1..N, the i-th call fails (an allocation returns NULL with
 * ENOMEM, a system call -1 with a plausible errno), or is interrupted
 * (EINTR), or (read/write) transfers only part of what was asked.  Every
 * run must end with success or a clean error code -- MemoryError, or the
 * OSError of the errno injected, or an error the operation documents --
 * with no crash, no hang, and no descriptor or child left behind.  ASan
 * builds check the memory (LeakSanitizer runs in every iteration).
 *
 * Each run is a forked child of the test, so a hang is a timeout, a crash
 * a signal, and a fault cannot spoil the state of the runs after it.  Only
 * calls made by that child (any of its threads) count and fail: processes
 * it starts run with the real calls.
 */
#include <mpr.h>
#include "base/internal.h"
#include "conn/conn_internal.h"
#include "mprtest.h"

#include <dirent.h>
#include <errno.h>
#include <execinfo.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

const char *mprtest_suite_name = "faults";

/* Seconds one run may take before it counts as a hang. */
#define RUN_TIMEOUT 30.0

enum { MODE_COUNT, MODE_FAIL, MODE_EINTR, MODE_SHORT };

static const char *const mode_names[] = {"count", "fail", "eintr", "short"};

/* What the parent and the run's child share (a MAP_SHARED page). */
typedef struct {
    long calls;             /* table calls the run made */
    _Atomic long all_calls; /* ... with those of its children (children) */
    pid_t fired_pid;        /* the process whose call failed */
    pid_t run_pid;          /* the run's own process */
    long fired;             /* 1: the i-th call was made and failed */
    int fired_errno;        /* the errno it failed with */
    char fired_call[32];
    int rc;           /* what the operation returned */
    char detail[256]; /* mpr_last_error_detail() for it */
} shared_t;

static shared_t *sh;
static const mpr__syscalls_t *real;
static mpr__syscalls_t saved;
static pid_t owner;
static pthread_t owner_thread;
static int children; /* 1: the run's forked children count and fail too */
/* Which of the run's threads count and fail: all, only the one running
 * the operation (test_faults_pool), or only its background threads. */
static enum { THREADS_ALL, THREADS_MAIN, THREADS_BACKGROUND } threads;
static int mode;
static long fail_at;
static _Atomic long ncalls;
static long points, operations;

/* ---- the wrappers ------------------------------------------------------ */

extern char __executable_start;

/* 1 if this call (named what, failing with e) is the one to fail. */
static int hit(const char *what, int e)
{
    long n;

    if (children) {
        /* Fork children inherit the wrappers (spawned ones do not). */
        n = atomic_fetch_add(&sh->all_calls, 1) + 1;
    } else {
        int is_main = pthread_equal(pthread_self(), owner_thread);
        if (getpid() != owner || (threads == THREADS_MAIN && !is_main) ||
            (threads == THREADS_BACKGROUND && is_main))
            return 0;
        n = atomic_fetch_add(&ncalls, 1) + 1;
        sh->calls = n;
    }
    if (n != fail_at)
        return 0;
    sh->fired = 1;
    sh->fired_pid = getpid();
    sh->fired_errno = e;
    snprintf(sh->fired_call, sizeof(sh->fired_call), "%s", what);
    if (getenv("MPR_FAULT_TRACE") != NULL) {
        /* Where the failing call came from: addr2line -e test-faults. */
        void *frames[16];
        int k = backtrace(frames, 16);
        fprintf(stderr, "# fault %ld (%s):", n, what);
        for (int j = 1; j < k; j++)
            fprintf(stderr, " 0x%lx",
                    (unsigned long)((char *)frames[j] - &__executable_start));
        fprintf(stderr, "\n");
    }
    return 1;
}

/* Calls that only fail hard (allocations, descriptors): no EINTR mode. */
#define HARD(what, e) (mode != MODE_EINTR && mode != MODE_SHORT && hit(what, e))
/* Calls that may be interrupted: fail hard, or EINTR in that mode. */
#define SOFT(what, e)                                                          \
    (mode != MODE_SHORT && hit(what, mode == MODE_EINTR ? EINTR : (e)))

static void *w_malloc(size_t n)
{
    if (HARD("malloc", ENOMEM)) {
        errno = ENOMEM;
        return NULL;
    }
    return real->malloc(n);
}

static void *w_calloc(size_t n, size_t s)
{
    if (HARD("calloc", ENOMEM)) {
        errno = ENOMEM;
        return NULL;
    }
    return real->calloc(n, s);
}

static void *w_realloc(void *p, size_t n)
{
    if (HARD("realloc", ENOMEM)) {
        errno = ENOMEM;
        return NULL;
    }
    return real->realloc(p, n);
}

static pid_t w_fork(void)
{
    if (HARD("fork", EAGAIN)) {
        errno = EAGAIN;
        return -1;
    }
    return real->fork();
}

static int w_pipe2(int fds[2], int flags)
{
    if (HARD("pipe2", EMFILE)) {
        errno = EMFILE;
        return -1;
    }
    return real->pipe2(fds, flags);
}

static int w_socketpair(int d, int t, int p, int fds[2])
{
    if (HARD("socketpair", EMFILE)) {
        errno = EMFILE;
        return -1;
    }
    return real->socketpair(d, t, p, fds);
}

static int w_socket(int d, int t, int p)
{
    if (HARD("socket", EMFILE)) {
        errno = EMFILE;
        return -1;
    }
    return real->socket(d, t, p);
}

static int w_connect(int fd, const struct sockaddr *a, socklen_t n)
{
    /* EINTR: the connection goes on in the background (PEP 475). */
    if (SOFT("connect", ECONNREFUSED)) {
        int e = mode == MODE_EINTR ? EINTR : ECONNREFUSED;
        if (e == EINTR)
            real->connect(fd, a, n);
        errno = e;
        return -1;
    }
    return real->connect(fd, a, n);
}

static int w_bind(int fd, const struct sockaddr *a, socklen_t n)
{
    if (HARD("bind", EADDRINUSE)) {
        errno = EADDRINUSE;
        return -1;
    }
    return real->bind(fd, a, n);
}

static int w_listen(int fd, int n)
{
    if (HARD("listen", EADDRINUSE)) {
        errno = EADDRINUSE;
        return -1;
    }
    return real->listen(fd, n);
}

static int w_accept4(int fd, struct sockaddr *a, socklen_t *n, int flags)
{
    if (SOFT("accept4", EMFILE)) {
        errno = mode == MODE_EINTR ? EINTR : EMFILE;
        return -1;
    }
    return real->accept4(fd, a, n, flags);
}

static ssize_t w_sendmsg(int fd, const struct msghdr *m, int flags)
{
    if (SOFT("sendmsg", ENOBUFS)) {
        errno = mode == MODE_EINTR ? EINTR : ENOBUFS;
        return -1;
    }
    return real->sendmsg(fd, m, flags);
}

static ssize_t w_recvmsg(int fd, struct msghdr *m, int flags)
{
    if (SOFT("recvmsg", EIO)) {
        errno = mode == MODE_EINTR ? EINTR : EIO;
        return -1;
    }
    return real->recvmsg(fd, m, flags);
}

static ssize_t w_read(int fd, void *buf, size_t n)
{
    if (mode == MODE_SHORT) {
        if (n > 1 && hit("read", 0))
            n /= 2;
        return real->read(fd, buf, n);
    }
    if (SOFT("read", EIO)) {
        errno = mode == MODE_EINTR ? EINTR : EIO;
        return -1;
    }
    return real->read(fd, buf, n);
}

static ssize_t w_write(int fd, const void *buf, size_t n)
{
    if (mode == MODE_SHORT) {
        if (n > 1 && hit("write", 0))
            n /= 2;
        return real->write(fd, buf, n);
    }
    if (SOFT("write", EIO)) {
        errno = mode == MODE_EINTR ? EINTR : EIO;
        return -1;
    }
    return real->write(fd, buf, n);
}

static ssize_t w_writev(int fd, const struct iovec *iov, int cnt)
{
    if (mode == MODE_SHORT) {
        /* Part of the first buffer only: the caller must resume. */
        if (cnt > 0 && iov[0].iov_len > 1 && hit("writev", 0))
            return real->write(fd, iov[0].iov_base, iov[0].iov_len / 2);
        return real->writev(fd, iov, cnt);
    }
    if (SOFT("writev", EIO)) {
        errno = mode == MODE_EINTR ? EINTR : EIO;
        return -1;
    }
    return real->writev(fd, iov, cnt);
}

/* Linux frees the descriptor whatever close returns: so does this. */
static int w_close(int fd)
{
    if (HARD("close", EIO)) {
        real->close(fd);
        errno = EIO;
        return -1;
    }
    return real->close(fd);
}

static int w_open(const char *path, int flags, mode_t m)
{
    if (HARD("open", EMFILE)) {
        errno = EMFILE;
        return -1;
    }
    return real->open(path, flags, m);
}

static int w_mkdir(const char *path, mode_t m)
{
    if (HARD("mkdir", ENOSPC)) {
        errno = ENOSPC;
        return -1;
    }
    return real->mkdir(path, m);
}

static int w_fcntl(int fd, int cmd, long arg)
{
    if (HARD("fcntl", EMFILE)) {
        errno = EMFILE;
        return -1;
    }
    return real->fcntl(fd, cmd, arg);
}

static int w_memfd_create(const char *name, unsigned flags)
{
    if (HARD("memfd_create", EMFILE)) {
        errno = EMFILE;
        return -1;
    }
    return real->memfd_create(name, flags);
}

static int w_shm_open(const char *name, int flags, mode_t m)
{
    if (HARD("shm_open", EMFILE)) {
        errno = EMFILE;
        return -1;
    }
    return real->shm_open(name, flags, m);
}

static int w_ftruncate(int fd, off_t n)
{
    if (HARD("ftruncate", ENOSPC)) {
        errno = ENOSPC;
        return -1;
    }
    return real->ftruncate(fd, n);
}

static void *w_mmap(void *a, size_t n, int prot, int flags, int fd, off_t off)
{
    if (HARD("mmap", ENOMEM)) {
        errno = ENOMEM;
        return MAP_FAILED;
    }
    return real->mmap(a, n, prot, flags, fd, off);
}

static int w_poll(void *fds, unsigned long n, int timeout)
{
    if (SOFT("poll", ENOMEM)) {
        errno = mode == MODE_EINTR ? EINTR : ENOMEM;
        return -1;
    }
    return real->poll(fds, n, timeout);
}

/* nanosleep and futex waits only ever fail with EINTR. */
static int w_nanosleep(const void *req, void *rem)
{
    if (SOFT("nanosleep", EINTR)) {
        errno = EINTR;
        return -1;
    }
    return real->nanosleep(req, rem);
}

static int w_futex_wait(_Atomic uint32_t *addr, uint32_t v,
                        const struct timespec *rel)
{
    if (SOFT("futex_wait", EINTR)) {
        errno = EINTR;
        return -1;
    }
    return real->futex_wait(addr, v, rel);
}

static int w_pthread_create(pthread_t *t, const pthread_attr_t *a,
                            void *(*fn)(void *), void *arg)
{
    if (HARD("pthread_create", EAGAIN))
        return EAGAIN;
    return real->pthread_create(t, a, fn, arg);
}

static void install(void)
{
    mpr__sys.malloc = w_malloc;
    mpr__sys.calloc = w_calloc;
    mpr__sys.realloc = w_realloc;
    mpr__sys.fork = w_fork;
    mpr__sys.pipe2 = w_pipe2;
    mpr__sys.socketpair = w_socketpair;
    mpr__sys.socket = w_socket;
    mpr__sys.connect = w_connect;
    mpr__sys.bind = w_bind;
    mpr__sys.listen = w_listen;
    mpr__sys.accept4 = w_accept4;
    mpr__sys.sendmsg = w_sendmsg;
    mpr__sys.recvmsg = w_recvmsg;
    mpr__sys.read = w_read;
    mpr__sys.write = w_write;
    mpr__sys.writev = w_writev;
    mpr__sys.close = w_close;
    mpr__sys.open = w_open;
    mpr__sys.mkdir = w_mkdir;
    mpr__sys.fcntl = w_fcntl;
    mpr__sys.memfd_create = w_memfd_create;
    mpr__sys.shm_open = w_shm_open;
    mpr__sys.ftruncate = w_ftruncate;
    mpr__sys.mmap = w_mmap;
    mpr__sys.poll = w_poll;
    mpr__sys.nanosleep = w_nanosleep;
    mpr__sys.futex_wait = w_futex_wait;
    mpr__sys.pthread_create = w_pthread_create;
}

/* ---- one run ----------------------------------------------------------- */

typedef int (*op_fn)(void);

/* Child processes of this process (all threads), running or zombie. */
static int count_children(void)
{
    char path[300], buf[4096];
    struct dirent *de;
    DIR *d = opendir("/proc/self/task");
    int n = 0;

    if (d == NULL)
        return 0;
    while ((de = readdir(d)) != NULL) {
        FILE *f;
        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "/proc/self/task/%s/children", de->d_name);
        if ((f = fopen(path, "re")) == NULL)
            continue;
        if (fgets(buf, sizeof(buf), f) != NULL)
            for (char *p = strtok(buf, " \n"); p != NULL;
                 p = strtok(NULL, " \n"))
                n++;
        fclose(f);
    }
    closedir(d);
    return n;
}

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_LSAN 1
#endif
#endif
#ifdef HAVE_LSAN
int __lsan_do_recoverable_leak_check(void);
#endif

/* Exit codes of a run. */
enum {
    RUN_OK = 0,
    RUN_FD_LEAK = 20,
    RUN_CHILD_LEAK,
    RUN_MEM_LEAK,
    RUN_PREPARE,
    RUN_TMP_LEAK
};

/* Entries of /tmp named pymp-*: a Manager's socket folder. */
static int count_pymp(void)
{
    DIR *d = opendir("/tmp");
    struct dirent *de;
    int n = 0;

    if (d == NULL)
        return 0;
    while ((de = readdir(d)) != NULL)
        n += strncmp(de->d_name, "pymp-", 5) == 0;
    closedir(d);
    return n;
}

/* 1 when /tmp is a tmpfs of this test's own (see private_tmp_init). */
static int private_tmp;

/* Gives the test a /tmp of its own, as mprtest.c does for /dev/shm, so
 * that a Manager's pymp-* folder left behind is seen and nobody else's
 * is.  Needs root or a user namespace; otherwise the check is off. */
static void private_tmp_init(void)
{
    static int done;

    if (done++)
        return;
    private_tmp = unshare(CLONE_NEWNS) == 0 &&
                  mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
                  mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV,
                        "mode=1777,size=64m") == 0;
    if (!private_tmp)
        printf("# /tmp is shared: pymp-* folders are not checked\n");
}

/* Run with the real calls before each run (and not counted): what an
 * operation starts once per process, like the forkserver. */
static op_fn prepare;

/* With MPR_FAULT_TRACE, a crash prints where (addr2line offsets). */
static void on_crash(int sig)
{
    void *frames[32];
    int k = backtrace(frames, 32);
    char line[64];

    for (int j = 0; j < k; j++) {
        int n =
            snprintf(line, sizeof(line), "# crash %d: 0x%lx\n", sig,
                     (unsigned long)((char *)frames[j] - &__executable_start));
        if (write(2, line, (size_t)n) < 0)
            break;
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static int run_child(void *arg)
{
    op_fn op = (op_fn)(uintptr_t)arg;
    int fds, children, pymp, rc;

    if (getenv("MPR_FAULT_TRACE") != NULL)
        signal(SIGSEGV, on_crash);
    if (prepare != NULL && prepare() < 0)
        return RUN_PREPARE;
    fds = mprtest_count_fds();
    children = count_children();
    pymp = count_pymp();
    owner = sh->run_pid = getpid();
    owner_thread = pthread_self();
    atomic_store(&ncalls, 0);
    install();
    rc = op();
    mpr__sys = saved;
    sh->rc = rc;
    snprintf(sh->detail, sizeof(sh->detail), "%s",
             rc < 0 ? mpr_last_error_detail() : "");
    if (mprtest_count_fds() != fds) {
        printf("#   %d descriptors before, %d after (returned %d %s)\n", fds,
               mprtest_count_fds(), rc, mpr_err_name(rc));
        fflush(stdout);
        return RUN_FD_LEAK;
    }
    if (count_children() != children)
        return RUN_CHILD_LEAK;
    if (private_tmp && count_pymp() != pymp)
        return RUN_TMP_LEAK;
#ifdef HAVE_LSAN
    if (__lsan_do_recoverable_leak_check() != 0)
        return RUN_MEM_LEAK;
#endif
    return RUN_OK;
}

/* Runs op in a child that leads a process group of its own, so that a
 * run that hangs or leaves processes behind can be ended with all its
 * descendants (a killed Pool's workers would wait for work for ever). */
static int run_group(op_fn op)
{
    pid_t pid;
    int status;

    fflush(stdout);
    fflush(stderr);
    if ((pid = fork()) < 0)
        return MPRTEST_TIMEOUT;
    if (pid == 0) {
        setpgid(0, 0);
        mpr__child_exit(run_child((void *)(uintptr_t)op));
    }
    setpgid(pid, pid); /* whichever of the two runs first */
    status = mprtest_wait(pid, RUN_TIMEOUT);
    kill(-pid, SIGKILL);
    return status;
}

/* Is rc a clean outcome of the fault sh describes? */
static int clean(int rc, const int *also)
{
    if (rc >= 0)
        return 1;
    /* A fault in a child: the parent may see any error of its own
     * (EOFError, RemoteError, a reset connection...): it must only not
     * crash, hang or leak. */
    if (sh->fired && sh->fired_pid != sh->run_pid)
        return 1;
    if (rc == MPR__ERR(ENOMEM))
        return 1;
    if (sh->fired && rc == MPR__ERR(sh->fired_errno))
        return 1;
    for (; also != NULL && *also != 0; also++)
        if (rc == *also)
            return 1;
    return 0;
}

/* Runs op under mode, failing call i (0: none); 1 if the run was clean. */
static int run_once(const char *name, op_fn op, const int *also, int m, long i)
{
    int status;

    memset(sh, 0, sizeof(*sh));
    mode = m;
    fail_at = i;
    status = run_group(op);
    if (status == RUN_OK && clean(sh->rc, also))
        return 1;
    printf("# %s, %s at call %ld (%s, errno %d): ", name, mode_names[m], i,
           sh->fired ? sh->fired_call : "none fired", sh->fired_errno);
    switch (status) {
    case RUN_OK:
        printf("returned %d %s (%s: %s)\n", sh->rc, mpr_err_name(sh->rc),
               mpr_err_pytype(sh->rc), sh->detail);
        break;
    case RUN_FD_LEAK:
        printf("leaked descriptors\n");
        break;
    case RUN_CHILD_LEAK:
        printf("left a child process\n");
        break;
    case RUN_MEM_LEAK:
        printf("leaked memory (LeakSanitizer)\n");
        break;
    case RUN_TMP_LEAK:
        printf("left a /tmp/pymp-* folder\n");
        break;
    case RUN_PREPARE:
        printf("could not prepare\n");
        break;
    case MPRTEST_TIMEOUT:
        printf("hung (killed)\n");
        break;
    default:
        if (status < 0)
            printf("killed by signal %d\n", -status);
        else
            printf("exited %d\n", status);
    }
    fflush(stdout);
    return 0;
}

/* The loop: count, then fail each call in turn under each mode. */
static void inject(const char *name, op_fn op, const int *also)
{
    static const int modes[] = {MODE_FAIL, MODE_EINTR, MODE_SHORT};
    long before = points;
    int bad = 0;

    private_tmp_init();
    real = &saved;
    CU_ASSERT_FATAL(run_once(name, op, also, MODE_COUNT, 0));
    CU_ASSERT_FATAL(sh->rc == 0);
    operations++;
    /* MPR_FAULT_AT=MODE:I (fail:123) replays that one run, with
     * MPR_FAULT_TRACE=1 to see where the call came from. */
    if (getenv("MPR_FAULT_AT") != NULL) {
        char m[16];
        long i;
        if (sscanf(getenv("MPR_FAULT_AT"), "%15[a-z]:%ld", m, &i) == 2)
            for (int k = MODE_FAIL; k <= MODE_SHORT; k++)
                if (strcmp(m, mode_names[k]) == 0)
                    bad += !run_once(name, op, also, k, i);
        CU_ASSERT_EQUAL(bad, 0);
        return;
    }
    for (size_t k = 0; k < sizeof(modes) / sizeof(modes[0]); k++) {
        long n;
        /* How many calls this mode can touch (EINTR and short counts
         * apply to fewer of them). */
        run_once(name, op, also, modes[k], 0);
        n = children ? sh->all_calls : sh->calls;
        for (long i = 1; i <= n; i++) {
            if (!run_once(name, op, also, modes[k], i))
                bad++;
            if (sh->fired)
                points++;
        }
    }
    printf("# %s: %ld injection points, %d bad\n", name, points - before, bad);
    CU_ASSERT_EQUAL(bad, 0);
}

/* ---- operations -------------------------------------------------------- */

/* Keeps the first error. */
#define STEP(rc, call)                                                         \
    do {                                                                       \
        int r_ = (call);                                                       \
        if (r_ < 0 && (rc) == 0)                                               \
            (rc) = r_;                                                         \
    } while (0)

static int nomem(void)
{
    int e = mpr_last_error();
    return e < 0 ? e : MPR__ERR(ENOMEM);
}

/* {'a': [1, 2.5, 'xyz', b'bb', (None, True)], 'n': 123456789012} */
static mpr_obj_t *payload(void)
{
    mpr_obj_t *d = mpr_obj_dict();

    if (d == NULL)
        return NULL;
    if (mpr_obj_dict_set_steal(
            d, mpr_obj_str("a"),
            mpr_obj_list_of_steal(
                5, mpr_obj_int(1), mpr_obj_float(2.5), mpr_obj_str("xyz"),
                mpr_obj_bytes("bb", 2),
                mpr_obj_tuple_steal(2, mpr_obj_none(), mpr_obj_bool(1)))) < 0 ||
        mpr_obj_dict_set_steal(d, mpr_obj_str("n"), mpr_obj_int(123456789012)) <
            0) {
        mpr_obj_decref(d);
        return NULL;
    }
    return d;
}

static int op_pickle(void)
{
    mpr_obj_t *o = payload(), *back = NULL;
    char *buf = NULL;
    size_t len = 0;
    int rc = 0;

    if (o == NULL)
        return nomem();
    for (int proto = 3; proto <= 5 && rc == 0; proto++) {
        STEP(rc, mpr_pickle_dumps(o, proto, &buf, &len));
        if (rc == 0)
            STEP(rc, mpr_pickle_loads(buf, len, &back));
        if (rc == 0 && mpr_obj_eq(o, back) != 1)
            rc = MPR_EVALUE;
        mpr_free(buf);
        mpr_obj_decref(back);
        buf = NULL;
        back = NULL;
    }
    mpr_obj_decref(o);
    return rc;
}

static int pipe_round(int duplex)
{
    static char big[40000];
    mpr_conn_t *a = NULL, *b = NULL;
    mpr_obj_t *o = NULL, *back = NULL;
    char *bytes = NULL;
    size_t n = 0;
    int rc;

    if ((rc = mpr_pipe(&a, &b, duplex)) < 0)
        return rc;
    if ((o = payload()) == NULL)
        rc = nomem();
    if (rc == 0)
        STEP(rc, mpr_conn_send(b, o));
    if (rc == 0)
        STEP(rc, mpr_conn_recv(a, &back));
    if (rc == 0 && mpr_obj_eq(o, back) != 1)
        rc = MPR_EVALUE;
    memset(big, 'x', sizeof(big));
    if (rc == 0)
        STEP(rc, mpr_conn_send_bytes(b, big, sizeof(big), 0, MPR_SIZE_NONE));
    if (rc == 0)
        STEP(rc, mpr_conn_poll(a, 5.0));
    if (rc == 0)
        STEP(rc, mpr_conn_recv_bytes(a, MPR_SIZE_NONE, &bytes, &n));
    if (rc == 0 && (n != sizeof(big) || memcmp(bytes, big, n) != 0))
        rc = MPR_EVALUE;
    mpr_free(bytes);
    mpr_obj_decref(o);
    mpr_obj_decref(back);
    STEP(rc, mpr_conn_close(a));
    STEP(rc, mpr_conn_close(b));
    mpr_conn_free(a);
    mpr_conn_free(b);
    return rc;
}

static int op_pipe(void)
{
    int rc = pipe_round(1);

    STEP(rc, pipe_round(0));
    return rc;
}

/* What pickling for a process started later does: a Connection through
 * the descriptor sharer (its thread, socket, SCM_RIGHTS), a Lock through
 * its shared-memory token. */
static int op_reduce(void)
{
    mpr_conn_t *a = NULL, *b = NULL, *c = NULL;
    mpr_lock_t *l = NULL, *l2 = NULL;
    mpr_obj_t *tok = NULL, *o = mpr_obj_int(5), *back = NULL;
    int rc = o == NULL ? nomem() : 0, r;

    if (rc == 0)
        STEP(rc, mpr_pipe(&a, &b, 1));
    if (rc == 0)
        STEP(rc, mpr_conn_reduce(a, &tok));
    if (rc == 0)
        STEP(rc, mpr_conn_rebuild(&c, tok));
    mpr_obj_decref(tok);
    tok = NULL;
    if (rc == 0)
        STEP(rc, mpr_conn_send(b, o));
    if (rc == 0)
        STEP(rc, mpr_conn_recv(c, &back));
    if (rc == 0 && mpr_obj_eq(o, back) != 1)
        rc = MPR_EVALUE;
    if (rc == 0)
        STEP(rc, mpr_lock_new(&l));
    if (rc == 0)
        STEP(rc, mpr_semlock_reduce(l, &tok));
    if (rc == 0)
        STEP(rc, mpr_semlock_rebuild(&l2, tok));
    if (rc == 0 && (r = mpr_semlock_acquire(l2, 1, 1.0)) != 1)
        rc = r < 0 ? r : MPR_EVALUE;
    if (rc == 0 && (r = mpr_semlock_acquire(l, 0, 0.0)) != 0)
        rc = r < 0 ? r : MPR_EVALUE; /* the same lock, already taken */
    if (rc == 0)
        STEP(rc, mpr_semlock_release(l2));
    mpr_obj_decref(tok);
    mpr_obj_decref(o);
    mpr_obj_decref(back);
    mpr_semlock_free(l);
    mpr_semlock_free(l2);
    mpr_conn_free(a);
    mpr_conn_free(b);
    mpr_conn_free(c);
    mpr__conn_sharer_stop(); /* its thread and socket end with the run */
    return rc;
}

static int child_target(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)kwargs;
    /* As in Python, what a target returns is not the exit code. */
    return mpr_obj_int_value(mpr_obj_item(args, 0)) == 3 ? 0 : MPR_EVALUE;
}

static int process_round(const char *context)
{
    mpr_obj_t *args = mpr_obj_tuple_steal(1, mpr_obj_int(3));
    mpr_process_options_t o = {
        .target = child_target, .args = args, .context = context};
    mpr_process_t *p = NULL;
    int rc, code = 0;

    if (args == NULL)
        return nomem();
    rc = mpr_process_new(&p, &o);
    mpr_obj_decref(args);
    if (rc < 0)
        return rc;
    if ((rc = mpr_process_start(p)) == 0) {
        STEP(rc, mpr_process_join(p, 20.0));
        if (rc < 0) /* finally: p.join() */
            mpr_process_join(p, 20.0);
        STEP(rc, mpr_process_exitcode(p, &code));
        /* A fault may end the child with an exit code of its own (255:
         * the forkserver's status could not be read, as in CPython). */
        if (rc == 0 && code != 0 && !sh->fired)
            rc = MPR_EVALUE;
        STEP(rc, mpr_process_close(p));
    }
    mpr_process_free(p);
    return rc;
}

static int op_process_fork(void)
{
    return process_round("fork");
}
static int op_process_spawn(void)
{
    return process_round("spawn");
}
static int op_process_forkserver(void)
{
    return process_round("forkserver");
}

/* acquire, release, and a timed acquire that has to wait. */
static int semlock_round(mpr_semlock_t *s, int rlock)
{
    int rc = 0, r;

    if ((r = mpr_semlock_acquire(s, 1, MPR_TIMEOUT_NONE)) != 1)
        return r < 0 ? r : MPR_EVALUE;
    if (rlock && (r = mpr_semlock_acquire(s, 1, 0.01)) != 1)
        rc = r < 0 ? r : MPR_EVALUE;
    if (rlock && rc == 0)
        STEP(rc, mpr_semlock_release(s));
    STEP(rc, mpr_semlock_release(s));
    return rc;
}

static int op_locks(void)
{
    mpr_lock_t *l = NULL;
    mpr_rlock_t *r = NULL;
    mpr_sem_t *s = NULL;
    mpr_bsem_t *b = NULL;
    char *repr = NULL;
    int rc = 0, got;

    STEP(rc, mpr_lock_new(&l));
    if (rc == 0)
        STEP(rc, semlock_round(l, 0));
    STEP(rc, mpr_rlock_new(&r));
    if (rc == 0)
        STEP(rc, semlock_round(r, 1));
    if (rc == 0)
        STEP(rc, mpr_semlock_repr(r, &repr, NULL));
    mpr_free(repr);
    STEP(rc, mpr_sem_new(&s, 1));
    if (rc == 0)
        STEP(rc, semlock_round(s, 0));
    /* Blocks until its timeout: the futex wait path. */
    if (rc == 0 && (got = mpr_semlock_acquire(s, 1, 0.5)) == 1) {
        if ((got = mpr_semlock_acquire(s, 1, 0.02)) != 0)
            rc = got < 0 ? got : MPR_EVALUE;
        STEP(rc, mpr_semlock_release(s));
    }
    STEP(rc, mpr_bsem_new(&b, 1));
    if (rc == 0)
        STEP(rc, semlock_round(b, 0));
    mpr_semlock_free(l);
    mpr_semlock_free(r);
    mpr_semlock_free(s);
    mpr_semlock_free(b);
    return rc;
}

static int op_condition(void)
{
    mpr_cond_t *c = NULL;
    int rc, r;

    if ((rc = mpr_cond_new(&c, NULL)) < 0)
        return rc;
    if ((r = mpr_cond_acquire(c, 1, MPR_TIMEOUT_NONE)) != 1) {
        mpr_cond_free(c);
        return r < 0 ? r : MPR_EVALUE;
    }
    STEP(rc, mpr_cond_notify(c, 1));
    if ((r = mpr_cond_wait(c, 0.02)) < 0)
        STEP(rc, r);
    STEP(rc, mpr_cond_notify_all(c));
    STEP(rc, mpr_cond_release(c));
    mpr_cond_free(c);
    return rc;
}

static int op_event(void)
{
    mpr_event_t *e = NULL;
    int rc, r;

    if ((rc = mpr_event_new(&e)) < 0)
        return rc;
    if ((r = mpr_event_wait(e, 0.02)) != 0)
        STEP(rc, r < 0 ? r : MPR_EVALUE);
    STEP(rc, mpr_event_set(e));
    if (rc == 0 && (r = mpr_event_wait(e, 1.0)) != 1)
        STEP(rc, r < 0 ? r : MPR_EVALUE);
    STEP(rc, mpr_event_clear(e));
    if (rc == 0 && mpr_event_is_set(e) != 0)
        rc = MPR_EVALUE;
    mpr_event_free(e);
    return rc;
}

static int op_barrier(void)
{
    mpr_barrier_t *one = NULL, *two = NULL;
    int rc = 0, r;

    STEP(rc, mpr_barrier_new(&one, 1, NULL));
    if (rc == 0 && (r = mpr_barrier_wait(one, 1.0)) != 0)
        STEP(rc, r < 0 ? r : MPR_EVALUE);
    STEP(rc, mpr_barrier_new(&two, 2, NULL));
    /* Alone at a barrier for two: times out and breaks it. */
    if (rc == 0 && (r = mpr_barrier_wait(two, 0.02)) != MPR_EBROKENBARRIER)
        STEP(rc, r < 0 ? r : MPR_EVALUE);
    if (rc == 0)
        STEP(rc, mpr_barrier_reset(two));
    mpr_barrier_free(one);
    mpr_barrier_free(two);
    return rc;
}

static int op_sharedctypes(void)
{
    mpr_value_t *v = NULL;
    mpr_array_t *a = NULL, *c = NULL;
    mpr_obj_t *init = mpr_obj_int(7), *n = mpr_obj_int(10), *got = NULL;
    mpr_obj_t *s = mpr_obj_bytes("hello", 5);
    int64_t x = 0;
    char *repr = NULL;
    int rc = 0;

    if (init == NULL || n == NULL || s == NULL)
        rc = nomem();
    if (rc == 0)
        STEP(rc, mpr_value_new(&v, "i", init, NULL));
    if (rc == 0)
        STEP(rc, mpr_value_set_int64(v, 42));
    if (rc == 0)
        STEP(rc, mpr_value_get_int64(v, &x));
    if (rc == 0 && x != 42)
        rc = MPR_EVALUE;
    if (rc == 0)
        STEP(rc, mpr_value_repr(v, &repr, NULL));
    mpr_free(repr);
    repr = NULL;
    if (rc == 0)
        STEP(rc, mpr_array_new(&a, "d", n, NULL));
    if (rc == 0)
        STEP(rc, mpr_array_set_double(a, 3, 1.5));
    if (rc == 0)
        STEP(rc, mpr_array_get_slice(a, 0, MPR_SLICE_NONE, 2, &got));
    mpr_obj_decref(got);
    got = NULL;
    if (rc == 0)
        STEP(rc, mpr_array_new(&c, "c", n, NULL));
    if (rc == 0)
        STEP(rc, mpr_array_set_value(c, s));
    if (rc == 0)
        STEP(rc, mpr_array_get_value(c, &got));
    if (rc == 0)
        STEP(rc, mpr_array_repr(c, &repr, NULL));
    mpr_free(repr);
    mpr_obj_decref(got);
    mpr_value_free(v);
    mpr_array_free(a);
    mpr_array_free(c);
    mpr_obj_decref(init);
    mpr_obj_decref(n);
    mpr_obj_decref(s);
    return rc;
}

/* The feeder writes the big item to the pipe in one write: a message whose
 * header went out and whose body failed would leave the pipe mid-message,
 * and get() would wait for the rest for ever -- as CPython's does.  One
 * that fails whole leaves its marker in the ring: the timed get waits for
 * the pipe until its deadline, and is Empty. */
static int op_queue(void)
{
    static char big[20000];
    mpr_queue_t *q = NULL;
    mpr_obj_t *o = payload(), *b = NULL, *got = NULL;
    int rc;

    if (o == NULL)
        return nomem();
    memset(big, 'q', sizeof(big));
    if ((b = mpr_obj_bytes(big, sizeof(big))) == NULL) {
        mpr_obj_decref(o);
        return nomem();
    }
    if ((rc = mpr_queue_new(&q, 0)) < 0)
        goto out;
    STEP(rc, mpr_queue_put(q, o, 1, MPR_TIMEOUT_NONE));
    if (rc == 0)
        STEP(rc, mpr_queue_get(q, &got, 1, 1.0));
    if (rc == 0 && mpr_obj_eq(o, got) != 1)
        rc = MPR_EVALUE;
    mpr_obj_decref(got);
    got = NULL;
    /* Longer than a ring frame may be: through the feeder thread and the
     * pipe. */
    if (rc == 0)
        STEP(rc, mpr_queue_put(q, b, 1, MPR_TIMEOUT_NONE));
    if (rc == 0)
        STEP(rc, mpr_queue_get(q, &got, 1, 1.0));
    if (rc == 0 && mpr_obj_eq(b, got) != 1)
        rc = MPR_EVALUE;
    mpr_obj_decref(got);
    STEP(rc, mpr_queue_close(q));
    STEP(rc, mpr_queue_join_thread(q));
    mpr_queue_free(q);
out:
    mpr_obj_decref(o);
    mpr_obj_decref(b);
    return rc;
}

/* The SimpleQueue peer of op_squeue (a forked child, whose calls are the
 * real ones): reads every item, then answers with their total length
 * and the long item. */
#define SQ_ITEMS 24
#define SQ_ITEM  4096
#define SQ_BIG   20000

static int squeue_peer(mpr_squeue_t *in, mpr_squeue_t *out, mpr_obj_t *big)
{
    int64_t total = 0;
    mpr_obj_t *o;

    for (int i = 0; i <= SQ_ITEMS; i++) {
        if (mpr_squeue_get(in, &o) < 0)
            return 1;
        total += (int64_t)mpr_obj_len(o);
        mpr_obj_decref(o);
    }
    if ((o = mpr_obj_int(total)) == NULL || mpr_squeue_put(out, o) < 0 ||
        mpr_squeue_put(out, big) < 0)
        return 1;
    return 0;
}

/* SimpleQueue over its ring, both ways with a forked peer: 24 items of 4
 * KiB put at once (more than the 64 KiB ring holds: the writer waits for
 * room while the peer reads), one of 20000 bytes (longer than a frame
 * may be: through the pipe, after its marker), then the peer's two
 * answers read back (the reader waits for frames, then reads the pipe).
 * Every futex wait may be interrupted and must be resumed; a put or get
 * that fails ends the run with its error, and the peer is killed. */
static int op_squeue(void)
{
    static char blk[SQ_BIG];
    mpr_squeue_t *to = NULL, *from = NULL;
    mpr_obj_t *item = NULL, *big = NULL, *got = NULL;
    int rc = 0, status;
    pid_t pid;

    memset(blk, 's', sizeof(blk));
    if ((item = mpr_obj_bytes(blk, SQ_ITEM)) == NULL ||
        (big = mpr_obj_bytes(blk, SQ_BIG)) == NULL) {
        rc = nomem();
        goto out;
    }
    if ((rc = mpr_squeue_new(&to)) < 0 || (rc = mpr_squeue_new(&from)) < 0)
        goto out;
    fflush(NULL);
    if ((pid = fork()) < 0) {
        rc = MPR__ERR(errno);
        goto out;
    }
    if (pid == 0)
        _exit(squeue_peer(to, from, big));
    for (int i = 0; i < SQ_ITEMS && rc == 0; i++)
        STEP(rc, mpr_squeue_put(to, item));
    if (rc == 0)
        STEP(rc, mpr_squeue_put(to, big));
    if (rc == 0)
        STEP(rc, mpr_squeue_get(from, &got));
    if (rc == 0 && mpr_obj_int_value(got) != SQ_ITEMS * SQ_ITEM + SQ_BIG)
        rc = MPR_EVALUE;
    mpr_obj_decref(got);
    got = NULL;
    if (rc == 0)
        STEP(rc, mpr_squeue_get(from, &got));
    if (rc == 0 && mpr_obj_eq(got, big) != 1)
        rc = MPR_EVALUE;
    if (rc != 0)
        kill(pid, SIGKILL);
    if (waitpid(pid, &status, 0) != pid ||
        (rc == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)))
        rc = rc != 0 ? rc : MPR_EVALUE;
out:
    mpr_squeue_free(to);
    mpr_squeue_free(from);
    mpr_obj_decref(item);
    mpr_obj_decref(big);
    mpr_obj_decref(got);
    return rc;
}

static int sq(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    int64_t x = mpr_obj_int_value(mpr_obj_item(args, 0));

    (void)kwargs;
    *result = mpr_obj_int(x * x);
    return *result == NULL ? MPR__ERR(ENOMEM) : 0;
}
MPR_TARGET(sq)

static int op_pool(void)
{
    mpr_pool_options_t o = {.processes = 2};
    mpr_pool_t *p = NULL;
    mpr_obj_t *in = mpr_obj_list_of_steal(4, mpr_obj_int(1), mpr_obj_int(2),
                                          mpr_obj_int(3), mpr_obj_int(4));
    mpr_obj_t *out = NULL;
    int rc;

    if (in == NULL)
        return nomem();
    if ((rc = mpr_pool_new(&p, &o)) < 0) {
        mpr_obj_decref(in);
        return rc;
    }
    STEP(rc, mpr_pool_map(p, sq, in, 1, &out));
    if (rc == 0 && (mpr_obj_len(out) != 4 ||
                    mpr_obj_int_value(mpr_obj_item(out, 3)) != 16))
        rc = MPR_EVALUE;
    mpr_obj_decref(out);
    out = NULL;
    if (rc == 0) { /* apply(sq, (5,)) */
        mpr_obj_t *a = mpr_obj_tuple_steal(1, mpr_obj_int(5));
        rc = a == NULL ? nomem() : mpr_pool_apply(p, sq, a, NULL, &out);
        if (rc == 0 && mpr_obj_int_value(out) != 25)
            rc = MPR_EVALUE;
        mpr_obj_decref(a);
        mpr_obj_decref(out);
    }
    if (rc == 0) { /* for x in imap_unordered(sq, in, 2) */
        mpr_imap_t *it = NULL;
        int64_t sum = 0;
        int r;
        rc = mpr_pool_imap_unordered(p, sq, in, 2, &it);
        while (rc == 0 && (r = mpr_imap_next(it, 10.0, &out)) != 0) {
            if (r < 0)
                rc = r;
            else
                sum += mpr_obj_int_value(out), mpr_obj_decref(out);
        }
        if (rc == 0 && sum != 30)
            rc = MPR_EVALUE;
        mpr_imap_free(it);
    }
    STEP(rc, mpr_pool_close(p));
    STEP(rc, mpr_pool_join(p));
    mpr_pool_free(p);
    mpr_obj_decref(in);
    return rc;
}

static int op_manager(void)
{
    mpr_manager_t *m = NULL;
    mpr_proxy_t *d = NULL;
    mpr_obj_t *k = mpr_obj_str("k"), *v = payload(), *got = NULL;
    int rc = 0;

    if (k == NULL || v == NULL)
        rc = nomem();
    if (rc == 0)
        STEP(rc, mpr_manager_new(&m, NULL));
    if (rc == 0)
        STEP(rc, mpr_manager_start(m));
    if (rc == 0)
        STEP(rc, mpr_manager_dict(m, NULL, &d));
    if (rc == 0)
        STEP(rc, mpr_proxy_setitem(d, k, v));
    if (rc == 0)
        STEP(rc, mpr_proxy_getitem(d, k, &got));
    if (rc == 0 && mpr_obj_eq(v, got) != 1)
        rc = MPR_EVALUE;
    mpr_obj_decref(got);
    mpr_proxy_free(d);
    if (m != NULL)
        STEP(rc, mpr_manager_shutdown(m));
    mpr_manager_free(m);
    mpr_obj_decref(k);
    mpr_obj_decref(v);
    return rc;
}

/* ---- tests --------------------------------------------------------------- */

/* Errors an operation may also end with besides MemoryError and the
 * errno injected (0-terminated). */
static const int none[] = {0};
/* The feeder thread reports an item it could not send and drops it, as
 * CPython's does: get then finds nothing. */
static const int queue_also[] = {MPR_EEMPTY, 0};
/* The sharer's thread that cannot answer closes the connection: the
 * client reads EOF (EOFError, as from CPython's recvfds), or a reset when
 * the key it sent was left unread, or cannot even send its key. */
static const int reduce_also[] = {MPR_EEOF, MPR__ERR(ECONNRESET),
                                  MPR__ERR(EPIPE), 0};

#define FAULT_TEST(name, also)                                                 \
    static void test_faults_##name(void)                                       \
    {                                                                          \
        inject(#name, op_##name, also);                                        \
    }

/* Only the calls of the thread that uses the pool fail: a fault in one of
 * its handler threads ends that thread and map() waits for ever, as in
 * CPython (whose result handler returns on OSError, and whose threads
 * die of a MemoryError). */
static void test_faults_pool(void)
{
    threads = THREADS_MAIN;
    inject("pool", op_pool, none);
    threads = THREADS_ALL;
}

/* The descriptor sharer's thread answers the main thread's requests while
 * it makes them: numbered together, which call is the i-th would depend on
 * scheduling, and so would what the test reaches (the coverage figures
 * differed from run to run in the sharer's accept-failure path).  Each
 * side's calls are numbered alone instead, the main thread's, then the
 * sharer's. */
static void test_faults_reduce(void)
{
    threads = THREADS_MAIN;
    inject("reduce", op_reduce, reduce_also);
    threads = THREADS_BACKGROUND;
    inject("reduce (the sharer's thread)", op_reduce, reduce_also);
    threads = THREADS_ALL;
}

/* The same, with the calls of the processes the operation forks counting
 * and failing too: a Process child, the Manager's server. */
static void test_faults_children(void)
{
    children = 1;
    inject("process_fork+children", op_process_fork, none);
    inject("manager+children", op_manager, none);
    children = 0;
}

/* The forkserver is started once, then serves every run's process. */
static void test_faults_process_forkserver(void)
{
    prepare = op_process_forkserver;
    inject("process_forkserver", op_process_forkserver, none);
    prepare = NULL;
}

FAULT_TEST(pickle, none)
FAULT_TEST(pipe, none)
FAULT_TEST(process_fork, none)
FAULT_TEST(process_spawn, none)
FAULT_TEST(locks, none)
FAULT_TEST(condition, none)
FAULT_TEST(event, none)
FAULT_TEST(barrier, none)
FAULT_TEST(sharedctypes, none)
/* JoinableQueue: put, get, task_done, join (its Condition and counting
 * Semaphore on top of the Queue's). */
static int op_jqueue(void)
{
    mpr_jqueue_t *q = NULL;
    mpr_obj_t *o = mpr_obj_int(9), *got = NULL;
    int rc = o == NULL ? nomem() : 0;

    if (rc == 0)
        STEP(rc, mpr_jqueue_new(&q, 4));
    if (rc == 0)
        STEP(rc, mpr_queue_put(q, o, 1, MPR_TIMEOUT_NONE));
    if (rc == 0)
        STEP(rc, mpr_queue_get(q, &got, 1, 1.0));
    if (rc == 0)
        STEP(rc, mpr_jqueue_task_done(q));
    if (rc == 0)
        STEP(rc, mpr_jqueue_join(q));
    if (q != NULL) {
        STEP(rc, mpr_queue_close(q));
        STEP(rc, mpr_queue_join_thread(q));
    }
    mpr_queue_free(q);
    mpr_obj_decref(o);
    mpr_obj_decref(got);
    return rc;
}

FAULT_TEST(queue, queue_also)
FAULT_TEST(squeue, none)
FAULT_TEST(jqueue, queue_also)
FAULT_TEST(manager, none)

static void test_faults_total(void)
{
    printf("# fault injection: %ld points over %ld operations\n", points,
           operations);
    CU_ASSERT(points > 0);
}

/* Spawn and forkserver children re-enter this program. */
__attribute__((constructor)) static void enter(int argc, char **argv)
{
    mpr_target_register("child_target", (void (*)(void))child_target);
    mpr_main(argc, argv);
}

int mprtest_register(CU_pSuite suite)
{
    sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
              MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sh == MAP_FAILED)
        return 1;
    saved = mpr__sys;
    MPRTEST_ADD(suite, test_faults_pickle, "pickle dumps+loads");
    MPRTEST_ADD(suite, test_faults_pipe, "Pipe create/send/recv/close");
    MPRTEST_ADD(suite, test_faults_process_fork, "Process start+join (fork)");
    MPRTEST_ADD(suite, test_faults_process_spawn, "Process start+join (spawn)");
    MPRTEST_ADD(suite, test_faults_process_forkserver,
                "Process start+join (forkserver)");
    MPRTEST_ADD(suite, test_faults_locks,
                "Lock/RLock/Semaphore/BoundedSemaphore create and use");
    MPRTEST_ADD(suite, test_faults_condition, "Condition create and use");
    MPRTEST_ADD(suite, test_faults_event, "Event create and use");
    MPRTEST_ADD(suite, test_faults_barrier, "Barrier create and use");
    MPRTEST_ADD(suite, test_faults_sharedctypes,
                "Value/Array create and get/set");
    MPRTEST_ADD(suite, test_faults_queue, "Queue create/put/get/close");
    MPRTEST_ADD(suite, test_faults_squeue,
                "SimpleQueue over its ring: full ring, long item through the "
                "pipe, waits for frames (forked peer)");
    MPRTEST_ADD(suite, test_faults_jqueue,
                "JoinableQueue put/get/task_done/join");
    MPRTEST_ADD(suite, test_faults_reduce,
                "Connection and Lock reduce/rebuild (descriptor sharer)");
    MPRTEST_ADD(suite, test_faults_pool, "Pool create/map/close/join");
    MPRTEST_ADD(suite, test_faults_manager,
                "Manager start/dict set/get/shutdown");
    MPRTEST_ADD(suite, test_faults_children,
                "Process (fork) and Manager with faults in their children");
    MPRTEST_ADD(suite, test_faults_total, "injection points counted");
    return 0;
}
