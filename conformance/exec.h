/*
 * exec.h - the process supervisor: run one command where none of its
 * processes can hide, capture its output, enforce a timeout, reap
 * everything, and report what it left behind.
 *
 * Where the kernel allows it (root), a command runs in its own PID, mount
 * and network namespaces (its own /proc, a tmpfs of shm_size on /dev/shm,
 * its own loopback, up):
 * every process it starts stays in the namespace, is found there and dies
 * with it.  Elsewhere (not root, or isolate off) it starts its own session
 * and process group, and processes that leave the group are found among
 * the runner's children (the runner is a child subreaper).  The first run
 * that cannot have a namespace says so once on stderr.
 *
 * The runner calls mpc_exec_init() once (it makes the runner a child
 * subreaper and finds out whether namespaces work).  mpc_exec_run() is
 * safe to call from several threads at once.
 */
#ifndef MPC_EXEC_H
#define MPC_EXEC_H

#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>

#include "util.h"

#define MPC_EXEC_CAP (1024 * 1024)

/* A case's private /dev/shm when neither the case nor its profile says
 * otherwise (shm-size). */
#define MPC_EXEC_SHM_SIZE ((size_t)256 * 1024 * 1024)

typedef struct {
    char *const *argv;  /* argv[0]: absolute, or looked up in the case's PATH */
    char *const *envp;  /* the complete environment */
    const char *cwd;    /* NULL: unchanged */
    double timeout;     /* real seconds */
    double grace;       /* after the main process ends, how long its other
                         * processes may take to exit by themselves before
                         * they count as leaks */
    int isolate_shm;    /* run in private namespaces (PID, mount: own /proc
                         * and /dev/shm) where the kernel allows it */
    int check_leaks;    /* report leftover processes and /dev/shm entries */
    int tty_stdout;     /* stdout a pseudo-terminal in raw mode (a console:
                         * stdio line-buffered, each line one write) */
    size_t cap;         /* bytes kept per stream (0: MPC_EXEC_CAP) */
    size_t shm_size;    /* bytes of the private /dev/shm (0:
                         * MPC_EXEC_SHM_SIZE) */
    const char *root;   /* NULL, or an absolute folder the command runs
                         * chrooted in: in a mount namespace of its own
                         * (also without isolate_shm), over a per-run
                         * overlay of the folder (its writes go to a tmpfs
                         * and vanish, the folder is never changed), with
                         * /proc, /dev and each of binds at its own path;
                         * argv[0] and cwd are paths inside it */
    char *const *binds; /* NULL-terminated absolute folders of the host
                         * shown at their own path inside root */
} mpc_exec_opts_t;

typedef struct {
    char *start_error; /* the command could not be started, or not be
                        * supervised to its end (why), else NULL */
    int timed_out;
    int exit_status; /* exit code, or -N when killed by signal N */
    double wall;     /* seconds from exec to the main process's end */
    mpc_buf_t out, err;
    int truncated; /* a stream hit the cap */
    mpc_strv_t leaks;
    int shm_isolated; /* 1: private /dev/shm, 0: before/after diff */
    int pid_ns;       /* 1: ran in its own PID namespace */
    int shm_full;     /* the private /dev/shm was seen full (its writes
                       * got ENOSPC, its mappings SIGBUS) */
    size_t shm_size;  /* the size of the private /dev/shm */
} mpc_exec_result_t;

/* Set from a signal handler: running cases are killed (as on a timeout,
 * with start_error "interrupted") and no new case starts. */
extern volatile sig_atomic_t mpc_exec_interrupted;

void mpc_exec_init(void);
int mpc_exec_run(const mpc_exec_opts_t *o, mpc_exec_result_t *r);
void mpc_exec_result_free(mpc_exec_result_t *r);

/* NULL when cases get their own PID namespace, else why not (after
 * mpc_exec_init). */
const char *mpc_exec_no_namespace(void);

/* NULL when a command can run inside a root (mpc_exec_opts_t.root: a
 * mount namespace and chroot, as root), else why not. */
const char *mpc_exec_no_root(void);

/* "SIGSEGV" for 11, "signal 77" when unknown (static or thread-local). */
const char *mpc_signal_name(int sig);

/*
 * The system calls the supervisor makes (in the runner's process; the
 * child's side between fork and exec calls the kernel directly), through
 * one replaceable table as libmpref's mpr__sys, so that a test can make
 * each of them fail in turn (tests/test_exec_faults.c).  clone is a
 * fork-like clone(2) with flags (namespaces), and stat, fstatvfs and
 * fdopendir read /proc and /dev/shm.
 */
typedef struct {
    int (*open)(const char *path, int flags, mode_t mode);
    int (*close)(int fd);
    int (*pipe2)(int fds[2], int flags);
    ssize_t (*read)(int fd, void *buf, size_t n);
    ssize_t (*write)(int fd, const void *buf, size_t n);
    int (*poll)(struct pollfd *fds, nfds_t n, int timeout);
    int (*fcntl)(int fd, int cmd, long arg);
    pid_t (*fork)(void);
    pid_t (*clone)(unsigned long flags);
    pid_t (*waitpid)(pid_t pid, int *status, int options);
    int (*kill)(pid_t pid, int sig);
    int (*pidfd_open)(pid_t pid, unsigned int flags);
    int (*stat)(const char *path, struct stat *st);
    int (*fstatvfs)(int fd, struct statvfs *st);
    DIR *(*fdopendir)(int fd);
} mpc_exec_sys_t;

extern mpc_exec_sys_t mpc_exec_sys;
/* Every pointer of mpc_exec_sys back to the real call. */
void mpc_exec_sys_reset(void);

#endif /* MPC_EXEC_H */
