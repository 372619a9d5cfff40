/*
 * test_exec_faults.c - fault injection into the supervisor through its
 * system-call table (exec.h's mpc_exec_sys; libmpref's test-faults.c does
 * the same for mpr__sys).
 *
 * One run (a shell that prints a line on each stream and exits 3) is first
 * counted: N calls through the table.  Then for i = 1..N the i-th call
 * fails (a plausible errno for it), and again with EINTR for the calls
 * that can be interrupted.  Each run must end with the right result or a
 * clean error (start_error set, -1), no crash, no hang, and nothing left:
 * no descriptor, no child (not even a zombie), no process of the command.
 * Each run is a forked child of the test, so that a crash or a hang is
 * that run's alone; the processes the supervisor starts make real calls
 * (only the calls of the test's child count and fail).  Twice: with the
 * PID namespaces the runner uses as root, and without.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "exec.h"

enum { MODE_FAIL, MODE_EINTR };

static mpc_exec_sys_t real;
static pid_t owner;
static int mode;
static long fail_at, ncalls;
static char fired[32];
static long *shared_calls; /* a MAP_SHARED word: the calls a run made */

/* 1 if this call (what) is the one to fail: errno is then set. */
static int hit(const char *what, int e, int interruptible)
{
    if (getpid() != owner || (mode == MODE_EINTR && !interruptible))
        return 0;
    if (++ncalls != fail_at)
        return 0;
    snprintf(fired, sizeof fired, "%s", what);
    errno = mode == MODE_EINTR ? EINTR : e;
    return 1;
}

static int w_open(const char *path, int flags, mode_t mode_)
{
    return hit("open", EMFILE, 0) ? -1 : real.open(path, flags, mode_);
}

static int w_close(int fd)
{
    /* Linux releases the descriptor even when close fails */
    int r = real.close(fd);
    if (hit("close", EIO, 1))
        return -1;
    return r;
}

static int w_pipe2(int fds[2], int flags)
{
    return hit("pipe2", EMFILE, 0) ? -1 : real.pipe2(fds, flags);
}

static ssize_t w_read(int fd, void *buf, size_t n)
{
    return hit("read", EIO, 1) ? -1 : real.read(fd, buf, n);
}

static ssize_t w_write(int fd, const void *buf, size_t n)
{
    return hit("write", EIO, 1) ? -1 : real.write(fd, buf, n);
}

static int w_poll(struct pollfd *fds, nfds_t n, int timeout)
{
    return hit("poll", ENOMEM, 1) ? -1 : real.poll(fds, n, timeout);
}

static int w_fcntl(int fd, int cmd, long arg)
{
    return hit("fcntl", EBADF, 0) ? -1 : real.fcntl(fd, cmd, arg);
}

static pid_t w_fork(void)
{
    return hit("fork", EAGAIN, 0) ? -1 : real.fork();
}

static pid_t w_clone(unsigned long flags)
{
    return hit("clone", EAGAIN, 0) ? -1 : real.clone(flags);
}

static pid_t w_waitpid(pid_t pid, int *status, int options)
{
    return hit("waitpid", ECHILD, 1) ? -1 : real.waitpid(pid, status, options);
}

static int w_kill(pid_t pid, int sig)
{
    return hit("kill", EPERM, 0) ? -1 : real.kill(pid, sig);
}

static int w_pidfd_open(pid_t pid, unsigned int flags)
{
    return hit("pidfd_open", ENOSYS, 0) ? -1 : real.pidfd_open(pid, flags);
}

static int w_stat(const char *path, struct stat *st)
{
    return hit("stat", EACCES, 0) ? -1 : real.stat(path, st);
}

static int w_fstatvfs(int fd, struct statvfs *st)
{
    return hit("fstatvfs", EIO, 0) ? -1 : real.fstatvfs(fd, st);
}

static DIR *w_fdopendir(int fd)
{
    return hit("fdopendir", ENOMEM, 0) ? NULL : real.fdopendir(fd);
}

static void install(void)
{
    mpc_exec_sys = (mpc_exec_sys_t){
        .open = w_open,
        .close = w_close,
        .pipe2 = w_pipe2,
        .read = w_read,
        .write = w_write,
        .poll = w_poll,
        .fcntl = w_fcntl,
        .fork = w_fork,
        .clone = w_clone,
        .waitpid = w_waitpid,
        .kill = w_kill,
        .pidfd_open = w_pidfd_open,
        .stat = w_stat,
        .fstatvfs = w_fstatvfs,
        .fdopendir = w_fdopendir,
    };
}

static int count_fds(void)
{
    int n = 0;
    DIR *d = opendir("/proc/self/fd");
    while (d && readdir(d))
        n++;
    if (d)
        closedir(d);
    return n;
}

/* Is a process running with the argument arg (zombies too)? */
static int running_arg(const char *arg)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    int found = 0;
    while (d && !found && (e = readdir(d)) != NULL) {
        char path[300], buf[4096];
        snprintf(path, sizeof path, "/proc/%.32s/cmdline", e->d_name);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        ssize_t n = read(fd, buf, sizeof buf - 1);
        close(fd);
        for (ssize_t i = 0; i < n && !found; i += (ssize_t)strlen(buf + i) + 1)
            found = strcmp(buf + i, arg) == 0;
    }
    if (d)
        closedir(d);
    return found;
}

