/* exec.c - the process supervisor (see exec.h). */
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
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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

void mpc_exec_init(void)
{
    /* Orphans of a case (a child whose parent died) come back to us, in the
     * case's process group, where the cleanup reaps them. */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    signal(SIGPIPE, SIG_IGN);
}

void mpc_exec_result_free(mpc_exec_result_t *r)
{
    free(r->start_error);
    mpc_buf_free(&r->out);
    mpc_buf_free(&r->err);
    mpc_strv_free(&r->leaks);
    memset(r, 0, sizeof *r);
}

static void list_dir(const char *path, int dirfd, mpc_strv_t *out)
{
    DIR *d;
    if (dirfd >= 0) {
        int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        d = fd >= 0 ? fdopendir(fd) : NULL;
        if (!d && fd >= 0)
            close(fd);
    } else {
        d = path ? opendir(path) : NULL;
    }
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            mpc_strv_pushdup(out, e->d_name);
    closedir(d);
}

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
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    /* comm may hold blanks and parentheses: it ends at the last ')' */
    char *lp = strchr(buf, '('), *rp = strrchr(buf, ')');
    if (!lp || !rp ||
        sscanf(rp + 1, " %c %d %d", &st->state, &st->ppid, &st->pgrp) != 3)
        return -1;
    snprintf(st->comm, sizeof st->comm, "%.*s", (int)(rp - lp - 1), lp + 1);
    return 0;
}

/* Live (not zombie) processes of group pgid, as "PID (comm)". */
static void group_members(pid_t pgid, mpc_strv_t *out)
{
    DIR *d = opendir("/proc");
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

/*
 * The process groups of the cases running now (each is its main process's
 * pid).  A process that left its case's group (setsid, setpgid) is in none
 * of them; the escapee scan below tells them apart from the cases' own
 * processes with this list.  A worker holds the lock from fork to the
 * registration, so that no scan sees a main process it does not know.
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
 * zombies of the runner.  Each child of the runner outside the runner's
 * own group and outside every running case's group is reported (when
 * report is set), killed and reaped.  Killing one hands its own children
 * to the runner, so the scan repeats until it finds none (10 s at most).
 * With parallel jobs an escapee is reported by the case that ends first,
 * which may not be the one that made it; it is killed all the same.
 */
static void reap_escapees(int report, mpc_strv_t *leaks)
{
    /* one scan at a time: two workers ending together would both report
     * the same escapee before either killed it */
    static pthread_mutex_t scan_lock = PTHREAD_MUTEX_INITIALIZER;
    pid_t self = getpid(), own = getpgrp();
    double end = mpc_now() + 10;
    pthread_mutex_lock(&scan_lock);
    for (;;) {
        DIR *d = opendir("/proc");
        if (!d)
            break;
        int found = 0;
        struct dirent *e;
        proc_stat_t st;
        while ((e = readdir(d)) != NULL) {
            if (proc_stat(e->d_name, &st) < 0 || st.ppid != self ||
                st.pgrp == own || groups_has(st.pgrp))
                continue;
            pid_t pid = (pid_t)atoi(e->d_name);
            found++;
            if (st.state != 'Z') {
                if (report)
                    mpc_strv_push(
                        leaks, mpc_xasprintf("process %d (%s) left its process "
                                             "group and was still alive",
                                             (int)pid, st.comm));
                kill(pid, SIGKILL);
            }
            waitpid(pid, NULL, WNOHANG);
        }
        closedir(d);
        if (!found || mpc_now() >= end)
            break;
        report = 0; /* the next rounds only finish the killing */
        struct timespec ts = {0, 2000000};
        nanosleep(&ts, NULL);
    }
    pthread_mutex_unlock(&scan_lock);
}

/* Reap what can be reaped in the group; 1 when the group is gone. */
static int group_reap(pid_t pgid)
{
    for (;;) {
        pid_t w = waitpid(-pgid, NULL, WNOHANG);
        if (w <= 0)
            break;
    }
    return kill(-pgid, 0) < 0 && errno == ESRCH;
}

static void group_kill_reap(pid_t pgid)
{
    double end = mpc_now() + 10;
    while (!group_reap(pgid) && mpc_now() < end) {
        kill(-pgid, SIGKILL);
        struct timespec ts = {0, 2000000};
        nanosleep(&ts, NULL);
    }
}

static int read_into(int fd, mpc_buf_t *b, size_t cap, int *truncated)
{
    char chunk[65536];
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0)
        return (errno == EINTR || errno == EAGAIN) ? 1 : 0;
    if (n == 0)
        return 0;
    size_t keep = (size_t)n;
    if (b->len + keep > cap) {
        keep = b->len < cap ? cap - b->len : 0;
        *truncated = 1;
    }
    if (keep)
        mpc_buf_add(b, chunk, keep);
    else if (!b->s)
        mpc_buf_add(b, "", 0);
    return 1;
}

static char *resolve(const char *prog, char *const *envp)
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
        if (access(cand, X_OK) == 0)
            found = cand;
        else
            free(cand);
    }
    mpc_strv_free(&dirs);
    return found;
}

