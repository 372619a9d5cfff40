/*
 * exec.c - the process supervisor (see exec.h).
 *
 * One run, split as libuv's uv_spawn (src/unix/process.c):
 *
 *   run_open()     the pipes and /dev/null, all in one run_t
 *   run_spawn()    clone into new PID, mount and network namespaces, or
 *                  fork; the child's side is ns_init() and child_exec()
 *   run_start()    the child's set-up byte, the go byte, exec errors
 *   supervise()    the output, the main process's end, the timeout, the
 *                  grace period
 *   run_finish()   leftover processes, escapees, the rest of the output,
 *                  /dev/shm
 *   run_close()    one cleanup for every path
 *
 * With a PID namespace the runner's child is the namespace's init
 * (ns_init, PID 1, a session of its own): it starts the main process (PID
 * 2, a process group of its own), reaps every orphan, and reports the main
 * process's wait status on a pipe.  Nothing leaves a PID namespace:
 * killing its init kills every process in it, however they fork, change
 * group or session; leftovers are the namespace's members.  The main
 * process is not PID 1 itself because PID 1 ignores every signal it has no
 * handler for (a case's os.kill(os.getpid(), SIGTERM) would do nothing).
 *
 * Without one the runner's child is the main process, in a session of its
 * own: no process of the case can join the runner's process group (that
 * needs the same session).  Processes that leave the case's group come back
 * to the runner (a child subreaper) when their parent dies, and
 * reap_escapees() finds them among its children.
 *
 * The PID namespace comes with a network namespace of its own, its
 * loopback brought up by the init: what a case binds (a TCP port on
 * localhost, an abstract AF_UNIX name) is its own.  Cases run in parallel,
 * and in PID namespaces their pids repeat: CPython 3.9.2 names a
 * Listener's socket "\0listener-PID-N" in the abstract namespace, which is
 * per network namespace, so two cases' main processes (both PID 2) would
 * otherwise bind the same name and one fail with EADDRINUSE.
 *
 * With a root (a Debian release's tree: the profile field root:) the
 * runner's child also enters it before the main process starts (root_enter,
 * in the init or in the main process): a tmpfs on ROOT/mnt holds the upper
 * layer of an overlay of ROOT, so the case's writes (its /tmp, caches)
 * vanish with the run and ROOT is never changed, nor needs a mount point
 * made in it; /proc and /dev (the private /dev/shm included) and the
 * project's folders are bound at their own paths, then chroot.  Everything
 * else (namespaces, groups, the status pipe, the /dev/shm checks through
 * /proc/PID/root) is as without one.
 */
#include "exec.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------ system calls */

static int sys_open(const char *path, int flags, mode_t mode)
{
    return open(path, flags, mode);
}

static int sys_fcntl(int fd, int cmd, long arg)
{
    return fcntl(fd, cmd, arg);
}

/* clone(2) without a new stack: returns twice, as fork.  Only the calling
 * thread is copied and glibc's fork handlers do not run, so the child
 * makes system calls only (as any child of a threaded fork) and creates
 * its own children with raw_fork(). */
