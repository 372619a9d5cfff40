/*
 * exec.h - the process supervisor: run one command in its own process
 * group, capture its output, enforce a timeout, reap everything, and
 * report what it left behind.
 *
 * The runner calls mpc_exec_init() once (it makes the runner a child
 * subreaper, so orphans of a case are reparented to it and reaped).
 * mpc_exec_run() is safe to call from several threads at once.
 */
#ifndef MPC_EXEC_H
#define MPC_EXEC_H

#include <signal.h>
#include <stddef.h>

#include "util.h"

#define MPC_EXEC_CAP (1024 * 1024)

typedef struct {
    char *const *argv; /* argv[0]: absolute, or looked up in the case's PATH */
    char *const *envp; /* the complete environment */
    const char *cwd;   /* NULL: unchanged */
    double timeout;    /* real seconds */
    double grace;      /* after the main process ends, how long its group may
                        * take to exit by itself before it counts as a leak */
    int isolate_shm;   /* run in a private mount namespace, own /dev/shm */
    int check_leaks;   /* report leftover processes and /dev/shm entries */
    size_t cap;        /* bytes kept per stream (0: MPC_EXEC_CAP) */
} mpc_exec_opts_t;

typedef struct {
    char *start_error; /* the command could not be started (why), else NULL */
    int timed_out;
    int exit_status; /* exit code, or -N when killed by signal N */
    double wall;     /* seconds from exec to the main process's end */
    mpc_buf_t out, err;
    int truncated; /* a stream hit the cap */
    mpc_strv_t leaks;
    int shm_isolated; /* 1: private /dev/shm, 0: before/after diff */
} mpc_exec_result_t;

/* Set from a signal handler: running cases are killed (as on a timeout,
 * with start_error "interrupted") and no new case starts. */
extern volatile sig_atomic_t mpc_exec_interrupted;

void mpc_exec_init(void);
int mpc_exec_run(const mpc_exec_opts_t *o, mpc_exec_result_t *r);
void mpc_exec_result_free(mpc_exec_result_t *r);

/* "SIGSEGV" for 11, "signal 77" when unknown (static or thread-local). */
const char *mpc_signal_name(int sig);

#endif /* MPC_EXEC_H */