/* The command's marker argument, unique to this test process: the same
 * test of another build tree may run at the same time, and its commands
 * are not our leftovers. */
static char marker[64];

/* The child's side of one run; its exit status says what went wrong (0:
 * nothing); the calls it made in *shared_calls. */
static int one_run(int isolate)
{
    char *argv[] = {"sh", "-c", "echo out; echo err >&2; exit 3", marker, NULL};
    char *envp[] = {"PATH=/usr/bin:/bin", NULL};
    mpc_exec_opts_t o = {.argv = argv,
                         .envp = envp,
                         .timeout = 20,
                         .grace = 0.05,
                         .isolate_shm = isolate,
                         .check_leaks = 1};
    mpc_exec_result_t r;
    mpc_exec_init();
    owner = getpid();
    int fds = count_fds();
    install();
    int rc = mpc_exec_run(&o, &r);
    mpc_exec_sys = real;
    /* without a private /dev/shm, other programs' entries made meanwhile
     * are in the diff (marked so): the command makes none */
    size_t leaks = 0;
    for (size_t i = 0; i < r.leaks.n; i++)
        leaks += strstr(r.leaks.v[i], "(shared /dev/shm") == NULL;
    int bad = 0;
    if (rc == 0 && (r.exit_status != 3 || strcmp(r.out.s, "out\n") != 0 ||
                    strcmp(r.err.s, "err\n") != 0 || r.timed_out ||
                    leaks != 0 || r.start_error))
        bad = 10; /* a wrong result without an error */
    else if (rc != 0 && rc != -1)
        bad = 11;
    else if (rc == -1 && !r.start_error)
        bad = 12; /* an error that does not say why */
    else if (count_fds() != fds)
        bad = 13;
    else if (waitpid(-1, NULL, WNOHANG) != -1 || errno != ECHILD)
        bad = 14; /* a child, or a zombie, left */
    else if (running_arg(marker))
        bad = 15;
    if (bad)
        fprintf(stderr,
                "# call %ld (%s, %s) failed: rc %d, status %d, error %s, "
                "out '%s', leaks '%s': check %d\n",
                fail_at, fired, mode == MODE_EINTR ? "EINTR" : "error", rc,
                r.exit_status, r.start_error ? r.start_error : "-", r.out.s,
                r.leaks.n ? r.leaks.v[0] : "", bad);
    mpc_exec_result_free(&r);
    *shared_calls = ncalls;
    return bad;
}

/* Run one_run in a child with the fault at call i; its exit status, or
 * -1 for a crash or a hang. */
static int run_child(int isolate, long i)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        alarm(60); /* a hang ends as SIGALRM */
        fail_at = i;
        _exit(one_run(isolate));
    }
    int st;
    if (pid < 0 || waitpid(pid, &st, 0) != pid)
        return -1;
    if (WIFSIGNALED(st))
        fprintf(stderr, "# call %ld: the run died of signal %d\n", i,
                WTERMSIG(st));
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/*
 * Most calls of a run read /proc (the escapee scan reads every process's
 * stat: three calls each), the same few lines again and again.  So every
 * call fails in turn among the first HEAD and the last TAIL of a run
 * (set-up, supervision, the end of the cleanup), and one in STRIDE in
 * between.
 */
#define HEAD   160
#define TAIL   60
#define STRIDE 13

static void sweep(int isolate)
{
    for (mode = MODE_FAIL; mode <= MODE_EINTR; mode++) {
        int rc = run_child(isolate, 0);
        long n = *shared_calls;
        CU_ASSERT_EQUAL_FATAL(rc, 0);
        CU_ASSERT_FATAL(n > 0);
        int bad = 0, points = 0;
        /* a few past the count: poll loops vary from run to run */
        for (long i = 1; i <= n + 5; i++) {
            if (i > HEAD && i < n - TAIL && i % STRIDE)
                continue;
            bad += run_child(isolate, i) != 0;
            points++;
        }
        CU_ASSERT_EQUAL(bad, 0);
        printf("(%ld calls, %d failed in turn, %s) ", n, points,
               mode == MODE_EINTR ? "EINTR" : "errors");
    }
}

static void test_with_namespaces(void)
{
    if (mpc_exec_no_namespace())
        printf("(no namespace here: %s) ", mpc_exec_no_namespace());
    sweep(1);
}

static void test_without_namespaces(void)
{
    sweep(0);
}

int main(void)
{
    snprintf(marker, sizeof marker, "mpc-exec-fault-run-%ld", (long)getpid());
    mpc_exec_init(); /* the namespace probe, before any fault */
    real = mpc_exec_sys;
    shared_calls = mmap(NULL, sizeof *shared_calls, PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared_calls == MAP_FAILED)
        return 1;
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    CU_pSuite s = CU_add_suite("exec faults", NULL, NULL);
    CU_add_test(s, "each call failing in turn, with namespaces",
                test_with_namespaces);
    CU_add_test(s, "each call failing in turn, without",
                test_without_namespaces);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned bad =
        CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    unsigned n = CU_get_number_of_tests_run();
    CU_cleanup_registry();
    return bad || !n;
}