static pid_t sys_clone(unsigned long flags)
{
    return (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
}

static int sys_pidfd_open(pid_t pid, unsigned int flags)
{
    return (int)syscall(SYS_pidfd_open, pid, flags);
}

/* clang-format off */
#define REAL_SYSCALLS                                                          \
    {                                                                          \
        .open = sys_open,                                                      \
        .close = close,                                                        \
        .pipe2 = pipe2,                                                        \
        .read = read,                                                          \
        .write = write,                                                        \
        .poll = poll,                                                          \
        .fcntl = sys_fcntl,                                                    \
        .fork = fork,                                                          \
        .clone = sys_clone,                                                    \
        .waitpid = waitpid,                                                    \
        .kill = kill,                                                          \
        .pidfd_open = sys_pidfd_open,                                          \
        .stat = stat,                                                          \
        .fstatvfs = fstatvfs,                                                  \
        .fdopendir = fdopendir,                                                \
    }
/* clang-format on */

mpc_exec_sys_t mpc_exec_sys = REAL_SYSCALLS;

void mpc_exec_sys_reset(void)
{
    mpc_exec_sys_t real = REAL_SYSCALLS;
    mpc_exec_sys = real;
}

#define SYS mpc_exec_sys

/* ------------------------------------------------------------ helpers */

const char *mpc_signal_name(int sig)
{
    static const struct {
        int sig;
        const char *name;
    } names[] = {
        {SIGHUP, "SIGHUP"},       {SIGINT, "SIGINT"},   {SIGQUIT, "SIGQUIT"},
        {SIGILL, "SIGILL"},       {SIGTRAP, "SIGTRAP"}, {SIGABRT, "SIGABRT"},
        {SIGBUS, "SIGBUS"},       {SIGFPE, "SIGFPE"},   {SIGKILL, "SIGKILL"},
        {SIGUSR1, "SIGUSR1"},     {SIGSEGV, "SIGSEGV"}, {SIGUSR2, "SIGUSR2"},
        {SIGPIPE, "SIGPIPE"},     {SIGALRM, "SIGALRM"}, {SIGTERM, "SIGTERM"},
        {SIGCHLD, "SIGCHLD"},     {SIGCONT, "SIGCONT"}, {SIGSTOP, "SIGSTOP"},
        {SIGTSTP, "SIGTSTP"},     {SIGTTIN, "SIGTTIN"}, {SIGTTOU, "SIGTTOU"},
        {SIGURG, "SIGURG"},       {SIGXCPU, "SIGXCPU"}, {SIGXFSZ, "SIGXFSZ"},
        {SIGVTALRM, "SIGVTALRM"}, {SIGPROF, "SIGPROF"}, {SIGWINCH, "SIGWINCH"},
        {SIGIO, "SIGIO"},         {SIGPWR, "SIGPWR"},   {SIGSYS, "SIGSYS"},
    };
    static _Thread_local char buf[32];
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (names[i].sig == sig)
            return names[i].name;
    snprintf(buf, sizeof buf, "signal %d", sig);
    return buf;
}

volatile sig_atomic_t mpc_exec_interrupted;

void mpc_exec_result_free(mpc_exec_result_t *r)
{
    free(r->start_error);
    mpc_buf_free(&r->out);
    mpc_buf_free(&r->err);
    mpc_strv_free(&r->leaks);
    memset(r, 0, sizeof *r);
}

static void xclose(int *fd)
{
    if (*fd >= 0)
        SYS.close(*fd);
    *fd = -1;
}

static void pause_ms(long ms)
{
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

/* waitpid, again after EINTR. */
static pid_t wait_for(pid_t pid, int *status, int options)
{
    pid_t w;
    while ((w = SYS.waitpid(pid, status, options)) < 0 && errno == EINTR)
        ;
    return w;
}

/* read, again after EINTR. */
static ssize_t read_retry(int fd, void *p, size_t n)
{
    ssize_t k;
    while ((k = SYS.read(fd, p, n)) < 0 && errno == EINTR)
        ;
    return k;
}

/* A directory stream, through the table. */
static DIR *open_dir(const char *path)
{
    int fd = SYS.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    DIR *d = fd >= 0 ? SYS.fdopendir(fd) : NULL;
    if (!d && fd >= 0)
        SYS.close(fd);
    return d;
}

/* The names in a directory (path, or the directory dirfd refers to). */
static void list_dir(const char *path, int dirfd, mpc_strv_t *out)
{
    DIR *d;
    if (dirfd >= 0) {
        char self[64];
        snprintf(self, sizeof self, "/proc/self/fd/%d", dirfd);
        d = open_dir(self);
    } else {
        d = open_dir(path);
    }
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            mpc_strv_pushdup(out, e->d_name);
    closedir(d);
}

/* Up to n - 1 bytes of a small file, NUL-terminated; the length or -1. */
static ssize_t read_small(const char *path, char *buf, size_t n)
{
    int fd = SYS.open(path, O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    ssize_t k = read_retry(fd, buf, n - 1);
    SYS.close(fd);
    if (k <= 0)
        return -1;
    buf[k] = '\0';
    return k;
}

/* ------------------------------------------------------- /proc reading */

/* What the runner reads of a process in /proc/NAME/stat. */
typedef struct {
    char state;
    int ppid, pgrp;
    char comm[64];
} proc_stat_t;

/* Reads /proc/NAME/stat for a /proc entry NAME; 0, or -1 when NAME is not
 * a process or it ended meanwhile. */
static int proc_stat(const char *name, proc_stat_t *st)
{
    if (name[0] < '1' || name[0] > '9')
        return -1;
    char path[300], buf[512];
    snprintf(path, sizeof path, "/proc/%.32s/stat", name);
    if (read_small(path, buf, sizeof buf) < 0)
        return -1;
    /* comm may hold blanks and parentheses: it ends at the last ')' */
    char *lp = strchr(buf, '('), *rp = strrchr(buf, ')');
    if (!lp || !rp ||
        sscanf(rp + 1, " %c %d %d", &st->state, &st->ppid, &st->pgrp) != 3)
        return -1;
    snprintf(st->comm, sizeof st->comm, "%.*s", (int)(rp - lp - 1), lp + 1);
    return 0;
}

/* The last number of the line KEY of /proc/NAME/status (NSpid, NSpgid:
 * the pid in the innermost namespace), or -1. */
static int proc_status_last(const char *status, const char *key)
{
    size_t kl = strlen(key);
    for (const char *l = status; *l;) {
        const char *e = strchr(l, '\n');
        if (!e)
            e = l + strlen(l);
        if (strncmp(l, key, kl) != 0 || l[kl] != ':') {
            l = *e ? e + 1 : e;
            continue;
        }
        while (e > l && (e[-1] < '0' || e[-1] > '9'))
            e--;
        const char *b = e;
        while (b > l && b[-1] >= '0' && b[-1] <= '9')
            b--;
        return b < e ? atoi(b) : -1;
    }
    return -1;
}

/* Live (not zombie) processes of group pgid, as "process PID (comm) still
 * alive". */
static void group_members(pid_t pgid, mpc_strv_t *out)
{
    DIR *d = open_dir("/proc");
    if (!d)
        return;
    struct dirent *e;
    proc_stat_t st;
    while ((e = readdir(d)) != NULL) {
        if (proc_stat(e->d_name, &st) < 0 || st.pgrp != pgid ||
            st.state == 'Z' || st.state == 'X')
            continue;
        mpc_strv_push(out, mpc_xasprintf("process %s (%s) still alive",
                                         e->d_name, st.comm));
    }
    closedir(d);
}

/* The main process's pid inside a case's PID namespace: the first process
 * its init starts. */
#define NS_MAIN_PID 2

/* Live processes of the PID namespace (dev, ino) other than its init, by
 * the pids the case knows them by (the pids it printed); the number of
 * them not stopped yet. */
static size_t ns_members(dev_t dev, ino_t ino, pid_t init, mpc_strv_t *out)
{
    DIR *d = open_dir("/proc");
    size_t running = 0;
    if (!d)
        return 0;
    struct dirent *e;
    proc_stat_t st;
    while ((e = readdir(d)) != NULL) {
        char path[300], status[4096];
        struct stat ns;
        snprintf(path, sizeof path, "/proc/%.32s/ns/pid", e->d_name);
        if (proc_stat(e->d_name, &st) < 0 || atoi(e->d_name) == init ||
            st.state == 'Z' || st.state == 'X' || SYS.stat(path, &ns) < 0 ||
            ns.st_dev != dev || ns.st_ino != ino)
            continue;
        snprintf(path, sizeof path, "/proc/%.32s/status", e->d_name);
        int pid = -1, pgid = -1;
        if (read_small(path, status, sizeof status) > 0) {
            pid = proc_status_last(status, "NSpid");
            pgid = proc_status_last(status, "NSpgid");
        }
        running += st.state != 'T' && st.state != 't';
        mpc_strv_push(
            out, mpc_xasprintf("process %d (%s) %s", pid, st.comm,
                               pgid == NS_MAIN_PID
                                   ? "still alive"
                                   : "left its process group and was still "
                                     "alive"));
    }
    closedir(d);
    return running;
}

/* ------------------------------------------------ the running cases */

/*
 * The runner's children that are cases (their main process, or the init
 * of their namespace: each also names its process group).  A child of the
 * runner in none of these groups is an escapee (reap_escapees).  A worker
 * holds the lock from fork to the registration, so that no scan sees a
 * child it does not know.
 */
static pthread_mutex_t groups_lock = PTHREAD_MUTEX_INITIALIZER;
static pid_t *groups;
static size_t n_groups, cap_groups;

static void groups_add(pid_t pgid) /* with groups_lock held */
{
    if (n_groups == cap_groups) {
        cap_groups = cap_groups ? cap_groups * 2 : 16;
        groups = mpc_xrealloc(groups, cap_groups * sizeof *groups);
    }
    groups[n_groups++] = pgid;
}

static void groups_remove(pid_t pgid)
{
    pthread_mutex_lock(&groups_lock);
    for (size_t i = 0; i < n_groups; i++)
        if (groups[i] == pgid) {
            groups[i] = groups[--n_groups];
            break;
        }
    pthread_mutex_unlock(&groups_lock);
}

static int groups_has(pid_t pgid)
{
    int found = 0;
    pthread_mutex_lock(&groups_lock);
    for (size_t i = 0; i < n_groups && !found; i++)
        found = groups[i] == pgid;
    pthread_mutex_unlock(&groups_lock);
    return found;
}

/*
 * Processes that left their case's process group come back to the runner
 * (a subreaper) when their parent dies, but no group kill or waitpid(-pgid)
 * reaches them: without this scan they would outlive the run, or end as
 * zombies of the runner.  Each child of the runner that is not a running
 * case and in no running case's group is reported (when report is set),
 * killed and reaped.  There is no exemption for the runner's own group: a
 * case's session cannot reach it (setsid).  Killing one hands its own
 * children to the runner, and one that forks and exits in a loop hands
 * over a new pid each time (and a zombie: that keeps the scan going), so
 * the scan repeats until it finds none (10 s at most).  With parallel jobs an
 * escapee is reported by the case that ends first, which may not be the one
 * that made it; it is killed all the same.  Cases in a PID namespace have no
 * escapees: their init reaps them.
 */
static void reap_escapees(int report, mpc_strv_t *leaks)
{
    /* one scan at a time: two workers ending together would both report
     * the same escapee before either killed it */
    static pthread_mutex_t scan_lock = PTHREAD_MUTEX_INITIALIZER;
    pid_t self = getpid();
    double end = mpc_now() + 10;
    int reported = 0;
    pthread_mutex_lock(&scan_lock);
    for (;;) {
        DIR *d = open_dir("/proc");
        if (!d)
            break;
        int found = 0;
        struct dirent *e;
        proc_stat_t st;
        while ((e = readdir(d)) != NULL) {
            if (proc_stat(e->d_name, &st) < 0 || st.ppid != self)
                continue;
            pid_t pid = (pid_t)atoi(e->d_name);
            if (groups_has(pid) || groups_has(st.pgrp))
                continue;
            found++;
            if (st.state != 'Z') {
                if (report)
                    mpc_strv_push(
                        leaks, mpc_xasprintf("process %d (%s) left its process "
                                             "group and was still alive",
                                             (int)pid, st.comm));
                reported += report;
                SYS.kill(pid, SIGKILL);
            }
            SYS.waitpid(pid, NULL, WNOHANG);
        }
        closedir(d);
        if (!found || mpc_now() >= end)
            break;
        /* the next rounds only finish the killing, once one is reported
         * (a scan may see only the zombie a forking one left) */
        report = report && !reported;
        pause_ms(1);
    }
    pthread_mutex_unlock(&scan_lock);
}

/* Reap what can be reaped in the group; 1 when the group is gone. */
static int group_reap(pid_t pgid)
{
    while (SYS.waitpid(-pgid, NULL, WNOHANG) > 0)
        ;
    return SYS.kill(-pgid, 0) < 0 && errno == ESRCH;
}

static void group_kill_reap(pid_t pgid)
{
    double end = mpc_now() + 10;
    while (!group_reap(pgid) && mpc_now() < end) {
        SYS.kill(-pgid, SIGKILL);
        pause_ms(2);
    }
}

/* ---------------------------------------------- namespaces: the probe */

static pthread_once_t probe_once = PTHREAD_ONCE_INIT;
static char *no_ns_reason; /* NULL: PID namespaces work */

/* The mounts of a case's namespace: nothing it mounts propagates out, its
 * own tmpfs on /dev/shm (shm_opts), and with a PID namespace its own /proc
 * (the pids the case sees are the namespace's).  0 or -1 (child side:
 * system calls only). */
static int mount_private(const char *shm_opts, int proc)
{
    if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
        mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, shm_opts) < 0)
        return -1;
    if (proc && mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
                      NULL) < 0)
        return -1;
    return 0;
}