static void xclose(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* Write all of a small buffer from the child (async-signal-safe). */
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

int mpc_exec_run(const mpc_exec_opts_t *o, mpc_exec_result_t *r)
{
    memset(r, 0, sizeof *r);
    mpc_buf_add(&r->out, "", 0);
    mpc_buf_add(&r->err, "", 0);
    size_t cap = o->cap ? o->cap : MPC_EXEC_CAP;
    if (mpc_exec_interrupted) {
        r->start_error = mpc_xstrdup("interrupted");
        return -1;
    }
    char *prog = resolve(o->argv[0], o->envp);
    if (!prog) {
        r->start_error = mpc_xasprintf("%s: command not found", o->argv[0]);
        return -1;
    }
    int outp[2] = {-1, -1}, errp[2] = {-1, -1}, syncp[2] = {-1, -1},
        gop[2] = {-1, -1}, xp[2] = {-1, -1};
    int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (devnull < 0 || pipe2(outp, O_CLOEXEC) || pipe2(errp, O_CLOEXEC) ||
        pipe2(syncp, O_CLOEXEC) || pipe2(gop, O_CLOEXEC) ||
        pipe2(xp, O_CLOEXEC)) {
        r->start_error =
            mpc_xasprintf("cannot create pipes: %s", strerror(errno));
        free(prog);
        int *all[] = {outp, errp, syncp, gop, xp};
        for (size_t i = 0; i < 5; i++) {
            xclose(&all[i][0]);
            xclose(&all[i][1]);
        }
        if (devnull >= 0)
            close(devnull);
        return -1;
    }
    mpc_strv_t before = {0};
    if (o->check_leaks)
        list_dir("/dev/shm", -1, &before);

    pthread_mutex_lock(&groups_lock);
    pid_t pid = fork();
    if (pid > 0)
        groups_add(pid);
    pthread_mutex_unlock(&groups_lock);
    if (pid == 0) {
        /* The child: only async-signal-safe calls from here to exec. */
        close(outp[0]);
        close(errp[0]);
        close(syncp[0]);
        close(gop[1]);
        close(xp[0]);
        setpgid(0, 0);
        char iso = 'n';
        if (o->isolate_shm && unshare(CLONE_NEWNS) == 0 &&
            mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) == 0 &&
            mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV,
                  "mode=1777") == 0)
            iso = 'i';
        child_write(syncp[1], &iso, 1);
        char go;
        while (read(gop[0], &go, 1) < 0 && errno == EINTR)
            ;
        sigset_t all;
        sigemptyset(&all);
        sigprocmask(SIG_SETMASK, &all, NULL);
        for (int s = 1; s < NSIG; s++)
            if (s != SIGKILL && s != SIGSTOP)
                signal(s, SIG_DFL);
        if (dup2(devnull, 0) < 0 || dup2(outp[1], 1) < 0 ||
            dup2(errp[1], 2) < 0) {
            int e = errno;
            child_write(xp[1], &e, sizeof e);
            _exit(127);
        }
        if (o->cwd && chdir(o->cwd) < 0) {
            int e = -errno; /* negative: chdir, not exec */
            child_write(xp[1], &e, sizeof e);
            _exit(127);
        }
        execve(prog, o->argv, o->envp);
        int e = errno;
        child_write(xp[1], &e, sizeof e);
        _exit(127);
    }
    int saved_errno = errno;
    free(prog);
    xclose(&outp[1]);
    xclose(&errp[1]);
    xclose(&syncp[1]);
    xclose(&gop[0]);
    xclose(&xp[1]);
    close(devnull);
    if (pid < 0) {
        r->start_error = mpc_xasprintf("fork: %s", strerror(saved_errno));
        xclose(&outp[0]);
        xclose(&errp[0]);
        xclose(&syncp[0]);
        xclose(&gop[1]);
        xclose(&xp[0]);
        mpc_strv_free(&before);
        return -1;
    }
    setpgid(pid, pid); /* also here: no race with kill(-pid) below */
    pid_t pgid = pid;
    char iso = 'n';
    while (read(syncp[0], &iso, 1) < 0 && errno == EINTR)
        ;
    xclose(&syncp[0]);
    int shmfd = -1;
    if (iso == 'i') {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/root/dev/shm", (int)pid);
        shmfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    }
    r->shm_isolated = shmfd >= 0;
    double t0 = mpc_now();
    /* go: a byte, not EOF (a sibling forked by another thread may hold a
     * copy of gop[1] until it execs) */
    char gobyte = 'g';
    while (write(gop[1], &gobyte, 1) < 0 && errno == EINTR)
        ;
    xclose(&gop[1]);
    int xerr = 0;
    ssize_t xn;
    while ((xn = read(xp[0], &xerr, sizeof xerr)) < 0 && errno == EINTR)
        ;
    xclose(&xp[0]);
    if (xn == (ssize_t)sizeof xerr) {
        r->start_error =
            xerr < 0 ? mpc_xasprintf("chdir %s: %s", o->cwd, strerror(-xerr))
                     : mpc_xasprintf("cannot execute %s: %s", o->argv[0],
                                     strerror(xerr));
    }

    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    int status = 0, main_done = 0;
    double deadline = t0 + o->timeout, grace_end = 0;
    int fds_open = 2;
    int outfd = outp[0], errfd = errp[0];
    int group_gone = 0;
    for (;;) {
        double now = mpc_now();
        if (!main_done) {
            pid_t w = waitpid(pid, &status, WNOHANG);
            if (w == pid) {
                main_done = 1;
                r->wall = now - t0;
                grace_end = now + o->grace;
                if (pidfd >= 0)
                    xclose(&pidfd);
            } else if (now >= deadline || mpc_exec_interrupted) {
                if (mpc_exec_interrupted && !r->start_error)
                    r->start_error = mpc_xstrdup("interrupted");
                else
                    r->timed_out = 1;
                kill(-pgid, SIGKILL);
                while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                    ;
                main_done = 1;
                r->wall = mpc_now() - t0;
                xclose(&pidfd);
                break;
            }
        }
        if (main_done) {
            group_gone = group_reap(pgid);
            if (group_gone && fds_open == 0)
                break;
            if (now >= grace_end)
                break;
        }
        struct pollfd pf[3];
        int n = 0;
        if (outfd >= 0)
            pf[n++] = (struct pollfd){outfd, POLLIN, 0};
        if (errfd >= 0)
            pf[n++] = (struct pollfd){errfd, POLLIN, 0};
        int pidx = -1;
        if (!main_done && pidfd >= 0) {
            pidx = n;
            pf[n++] = (struct pollfd){pidfd, POLLIN, 0};
        }
        double until = main_done ? grace_end : deadline;
        double wait_s = until - now;
        /* Without a pidfd, poll the child's status every 5 ms; after the
         * main process ended, look at the group every 10 ms. */
        if (!main_done && pidfd < 0 && wait_s > 0.005)
            wait_s = 0.005;
        if (main_done && wait_s > 0.01)
            wait_s = 0.01;
        /* look at mpc_exec_interrupted often: the signal may be handled
         * by another thread than the one polling here */
        if (wait_s > 0.1)
            wait_s = 0.1;
        int ms = wait_s <= 0 ? 0 : (int)(wait_s * 1000) + 1;
        int pr = n ? poll(pf, (nfds_t)n, ms) : poll(NULL, 0, ms);
        if (pr < 0 && errno != EINTR)
            break;
        for (int i = 0; pr > 0 && i < n; i++) {
            if (i == pidx || !(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            int isout = pf[i].fd == outfd;
            if (!read_into(pf[i].fd, isout ? &r->out : &r->err, cap,
                           &r->truncated)) {
                if (isout)
                    xclose(&outfd);
                else
                    xclose(&errfd);
                fds_open--;
            }
        }
    }
    xclose(&pidfd);
    if (WIFEXITED(status))
        r->exit_status = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        r->exit_status = -WTERMSIG(status);
    if (!r->timed_out && o->check_leaks && !group_reap(pgid))
        group_members(pgid, &r->leaks);
    group_kill_reap(pgid);
    groups_remove(pgid);
    reap_escapees(!r->timed_out && o->check_leaks, &r->leaks);
    /* Whatever is still buffered in the pipes (no writer is left now). */
    if (outfd >= 0) {
        fcntl(outfd, F_SETFL, O_NONBLOCK);
        while (read_into(outfd, &r->out, cap, &r->truncated) && !r->timed_out) {
            struct pollfd pf = {outfd, POLLIN, 0};
            if (poll(&pf, 1, 0) <= 0)
                break;
        }
    }
    if (errfd >= 0) {
        fcntl(errfd, F_SETFL, O_NONBLOCK);
        while (read_into(errfd, &r->err, cap, &r->truncated) && !r->timed_out) {
            struct pollfd pf = {errfd, POLLIN, 0};
            if (poll(&pf, 1, 0) <= 0)
                break;
        }
    }
    xclose(&outfd);
    xclose(&errfd);
    if (o->check_leaks) {
        mpc_strv_t after = {0};
        if (shmfd >= 0) {
            list_dir(NULL, shmfd, &after);
            for (size_t i = 0; i < after.n; i++)
                if (!r->timed_out)
                    mpc_strv_push(
                        &r->leaks,
                        mpc_xasprintf("/dev/shm/%s left behind", after.v[i]));
        } else {
            list_dir("/dev/shm", -1, &after);
            for (size_t i = 0; i < after.n; i++)
                if (!mpc_strv_has(&before, after.v[i]) && !r->timed_out)
                    mpc_strv_push(
                        &r->leaks,
                        mpc_xasprintf(
                            "/dev/shm/%s left behind (shared /dev/shm: "
                            "may be another case's)",
                            after.v[i]));
        }
        mpc_strv_free(&after);
    }
    if (shmfd >= 0)
        close(shmfd);
    mpc_strv_free(&before);
    return r->start_error ? -1 : 0;
}
