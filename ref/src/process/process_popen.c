/*
 * process_popen.c - the launchers: fork (popen_fork), spawn
 * (popen_spawn_posix: a fresh copy of the program, /proc/self/exe, told
 * what to run through an inherited pipe), the dispatch to the forkserver,
 * and poll/close of a started child (process_spawn.c reads the
 * description on the other side).
 *
 * Python: multiprocessing.popen_fork, popen_spawn_posix, spawn, CPython
 * 3.11.  The description a spawn/forkserver child reads is a 4-byte
 * big-endian length and a pickle of a dict: name, type, identity, daemon,
 * authkey, parent_pid, parent_name, method, start_method, target, run (the
 * registered names), args, kwargs, dir.
 */
#include "mpr/process.h"
#include "mpr/context.h"
#include "mpr/pickle.h"
#include "base/io.h"
#include "process/process_internal.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef MPR_COVERAGE
extern void __gcov_dump(void);
#endif

static void close_fd(int *fd)
{
    if (*fd >= 0)
        mpr__sys.close(*fd);
    *fd = -1;
}

/* os.waitstatus_to_exitcode */
static int status_to_code(int st)
{
    if (WIFSIGNALED(st))
        return -WTERMSIG(st);
    return WEXITSTATUS(st);
}

/* ---- the description ----------------------------------------------- */

static int set_item(mpr_obj_t *d, const char *key, mpr_obj_t *v)
{
    return mpr_obj_dict_set_steal(d, mpr_obj_str(key), v);
}

static mpr_obj_t *bytes_of(const char *s)
{
    return mpr_obj_bytes(s, strlen(s));
}

static mpr_obj_t *fn_name(void (*fn)(void), int *rc)
{
    const char *name;

    if (fn == NULL)
        return mpr_obj_none();
    name = mpr__target_name(fn);
    if (name == NULL) {
        *rc = mpr__error(MPR_EPICKLE,
                         "Can't pickle <function at %p>: it "
                         "is not registered (MPR_TARGET or "
                         "mpr_target_register)",
                         (void *)fn);
        return NULL;
    }
    return mpr_obj_str(name);
}