/* The loopback of a new network namespace is down: up, it serves
 * 127.0.0.1 and ::1 (child side: system calls only). */
static int loopback_up(void)
{
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int rc = ioctl(fd, SIOCGIFFLAGS, &ifr);
    if (rc == 0) {
        ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
        rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
    }
    close(fd);
    return rc;
}

#define NS_FLAGS (CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET)

static pthread_once_t root_once = PTHREAD_ONCE_INIT;
static char *no_root_reason; /* NULL: commands can run inside a root */

/* Can this runner enter a root?  A child tries a mount namespace of its own
 * and chroot (root_enter needs both, and mount). */
static void probe_root(void)
{
    const char *what = "clone";
    pid_t pid = SYS.clone(CLONE_NEWNS);
    if (pid == 0)
        _exit(mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
                      chroot("/") == 0
                  ? 0
                  : 1);
    int st = 0, e = errno;
    if (pid > 0) {
        what = "mount or chroot";
        e = wait_for(pid, &st, 0) == pid && WIFEXITED(st) &&
                    WEXITSTATUS(st) == 0
                ? 0
                : EPERM;
    }
    if (e)
        no_root_reason = mpc_xasprintf("entering a root needs a mount "
                                       "namespace and chroot, as root (%s: "
                                       "%s)",
                                       what, strerror(e));
}

const char *mpc_exec_no_root(void)
{
    pthread_once(&root_once, probe_root);
    return no_root_reason;
}

/* Can this runner give a case its own PID namespace and mounts?  A child
 * tries what ns_init does. */
static void probe_namespaces(void)
{
    const char *what = "clone";
    pid_t pid = SYS.clone(NS_FLAGS);
    if (pid == 0)
        _exit(mount_private("mode=1777,size=4096", 1) == 0 && loopback_up() == 0
                  ? 0
                  : 1);
    int st = 0, e = errno;
    if (pid > 0) {
        what = "mount or loopback";
        e = wait_for(pid, &st, 0) == pid && WIFEXITED(st) &&
                    WEXITSTATUS(st) == 0
                ? 0
                : EPERM;
    }
    if (e)
        no_ns_reason = mpc_xasprintf("%s: %s", what, strerror(e));
}