int mpr__process_describe(mpr_process_t *p, const char *method, char **out,
                          size_t *len)
{
    mpr_obj_t *d = mpr_obj_dict(), *ident;
    char cwd[4096], *pk = NULL;
    size_t n;
    int rc = 0;

    if (d == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    ident = mpr_obj_tuple_new(p->identity_len);
    for (size_t i = 0; ident != NULL && i < p->identity_len; i++)
        if (mpr_obj_tuple_set_steal(ident, i, mpr_obj_int(p->identity[i])) <
            0) {
            mpr_obj_decref(ident); /* set_item then fails on NULL */
            ident = NULL;
        }
    if (getcwd(cwd, sizeof(cwd)) == NULL)
        cwd[0] = '\0';
    if (set_item(d, "name", bytes_of(p->name)) < 0 ||
        set_item(d, "type", bytes_of(p->type_name)) < 0) {
        mpr_obj_decref(ident); /* set_item steals it only when called */
        rc = mpr__error(MPR__ERR(ENOMEM), NULL);
    } else if (set_item(d, "identity", ident) < 0 ||
               set_item(d, "daemon", mpr_obj_bool(p->daemon)) < 0 ||
               set_item(d, "authkey",
                        mpr_obj_bytes(p->authkey, p->authkey_len)) < 0 ||
               set_item(d, "parent_pid", mpr_obj_int(p->parent_pid)) < 0 ||
               set_item(d, "parent_name", bytes_of(p->parent_name)) < 0 ||
               set_item(d, "method",
                        p->method ? mpr_obj_str(p->method) : mpr_obj_none()) <
                   0 ||
               set_item(d, "start_method", mpr_obj_str(method)) < 0 ||
               set_item(d, "dir", bytes_of(cwd)) < 0 ||
               set_item(d, "args", mpr_obj_incref(p->args)) < 0 ||
               set_item(d, "kwargs", mpr_obj_incref(p->kwargs)) < 0)
        rc = mpr__error(MPR__ERR(ENOMEM), NULL);
    if (rc == 0) {
        mpr_obj_t *t = fn_name((void (*)(void))p->target, &rc);
        mpr_obj_t *r = rc == 0 ? fn_name((void (*)(void))p->run, &rc) : NULL;
        if (rc == 0 && set_item(d, "target", t) < 0) {
            mpr_obj_decref(r);
            rc = mpr__error(MPR__ERR(ENOMEM), NULL);
        } else if (rc == 0 && set_item(d, "run", r) < 0)
            rc = mpr__error(MPR__ERR(ENOMEM), NULL);
        else if (rc < 0)
            mpr_obj_decref(t);
    }
    if (rc == 0)
        rc = mpr__reduction_dumps(mpr__launcher(method)->reduction, p, d, &pk,
                                  &n);
    mpr_obj_decref(d);
    if (rc < 0)
        return rc;
    *out = mpr__sys.malloc(n + 4);
    if (*out == NULL) {
        mpr_free(pk);
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    }
    (*out)[0] = (char)(n >> 24);
    (*out)[1] = (char)(n >> 16);
    (*out)[2] = (char)(n >> 8);
    (*out)[3] = (char)n;
    memcpy(*out + 4, pk, n);
    mpr_free(pk);
    *len = n + 4;
    return 0;
}

/* ---- fork ---------------------------------------------------------- */

static int launch_fork(mpr_process_t *p)
{
    int a[2] = {-1, -1},
        b[2] = {-1, -1}; /* parent_r/child_w, child_r/parent_w */
    pid_t pid;
    int rc;

    if (mpr__sys.pipe2(a, O_CLOEXEC) < 0 || mpr__sys.pipe2(b, O_CLOEXEC) < 0)
        goto fail;
    pid = mpr__sys.fork();
    if (pid < 0)
        goto fail;
    if (pid == 0) {
        close_fd(&a[0]);
        close_fd(&b[1]);
        mpr__process_become_child(p, b[0], "fork");
        mpr__process_set_use_exit(0);
        mpr__process_bootstrap(p);
    }
    close_fd(&a[1]);
    close_fd(&b[0]);
    p->pid = pid;
    p->sentinel = a[0];
    p->parent_w = b[1];
    return 0;
fail:
    rc = mpr__oserror();
    close_fd(&a[0]), close_fd(&a[1]), close_fd(&b[0]), close_fd(&b[1]);
    return rc;
}

/* ---- spawn --------------------------------------------------------- */

/* In the forked child before exec: every descriptor but 0-2 and keep[]
 * closes (spawnv_passfds' close_fds=True); keep[] loses close-on-exec. */
static void keep_only(int *keep, int n)
{
    unsigned lo = 3;

    for (int i = 0; i < n; i++) /* sort, n is tiny */
        for (int j = i + 1; j < n; j++)
            if (keep[j] < keep[i]) {
                int t = keep[i];
                keep[i] = keep[j];
                keep[j] = t;
            }
    for (int i = 0; i < n; i++) {
        if ((unsigned)keep[i] > lo)
            close_range(lo, (unsigned)keep[i] - 1, 0);
        if ((unsigned)keep[i] + 1 > lo)
            lo = (unsigned)keep[i] + 1;
    }
    close_range(lo, ~0U, 0);
}

/* set_executable(): the program spawn children and the forkserver run,
 * when one was set.  A static buffer: it is read between fork and exec. */
static char executable[PATH_MAX];
static int have_executable;

int mpr_set_executable(const char *path)
{
    size_t n;

    if (path == NULL) {
        have_executable = 0;
        return 0;
    }
    if ((n = strlen(path)) >= sizeof(executable))
        return mpr__error(-ENAMETOOLONG, NULL);
    memcpy(executable, path, n + 1);
    have_executable = 1;
    return 0;
}

/*
 * Runs the program set_executable named, as CPython's spawn runs
 * spawn.get_executable(); by default this program again, by the path
 * /proc/self/exe names (CPython's default is sys.executable).  Not
 * /proc/self/exe itself: under valgrind, which follows an exec by loading the
 * new program itself, that link names valgrind's own tool and the child dies
 * before main (valgrind answers readlink with the program's path).  The link is
 * kept for when the path is gone (the file was deleted since). Only
 * async-signal-safe calls: this runs between fork and exec.
 */
static void exec_self(char *const argv[])
{
    char path[PATH_MAX];
    ssize_t n;

    if (have_executable) {
        execv(executable, argv);
        return;
    }
    n = readlink("/proc/self/exe", path, sizeof(path) - 1);
    if (n > 0) {
        path[n] = '\0';
        execv(path, argv);
    }
    execv("/proc/self/exe", argv);
}

/* fork + exec of this program with args, keeping fds keep[0..n-1]
 * open.  An exec failure comes back through a close-on-exec pipe. */
pid_t mpr__exec_self(char *const argv[], int *keep, int n)
{
    int err[2], e = 0;
    pid_t pid;

    if (mpr__sys.pipe2(err, O_CLOEXEC) < 0)
        return mpr__oserror();
    pid = mpr__sys.fork();
    if (pid < 0) {
        int rc = mpr__oserror();
        close_fd(&err[0]), close_fd(&err[1]);
        return rc;
    }
    if (pid == 0) {
        int all[MPR_PROCESS_MAX_FDS + 3];
        for (int i = 0; i < n; i++) {
            all[i] = keep[i];
            fcntl(keep[i], F_SETFD, 0);
        }
        all[n] = err[1];
        keep_only(all, n + 1);
#ifdef MPR_COVERAGE
        /* execv drops this child's counters, as _exit would
         * (mpr__child_exit) */
        __gcov_dump();
#endif
        exec_self(argv);
        e = errno;
        mpr__write_full(err[1], &e, sizeof(e));
        mpr__child_exit(127);
    }
    close_fd(&err[1]);
    if (mpr__read_full(err[0], &e, sizeof(e)) == sizeof(e)) {
        close_fd(&err[0]);
        mpr__waitpid(pid, NULL, 0);
        return mpr__error(MPR__ERR(e), NULL);
    }
    close_fd(&err[0]);
    return pid;
}

static int launch_spawn(mpr_process_t *p, const char *desc, size_t len)
{
    int a[2] = {-1, -1},
        b[2] = {-1, -1}; /* parent_r/child_w, child_r/parent_w */
    char fd_r[16], fd_w[16];
    char *argv[] = {(char *)(mpr__argv0 ? mpr__argv0 : "/proc/self/exe"),
                    "--mpr-spawn", fd_r, fd_w, NULL};
    int keep[MPR_PROCESS_MAX_FDS + 2];
    pid_t pid;
    int rc;

    if (mpr__sys.pipe2(a, O_CLOEXEC) < 0 || mpr__sys.pipe2(b, O_CLOEXEC) < 0) {
        rc = mpr__oserror();
        goto fail;
    }
    snprintf(fd_r, sizeof(fd_r), "%d", b[0]);
    snprintf(fd_w, sizeof(fd_w), "%d", a[1]);
    keep[0] = b[0];
    keep[1] = a[1];
    for (size_t i = 0; i < p->n_pass_fds; i++)
        keep[2 + i] = p->pass_fds[i];
    pid = mpr__exec_self(argv, keep, 2 + (int)p->n_pass_fds);
    if (pid < 0) {
        rc = (int)pid;
        goto fail;
    }
    close_fd(&a[1]);
    close_fd(&b[0]);
    p->pid = pid;
    p->sentinel = a[0];
    p->parent_w = b[1];
    /* A child that dies before reading everything must not kill us with
     * SIGPIPE; it will show up with its own exit code.  Any other error
     * is start()'s, as in CPython's _launch: the child, which would wait
     * for the rest for ever, sees EOF instead, ends and is reaped. */
    if ((rc = mpr__write_nosigpipe(b[1], desc, len)) < 0 && rc != -EPIPE) {
        rc = mpr__error(rc, NULL);
        close_fd(&p->parent_w);
        close_fd(&p->sentinel);
        mpr__waitpid(pid, NULL, 0);
        p->pid = 0;
        return rc;
    }
    return 0;
fail:
    close_fd(&a[0]), close_fd(&a[1]), close_fd(&b[0]), close_fd(&b[1]);
    return rc;
}

/* ---- reaping ------------------------------------------------------ */

/*
 * Threads may poll the same child at once: one joins while another starts
 * a process, whose cleanup polls every child.  The blocking wait therefore
 * never reaps (waitid with WNOWAIT, or poll on the sentinel); the reaping
 * call and the writing of the return code happen under reap_lock, after a
 * second look at has_returncode.  Without it, a joiner whose waitpid lost
 * the child to the other thread (ECHILD) could read the code before that
 * thread wrote it.
 */
static pthread_mutex_t reap_lock = PTHREAD_MUTEX_INITIALIZER;

/* fork and spawn: our own child, reaped with waitpid. */
static int reap_child(mpr_process_t *p)
{
    int st;

    /* ECHILD: reaped outside libmpref; like CPython, still unknown. */
    if (mpr__waitpid(p->pid, &st, WNOHANG) != p->pid)
        return 0;
    p->returncode = status_to_code(st);
    return 1;
}

static void wait_child(mpr_process_t *p)
{
    siginfo_t info;

    mpr__waitid(P_PID, (id_t)p->pid, &info, WEXITED | WNOWAIT);
}

/* forkserver: the server's child; the server writes its status to the
 * sentinel. */
static int reap_served(mpr_process_t *p)
{
    struct pollfd pfd = {.fd = p->sentinel, .events = POLLIN};
    int32_t code;

    if (mpr__poll(&pfd, 1, 0) <= 0)
        return 0;
    /* EOF without a status: the forkserver itself died. */
    if (mpr__read_full(p->sentinel, &code, sizeof(code)) != sizeof(code))
        code = 255;
    p->returncode = code;
    return 1;
}

static void wait_served(mpr_process_t *p)
{
    struct pollfd pfd = {.fd = p->sentinel, .events = POLLIN};

    mpr__poll(&pfd, 1, -1);
}

/* ---- the table ----------------------------------------------------- */

static int launch_fork_desc(mpr_process_t *p, const char *desc, size_t len)
{
    (void)desc, (void)len;
    return launch_fork(p);
}

static const mpr__launcher_t launchers[] = {
    {.name = "fork",
     .process_class = "ForkProcess",
     .fresh = 0,
     .launch = launch_fork_desc,
     .reap = reap_child,
     .wait = wait_child},
    {.name = "spawn",
     .process_class = "SpawnProcess",
     .fresh = 1,
     .reduction = &mpr__reduction_spawning,
     .launch = launch_spawn,
     .reap = reap_child,
     .wait = wait_child},
    {.name = "forkserver",
     .process_class = "ForkServerProcess",
     .fresh = 1,
     .reduction = &mpr__reduction_spawning,
     .launch = mpr__forkserver_launch,
     .reap = reap_served,
     .wait = wait_served},
};

const mpr__launcher_t *mpr__launcher(const char *method)
{
    for (size_t i = 0;
         method != NULL && i < sizeof(launchers) / sizeof(launchers[0]); i++)
        if (strcmp(method, launchers[i].name) == 0)
            return &launchers[i];
    return NULL;
}

int mpr__popen_launch(mpr_process_t *p, const char *method)
{
    const mpr__launcher_t *l = mpr__launcher(method);
    char *desc = NULL;
    size_t len = 0;
    int rc;

    assert(l != NULL); /* contexts hand out the table's names only */
    if (l->fresh) {
        /* spawn._check_not_importing_main() */
        if (mpr__bootstrapping)
            return mpr__error(
                MPR_ERUNTIME,
                "\n"
                "        An attempt has been made to start a new process "
                "before "
                "the\n"
                "        current process has finished its bootstrapping "
                "phase.\n"
                "\n"
                "        This probably means that you are not using fork to "
                "start "
                "your\n"
                "        child processes and you have forgotten to use the "
                "proper "
                "idiom\n"
                "        in the main module:\n"
                "\n"
                "            if __name__ == '__main__':\n"
                "                freeze_support()\n"
                "                ...\n"
                "\n"
                "        The \"freeze_support()\" line can be omitted if the "
                "program\n"
                "        is not going to be frozen to produce an executable.");
        /* get_preparation_data() asks for the start method, which fixes
         * the default context even when p belongs to a concrete one. */
        mpr__context_resolve();
        if ((rc = mpr__process_describe(p, method, &desc, &len)) < 0)
            return rc;
    }
    rc = l->launch(p, desc, len);
    free(desc);
    if (rc == 0)
        p->launcher = l;
    return rc;
}

int mpr__popen_poll(mpr_process_t *p, int block)
{
    int done;

    if (!p->started)
        return 0;
    if (block)
        p->launcher->wait(p);
    pthread_mutex_lock(&reap_lock);
    done = p->has_returncode || p->launcher->reap(p);
    if (done)
        p->has_returncode = 1;
    pthread_mutex_unlock(&reap_lock);
    return done;
}

void mpr__popen_close(mpr_process_t *p)
{
    close_fd(&p->sentinel);
    close_fd(&p->parent_w);
}