const char *mpc_exec_no_namespace(void)
{
    pthread_once(&probe_once, probe_namespaces);
    return no_ns_reason;
}

void mpc_exec_init(void)
{
    /* Orphans of a case (a child whose parent died) come back to us, in the
     * case's process group, where the cleanup reaps them. */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    signal(SIGPIPE, SIG_IGN);
    mpc_exec_no_namespace();
}

static void say_no_namespace_once(void)
{
    fprintf(stderr,
            "mpconform: note: cases run without a PID namespace (%s); "
            "processes that leave a case are found among the runner's "
            "children\n",
            no_ns_reason);
}

/* Once, on stderr: the runs are not contained. */
static void say_no_namespace(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, say_no_namespace_once);
}

/* ----------------------------------------------------------- one run */

typedef struct {
    const mpc_exec_opts_t *o;
    mpc_exec_result_t *r;
    char *prog;
    char shm_opts[64];
    size_t cap;
    int ns;      /* 1: pid is the init of the case's PID namespace */
    int isolate; /* without ns: try a private mount namespace */
    int devnull;
    int outp[2], errp[2]; /* the case's stdout and stderr */
    int syncp[2];         /* child -> runner: set up ('i': /dev/shm private,
                           * 'n': shared, 'F': failed) */
    int gop[2];           /* runner -> child: exec now */
    int xp[2];            /* child -> runner: errno of a failed exec */
    int statp[2];         /* init -> runner: the main process's status */
    pid_t pid;            /* the runner's child */
    int registered;       /* pid is in groups */
    int reaped;           /* pid was waited for */
    int pidfd;            /* of the main process, without ns */
    int shmfd;            /* the private /dev/shm */
    dev_t ns_dev;         /* the PID namespace */
    ino_t ns_ino;
    mpc_strv_t before; /* the shared /dev/shm before the run */
    double t0, deadline, grace_end;
    int status; /* wait status of the main process */
    int main_done;
    int outfd, errfd; /* still open: outp[0], errp[0], or -1 */
    /* with a root: what root_enter mounts, prepared before the fork */
    char *root_mnt, *root_merged, *root_overlay; /* ROOT/mnt, its merged
                                                  * view, overlay options */
    mpc_strv_t root_layers; /* upper, work, merged: made in the tmpfs */
    mpc_strv_t root_points; /* mount points made in the merged view */
    mpc_strv_t bind_src, bind_dst;
} run_t;

/* The steps of root_enter, for the runner's message. */
static const char *const root_steps[] = {
    "making the mounts private",
    "tmpfs on its /mnt",
    "the overlay's layers",
    "the overlay",
    "a mount point",
    "a bind mount",
    "chroot",
};

/* The first failure of the supervisor is the run's error. */
static void run_error(run_t *x, const char *what, int e)
{
    if (!x->r->start_error)
        x->r->start_error = mpc_xasprintf("%s: %s", what, strerror(e));
}

/* prog as the command will exec it: absolute or relative as given, else
 * the first PATH entry where it is executable (looked for inside root,
 * when there is one); NULL when none is. */
static char *resolve(const char *prog, char *const *envp, const char *root)
{
    if (strchr(prog, '/'))
        return mpc_xstrdup(prog);
    const char *path = "/usr/local/bin:/usr/bin:/bin";
    for (char *const *e = envp; *e; e++)
        if (strncmp(*e, "PATH=", 5) == 0)
            path = *e + 5;
    mpc_strv_t dirs = {0};
    mpc_strv_split(&dirs, path, ":");
    char *found = NULL;
    for (size_t i = 0; i < dirs.n && !found; i++) {
        char *cand = mpc_xasprintf("%s/%s", dirs.v[i], prog);
        char *seen = mpc_xasprintf("%s%s", root ? root : "", cand);
        if (access(seen, X_OK) == 0)
            found = cand;
        else
            free(cand);
        free(seen);
    }
    mpc_strv_free(&dirs);
    return found;
}

/* stdout as a console: the master end is the runner's, the terminal end
 * the case's, in raw mode so that a line arrives as written (no "\r\n").
 * Opened with O_NOCTTY: it never becomes the case's controlling terminal,
 * so no SIGHUP or job control reaches the case through it. */
static int open_tty(run_t *x)
{
    char name[64];
    struct termios t;
    x->outp[0] = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (x->outp[0] < 0 || grantpt(x->outp[0]) < 0 || unlockpt(x->outp[0]) < 0 ||
        ptsname_r(x->outp[0], name, sizeof name) != 0)
        return -1;
    x->outp[1] = SYS.open(name, O_RDWR | O_NOCTTY | O_CLOEXEC, 0);
    if (x->outp[1] < 0 || tcgetattr(x->outp[1], &t) < 0)
        return -1;
    cfmakeraw(&t);
    return tcsetattr(x->outp[1], TCSANOW, &t);
}

/* The mounts of a root, as paths: /proc, /dev and each bind at its own
 * path in the merged view, with every folder above them to make. */
static void root_prepare(run_t *x)
{
    const char *root = x->o->root;
    x->root_mnt = mpc_xasprintf("%s/mnt", root);
    x->root_merged = mpc_xasprintf("%s/merged", x->root_mnt);
    x->root_overlay =
        mpc_xasprintf("lowerdir=%s,upperdir=%s/upper,workdir=%s/work", root,
                      x->root_mnt, x->root_mnt);
    mpc_strv_push(&x->root_layers, mpc_xasprintf("%s/upper", x->root_mnt));
    mpc_strv_push(&x->root_layers, mpc_xasprintf("%s/work", x->root_mnt));
    mpc_strv_pushdup(&x->root_layers, x->root_merged);
    mpc_strv_t binds = {0};
    mpc_strv_pushdup(&binds, "/proc");
    mpc_strv_pushdup(&binds, "/dev");
    for (char *const *b = x->o->binds; b && *b; b++)
        mpc_strv_pushdup(&binds, *b);
    for (size_t i = 0; i < binds.n; i++) {
        const char *b = binds.v[i];
        /* every folder from the top down: mkdir -p */
        for (const char *q = b + 1;; q++) {
            if (*q == '/' || !*q) {
                char *pt =
                    mpc_xasprintf("%s%.*s", x->root_merged, (int)(q - b), b);
                if (!mpc_strv_has(&x->root_points, pt))
                    mpc_strv_push(&x->root_points, pt);
                else
                    free(pt);
            }
            if (!*q)
                break;
        }
        mpc_strv_pushdup(&x->bind_src, b);
        mpc_strv_push(&x->bind_dst, mpc_xasprintf("%s%s", x->root_merged, b));
    }
    mpc_strv_free(&binds);
}

static int run_open(run_t *x)
{
    int *pipes[] = {x->outp, x->errp, x->syncp, x->gop, x->xp, x->statp};
    x->devnull = SYS.open("/dev/null", O_RDONLY | O_CLOEXEC, 0);
    if (x->devnull < 0) {
        run_error(x, "cannot open /dev/null", errno);
        return -1;
    }
    if (x->o->tty_stdout && open_tty(x) < 0) {
        run_error(x, "cannot open a pseudo-terminal for stdout", errno);
        return -1;
    }
    for (size_t i = x->o->tty_stdout ? 1 : 0; i < sizeof pipes / sizeof *pipes;
         i++) {
        if (i == 5 && !x->ns)
            break;
        if (SYS.pipe2(pipes[i], O_CLOEXEC) < 0) {
            run_error(x, "cannot create pipes", errno);
            return -1;
        }
    }
    /* the read ends are the streams' now (closed when each ends) */
    x->outfd = x->outp[0];
    x->errfd = x->errp[0];
    x->outp[0] = x->errp[0] = -1;
    return 0;
}

/* ---------------------------------------------------- the child's side */

/* Write all of a small buffer (async-signal-safe). */
static void child_write(int fd, const void *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        p = (const char *)p + w;
        n -= (size_t)w;
    }
}

/* fork(2) for a process made by sys_clone (glibc's fork would take locks
 * another thread of the runner held at the clone). */
static pid_t raw_fork(void)
{
    return (pid_t)syscall(SYS_clone, SIGCHLD, NULL, NULL, NULL, NULL);
}

static void close_parent_ends(const run_t *x)
{
    close(x->outfd);
    close(x->errfd);
    close(x->syncp[0]);
    close(x->gop[1]);
    close(x->xp[0]);
    if (x->ns)
        close(x->statp[0]);
}

/* The main process from its fork to the exec: wait for go, default signal
 * handling, stdio, cwd.  An errno goes to xp (negative: chdir). */
static void child_exec(const run_t *x)
{
    char go;
    while (read(x->gop[0], &go, 1) < 0 && errno == EINTR)
        ;
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (int s = 1; s < NSIG; s++)
        if (s != SIGKILL && s != SIGSTOP)
            signal(s, SIG_DFL);
    int e = 0;
    if (dup2(x->devnull, 0) < 0 || dup2(x->outp[1], 1) < 0 ||
        dup2(x->errp[1], 2) < 0)
        e = errno;
    else if (x->o->cwd && chdir(x->o->cwd) < 0)
        e = -errno;
    else
        execve(x->prog, x->o->argv, x->o->envp);
    if (!e)
        e = errno;
    child_write(x->xp[1], &e, sizeof e);
    _exit(127);
}

/* Enter the root (child side: system calls only): the overlay, the bind
 * mounts, chroot.  0, or -1 with errno and *step (root_steps) and *idx
 * (the path of the step that failed). */
static int root_enter(const run_t *x, int *step, int *idx)
{
    *idx = 0;
    *step = 0;
    if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
        return -1;
    *step = 1;
    if (mount("tmpfs", x->root_mnt, "tmpfs", MS_NOSUID | MS_NODEV,
              "mode=0755") < 0)
        return -1;
    *step = 2;
    for (*idx = 0; *idx < (int)x->root_layers.n; ++*idx)
        if (mkdir(x->root_layers.v[*idx], 0755) < 0)
            return -1;
    *step = 3;
    *idx = 0;
    if (mount("overlay", x->root_merged, "overlay", 0, x->root_overlay) < 0)
        return -1;
    *step = 4;
    for (*idx = 0; *idx < (int)x->root_points.n; ++*idx)
        if (mkdir(x->root_points.v[*idx], 0755) < 0 && errno != EEXIST)
            return -1;
    *step = 5;
    for (*idx = 0; *idx < (int)x->bind_src.n; ++*idx)
        if (mount(x->bind_src.v[*idx], x->bind_dst.v[*idx], NULL,
                  MS_BIND | MS_REC, NULL) < 0)
            return -1;
    *step = 6;
    *idx = 0;
    if (chroot(x->root_merged) < 0 || chdir("/") < 0)
        return -1;
    return 0;
}

/* A failed root_enter told to the runner: 'R', then the step, the index
 * and errno. */
static void root_failed(const run_t *x, int step, int idx)
{
    int info[3] = {step, idx, errno};
    char r = 'R';
    child_write(x->syncp[1], &r, 1);
    child_write(x->syncp[1], info, sizeof info);
    _exit(127);
}

/* SIGUSR1 to a namespace's init: every other process of the namespace
 * stops (none can fork any more), so that the runner can list them. */
static void freeze_namespace(int sig)
{
    (void)sig;
    kill(-1, SIGSTOP);
}

/* The init of a case's PID namespace (PID 1): mounts, the main process,
 * then reaping until the namespace is empty.  It keeps only the status
 * pipe: a copy of another case's pipe would keep that case's stream open. */
static void ns_init(const run_t *x)
{
    close_parent_ends(x);
    setsid();
    /* the runner's thread gone (the runner killed), the namespace goes */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    char iso =
        mount_private(x->shm_opts, 1) == 0 && loopback_up() == 0 ? 'i' : 'F';
    int step, idx;
    if (iso == 'i' && x->o->root && root_enter(x, &step, &idx) < 0)
        root_failed(x, step, idx);
    pid_t main_pid = iso == 'i' ? raw_fork() : -1;
    if (main_pid == 0) {
        setpgid(0, 0);
        child_exec(x);
    }
    if (main_pid < 0)
        iso = 'F';
    child_write(x->syncp[1], &iso, 1);
    if (iso == 'F')
        _exit(127);
    if (dup2(x->statp[1], 0) < 0)
        _exit(127);
    if (syscall(SYS_close_range, 1, ~0U, 0) < 0)
        for (int fd = 1; fd < 4096; fd++)
            close(fd);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = freeze_namespace;
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_UNBLOCK, &usr1, NULL);
    for (;;) {
        int st;
        pid_t w = waitpid(-1, &st, 0);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            _exit(0); /* no process left */
        if (w == main_pid) {
            child_write(0, &st, sizeof st);
            close(0);
        }
    }
}

/* The main process without a PID namespace: a session of its own, maybe
 * a private /dev/shm, then child_exec. */
static void child_init(const run_t *x)
{
    close_parent_ends(x);
    setsid();
    char iso = 'n';
    /* a root needs the mount namespace, isolated or not */
    int mnt_ns = (x->isolate || x->o->root) && unshare(CLONE_NEWNS) == 0;
    if (x->isolate && mnt_ns && mount_private(x->shm_opts, 0) == 0)
        iso = 'i';
    int step = 0, idx = 0;
    if (x->o->root && (!mnt_ns || root_enter(x, &step, &idx) < 0))
        root_failed(x, step, idx);
    child_write(x->syncp[1], &iso, 1);
    child_exec(x);
}

/* ---------------------------------------------------- the runner's side */

static int run_spawn(run_t *x)
{
    pthread_mutex_lock(&groups_lock);
    pid_t pid = x->ns ? SYS.clone(NS_FLAGS) : SYS.fork();
    if (pid > 0)
        groups_add(pid);
    pthread_mutex_unlock(&groups_lock);
    if (pid == 0) {
        if (x->ns)
            ns_init(x);
        child_init(x);
    }
    if (pid < 0) {
        run_error(x, x->ns ? "clone" : "fork", errno);
        return -1;
    }
    x->pid = pid;
    x->registered = 1;
    int *child_ends[] = {&x->outp[1], &x->errp[1], &x->syncp[1],
                         &x->gop[0],  &x->xp[1],   &x->statp[1]};
    for (size_t i = 0; i < sizeof child_ends / sizeof *child_ends; i++)
        xclose(child_ends[i]);
    xclose(&x->devnull);
    return 0;
}

/* The set-up byte, the namespace and /dev/shm, the go byte, and whether
 * the exec worked. */
static int run_start(run_t *x)
{
    char iso = 0;
    ssize_t k = read_retry(x->syncp[0], &iso, 1);
    int info[3] = {0, 0, 0}; /* after 'R': root_enter's step, index, errno */
    ssize_t ki =
        k == 1 && iso == 'R' ? read_retry(x->syncp[0], info, sizeof info) : 0;
    xclose(&x->syncp[0]);
    if (k < 0)
        run_error(x, "cannot read from the child", errno);
    if (k == 1 && iso == 'R') {
        int step = info[0] >= 0 && info[0] < 7 ? info[0] : 0;
        const mpc_strv_t *paths[] = {
            NULL,         NULL, &x->root_layers, NULL, &x->root_points,
            &x->bind_dst, NULL};
        const mpc_strv_t *pv = paths[step];
        x->r->start_error = mpc_xasprintf(
            "cannot enter the root %s (%s%s%s): %s", x->o->root,
            root_steps[step],
            pv && info[1] >= 0 && (size_t)info[1] < pv->n ? " " : "",
            pv && info[1] >= 0 && (size_t)info[1] < pv->n ? pv->v[info[1]] : "",
            strerror(ki == (ssize_t)sizeof info ? info[2] : EIO));
        return -1;
    }
    if (k != 1 || iso == 'F') {
        if (k >= 0)
            x->r->start_error =
                mpc_xstrdup("cannot set up the case's namespaces");
        return -1;
    }
    char path[64];
    if (x->ns) {
        struct stat ns;
        snprintf(path, sizeof path, "/proc/%d/ns/pid", (int)x->pid);
        if (SYS.stat(path, &ns) < 0) {
            run_error(x, "cannot find the case's PID namespace", errno);
            return -1;
        }
        x->ns_dev = ns.st_dev;
        x->ns_ino = ns.st_ino;
    }
    x->r->pid_ns = x->ns;
    if (iso == 'i') {
        snprintf(path, sizeof path, "/proc/%d/root/dev/shm", (int)x->pid);
        x->shmfd = SYS.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    }
    x->r->shm_isolated = x->shmfd >= 0;
    if (x->shmfd >= 0)
        x->r->shm_size = x->o->shm_size ? x->o->shm_size : MPC_EXEC_SHM_SIZE;
    x->t0 = mpc_now();
    x->deadline = x->t0 + x->o->timeout;
    /* go: a byte, not EOF (a sibling forked by another thread may hold a
     * copy of gop[1] until it execs) */
    char go = 'g';
    ssize_t w;
    while ((w = SYS.write(x->gop[1], &go, 1)) < 0 && errno == EINTR)
        ;
    xclose(&x->gop[1]);
    if (w != 1) {
        run_error(x, "cannot start the child", errno);
        return -1;
    }
    int xerr = 0;
    k = read_retry(x->xp[0], &xerr, sizeof xerr);
    xclose(&x->xp[0]);
    if (k < 0) {
        run_error(x, "cannot read from the child", errno);
        return -1;
    }
    if (k == (ssize_t)sizeof xerr)
        x->r->start_error =
            xerr < 0 ? mpc_xasprintf("chdir %s: %s", x->o->cwd, strerror(-xerr))
                     : mpc_xasprintf("cannot execute %s: %s", x->o->argv[0],
                                     strerror(xerr));
    if (!x->ns)
        x->pidfd = SYS.pidfd_open(x->pid, 0);
    return 0;
}

/* The runner's child reaped (its wait status in *status); if it cannot
 * be, that is the run's error. */
static void reap_child(run_t *x, int *status)
{
    int st = 0;
    if (x->reaped)
        return;
    pid_t w = wait_for(x->pid, &st, 0);
    if (w == x->pid) {
        x->reaped = 1;
        if (status)
            *status = st;
    } else {
        run_error(x, "waitpid", errno);
    }
}

/* The main process ended with wait status st. */
static void main_ended(run_t *x, int st)
{
    x->main_done = 1;
    x->status = st;
    x->r->wall = mpc_now() - x->t0;
    x->grace_end = mpc_now() + x->o->grace;
    xclose(&x->pidfd);
    xclose(&x->statp[0]);
}

/* The whole case killed at once (timeout, interrupt, an error). */
static void kill_case(run_t *x)
{
    if (x->ns) {
        /* the init's death kills every process in its namespace */
        if (!x->reaped)
            SYS.kill(x->pid, SIGKILL);
        reap_child(x, NULL);
        if (!x->main_done)
            main_ended(x, SIGKILL);
        return;
    }
    SYS.kill(-x->pid, SIGKILL);
    if (!x->main_done) {
        int st = SIGKILL;
        reap_child(x, &st);
        main_ended(x, st);
    }
}

/* Without a namespace: has the main process ended? */
static void poll_main(run_t *x)
{
    int st;
    pid_t w = SYS.waitpid(x->pid, &st, WNOHANG);
    if (w == x->pid) {
        x->reaped = 1;
        main_ended(x, st);
    } else if (w < 0 && errno != EINTR) {
        run_error(x, "waitpid", errno);
    }
}

/* With a namespace: the main process's status from its init. */
static void read_status(run_t *x)
{
    int st = 0;
    ssize_t k = SYS.read(x->statp[0], &st, sizeof st);
    if (k < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (k == (ssize_t)sizeof st) {
        main_ended(x, st);
        return;
    }
    /* the init died without a word: it was killed from outside */
    if (k < 0)
        run_error(x, "cannot read from the child", errno);
    else if (!x->r->start_error)
        x->r->start_error = mpc_xstrdup("the case's init process died");
    kill_case(x);
}

/* Are all the case's processes gone? */
static int case_gone(run_t *x)
{
    if (!x->ns)
        return group_reap(x->pid);
    if (!x->reaped) {
        pid_t w = SYS.waitpid(x->pid, NULL, WNOHANG);
        x->reaped = w == x->pid;
    }
    return x->reaped;
}

static int read_into(int fd, mpc_buf_t *b, size_t cap, int *truncated)
{
    char chunk[65536];
    ssize_t n = SYS.read(fd, chunk, sizeof chunk);
    if (n < 0)
        return (errno == EINTR || errno == EAGAIN) ? 1 : -1;
    if (n == 0)
        return 0;
    size_t keep = (size_t)n;
    if (b->len + keep > cap) {
        keep = b->len < cap ? cap - b->len : 0;
        *truncated = 1;
    }
    if (keep)
        mpc_buf_add(b, chunk, keep);
    return 1;
}

/* One read of a stream; closes it at its end. */
static void read_stream(run_t *x, int *fd)
{
    int isout = fd == &x->outfd;
    int k = read_into(*fd, isout ? &x->r->out : &x->r->err, x->cap,
                      &x->r->truncated);
    /* a terminal's master reads EIO once no process holds the terminal
     * end: its end of file */
    if (k < 0 && isout && x->o->tty_stdout && errno == EIO)
        k = 0;
    if (k < 0)
        run_error(x, isout ? "reading stdout" : "reading stderr", errno);
    if (k <= 0)
        xclose(fd);
}

/* Is the private /dev/shm full?  Seen at some moment: a case that got
 * ENOSPC (or SIGBUS on a mapping) has usually filled it. */
static void check_shm(run_t *x)
{
    struct statvfs vfs;
    if (x->shmfd >= 0 && !x->r->shm_full && SYS.fstatvfs(x->shmfd, &vfs) == 0 &&
        vfs.f_blocks > 0 && vfs.f_bfree == 0)
        x->r->shm_full = 1;
}

/* How long the next poll may sleep, in ms. */
static int poll_ms(const run_t *x, double now)
{
    double wait_s = (x->main_done ? x->grace_end : x->deadline) - now;
    /* Without a pidfd, look at the main process every 5 ms; after it
     * ended, at the group every 10 ms; with a private /dev/shm, at its
     * usage every 20 ms; and at mpc_exec_interrupted every 100 ms (the
     * signal may be handled by another thread than the one polling). */
    double most = 0.1;
    if (!x->main_done && !x->ns && x->pidfd < 0)
        most = 0.005;
    else if (x->main_done)
        most = 0.01;
    else if (x->shmfd >= 0)
        most = 0.02;
    if (wait_s > most)
        wait_s = most;
    return wait_s <= 0 ? 0 : (int)(wait_s * 1000) + 1;
}

/* Output, the main process's end, the timeout, the grace period. */
static void supervise(run_t *x)
{
    for (;;) {
        double now = mpc_now();
        if (!x->main_done && !x->ns)
            poll_main(x);
        if (!x->main_done &&
            (now >= x->deadline || mpc_exec_interrupted || x->r->start_error)) {
            if (mpc_exec_interrupted && !x->r->start_error)
                x->r->start_error = mpc_xstrdup("interrupted");
            else if (!x->r->start_error)
                x->r->timed_out = 1;
            kill_case(x);
            return;
        }
        if (x->main_done && ((case_gone(x) && x->outfd < 0 && x->errfd < 0) ||
                             now >= x->grace_end))
            return;
        struct pollfd pf[3];
        int *fds[3];
        nfds_t n = 0;
        int watch = x->ns ? x->statp[0] : x->pidfd;
        int *streams[] = {&x->outfd, &x->errfd, &watch};
        for (size_t i = 0; i < 3; i++)
            if (*streams[i] >= 0) {
                fds[n] = streams[i];
                pf[n++] = (struct pollfd){*streams[i], POLLIN, 0};
            }
        int pr = SYS.poll(pf, n, poll_ms(x, now));
        if (pr < 0 && errno != EINTR) {
            run_error(x, "poll", errno);
            continue;
        }
        for (nfds_t i = 0; pr > 0 && i < n; i++) {
            if (!(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            if (fds[i] == &watch && x->ns)
                read_status(x);
            else if (fds[i] != &watch)
                read_stream(x, fds[i]);
        }
        check_shm(x);
    }
}

/* What is still buffered in a stream (no writer is left now). */
static void drain(run_t *x, int *fd)
{
    if (*fd < 0)
        return;
    SYS.fcntl(*fd, F_SETFL, O_NONBLOCK);
    struct pollfd pf = {*fd, POLLIN, 0};
    while (*fd >= 0 && !x->r->timed_out && SYS.poll(&pf, 1, 0) > 0)
        read_stream(x, fd);
    xclose(fd);
}

/* The /dev/shm entries the case left. */
static void shm_leaks(run_t *x)
{
    mpc_strv_t after = {0};
    mpc_exec_result_t *r = x->r;
    list_dir("/dev/shm", x->shmfd, &after);
    for (size_t i = 0; i < after.n && !r->timed_out; i++) {
        if (x->shmfd >= 0)
            mpc_strv_push(&r->leaks,
                          mpc_xasprintf("/dev/shm/%s left behind", after.v[i]));
        else if (!mpc_strv_has(&x->before, after.v[i]))
            mpc_strv_push(&r->leaks, mpc_xasprintf("/dev/shm/%s left behind "
                                                   "(shared /dev/shm: may be "
                                                   "another case's)",
                                                   after.v[i]));
    }
    mpc_strv_free(&after);
}

/* The processes still alive in the case's namespace, listed once its init
 * stopped them all: a process that forks and exits in a loop would
 * otherwise be gone from each listing of /proc before it is read. */
static void ns_leftovers(run_t *x)
{
    mpc_strv_t seen = {0};
    double end = mpc_now() + 1;
    SYS.kill(x->pid, SIGUSR1);
    for (;;) {
        size_t running = ns_members(x->ns_dev, x->ns_ino, x->pid, &seen);
        if ((seen.n && !running) || mpc_now() >= end || case_gone(x))
            break;
        mpc_strv_free(&seen);
        pause_ms(2);
    }
    for (size_t i = 0; i < seen.n; i++)
        mpc_strv_pushdup(&x->r->leaks, seen.v[i]);
    mpc_strv_free(&seen);
}

/* Leftovers reported, every process of the case killed and reaped, the
 * rest of the output read. */
static void run_finish(run_t *x)
{
    mpc_exec_result_t *r = x->r;
    int report = !r->timed_out && x->o->check_leaks;
    if (WIFEXITED(x->status))
        r->exit_status = WEXITSTATUS(x->status);
    else if (WIFSIGNALED(x->status))
        r->exit_status = -WTERMSIG(x->status);
    if (report && !case_gone(x)) {
        if (x->ns)
            ns_leftovers(x);
        else
            group_members(x->pid, &r->leaks);
    }
    check_shm(x);
    if (x->ns) {
        double end = mpc_now() + 10;
        while (!x->reaped && mpc_now() < end) {
            SYS.kill(x->pid, SIGKILL);
            reap_child(x, NULL);
        }
    } else {
        group_kill_reap(x->pid);
    }
    drain(x, &x->outfd);
    drain(x, &x->errfd);
    if (x->o->check_leaks)
        shm_leaks(x);
}

/* One cleanup for every path: whatever was opened or started. */
static void run_close(run_t *x)
{
    int *fds[] = {&x->outp[0],  &x->outp[1],  &x->errp[0],  &x->errp[1],
                  &x->syncp[0], &x->syncp[1], &x->gop[0],   &x->gop[1],
                  &x->xp[0],    &x->xp[1],    &x->statp[0], &x->statp[1],
                  &x->devnull,  &x->pidfd,    &x->shmfd,    &x->outfd,
                  &x->errfd};
    if (x->pid > 0 && !x->reaped) {
        /* a start that failed half-way: the child dies with its group */
        if (x->ns)
            SYS.kill(x->pid, SIGKILL);
        else
            SYS.kill(-x->pid, SIGKILL);
        SYS.kill(x->pid, SIGKILL);
        double end = mpc_now() + 10;
        while (!x->reaped && mpc_now() < end) {
            reap_child(x, NULL);
            if (!x->reaped)
                pause_ms(1);
        }
        if (!x->ns)
            group_kill_reap(x->pid);
    }
    if (x->registered)
        groups_remove(x->pid);
    if (x->pid > 0)
        reap_escapees(!x->r->timed_out && x->o->check_leaks, &x->r->leaks);
    for (size_t i = 0; i < sizeof fds / sizeof *fds; i++)
        xclose(fds[i]);
    free(x->prog);
    mpc_strv_free(&x->before);
    free(x->root_mnt);
    free(x->root_merged);
    free(x->root_overlay);
    mpc_strv_free(&x->root_layers);
    mpc_strv_free(&x->root_points);
    mpc_strv_free(&x->bind_src);
    mpc_strv_free(&x->bind_dst);
}

int mpc_exec_run(const mpc_exec_opts_t *o, mpc_exec_result_t *r)
{
    run_t x = {.o = o, .r = r, .devnull = -1, .pidfd = -1, .shmfd = -1};
    int *pipes[] = {x.outp, x.errp, x.syncp, x.gop, x.xp, x.statp};
    for (size_t i = 0; i < sizeof pipes / sizeof *pipes; i++)
        pipes[i][0] = pipes[i][1] = -1;
    x.outfd = x.errfd = -1;
    memset(r, 0, sizeof *r);
    mpc_buf_add(&r->out, "", 0);
    mpc_buf_add(&r->err, "", 0);
    x.cap = o->cap ? o->cap : MPC_EXEC_CAP;
    x.ns = o->isolate_shm && !mpc_exec_no_namespace();
    x.isolate = o->isolate_shm;
    if (o->isolate_shm && !x.ns && o->check_leaks)
        say_no_namespace();
    snprintf(x.shm_opts, sizeof x.shm_opts, "mode=1777,size=%zu",
             o->shm_size ? o->shm_size : MPC_EXEC_SHM_SIZE);
    if (mpc_exec_interrupted) {
        r->start_error = mpc_xstrdup("interrupted");
        goto fail;
    }
    if (o->root && mpc_exec_no_root()) {
        r->start_error = mpc_xasprintf("cannot enter the root %s: %s", o->root,
                                       mpc_exec_no_root());
        goto fail;
    }
    if (o->root)
        root_prepare(&x);
    x.prog = resolve(o->argv[0], o->envp, o->root);
    if (!x.prog) {
        r->start_error = mpc_xasprintf("%s: command not found", o->argv[0]);
        goto fail;
    }
    if (run_open(&x) < 0)
        goto fail;
    if (o->check_leaks)
        list_dir("/dev/shm", -1, &x.before);
    if (run_spawn(&x) < 0 || run_start(&x) < 0)
        goto fail;
    supervise(&x);
    run_finish(&x);
fail:
    run_close(&x);
    return r->start_error ? -1 : 0;
}
