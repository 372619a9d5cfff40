/*
 * process_internal.h - what the files of process/ share (the object
 * layout, the launchers, the child bootstrap).  Private to process/: the
 * layers above use process/target.h, and finalizers live in
 * base/finalize.h.
 */
#ifndef MPR_PROCESS_INTERNAL_H
#define MPR_PROCESS_INTERNAL_H

#include "mpr/process.h"
#include "base/finalize.h"
#include "base/internal.h"
#include "process/launcher.h"
#include "process/target.h"

#include <stdint.h>
#include <sys/types.h>

/* What an object stands for (CPython's class hierarchy, flattened). */
enum { MPR__PROC_CHILD, MPR__PROC_MAIN, MPR__PROC_PARENT };

/* Most nesting levels of an identity ("Process-1:2:3" has 3). */
#define MPR__MAX_IDENTITY 64

struct mpr_process_s {
    int refs;        /* caller's reference + one while in children */
    int kind;        /* MPR__PROC_* */
    char *type_name; /* type(self).__name__ */
    char *name;      /* self._name (bytes) */
    uint32_t identity[MPR__MAX_IDENTITY]; /* self._identity */
    size_t identity_len;                  /* its length (0: main, parent) */
    int daemon;             /* self._config['daemon'] (0 when absent) */
    unsigned char *authkey; /* self._config['authkey'] */
    size_t authkey_len;     /* its length */
    pid_t parent_pid;       /* self._parent_pid (0: None) */
    char *parent_name;      /* self._parent_name */
    const char *method;     /* class _start_method: NULL = default ctx */
    mpr_target_t target;    /* self._target (NULL after start) */
    mpr_run_t run;          /* run() override, or NULL */
    mpr_obj_t *args;        /* self._args (NULL after start) */
    mpr_obj_t *kwargs;      /* self._kwargs (NULL after start) */
    int dropped_target;     /* 1 after start deleted target/args */
    int closed;             /* self._closed */
    /* self._popen: */
    int started;                     /* popen is not None */
    const mpr__launcher_t *launcher; /* how it was started */
    pid_t pid;                       /* popen.pid (main/parent: their pid) */
    int has_returncode;              /* popen.returncode is not None */
    int returncode;                  /* popen.returncode */
    int sentinel;    /* readable when the child ended (-1: none) */
    int parent_w;    /* keeps the child's parent sentinel open */
    int in_children; /* 1 while in _children */
    int heap_name;   /* main object: name was set (heap copy) */
    int pass_fds[MPR_PROCESS_MAX_FDS]; /* kept open for spawn/forkserver */
    size_t n_pass_fds;                 /* how many */
};

/* ---- process.c ------------------------------------------------------- */

/* The object of this process (_current_process). */
extern mpr_process_t *mpr__current;

/*
 * Turns the calling process into a child running p: resets the counter,
 * the children, the finalizers, stdin (/dev/null), makes p current and a
 * _ParentProcess for the parent (watching parent_sentinel), forces the
 * start method.  Used by every launcher in the child.
 */
void mpr__process_become_child(mpr_process_t *p, int parent_sentinel,
                               const char *method);

/*
 * Runs p (the current process) and ends the process the way _bootstrap
 * and the launcher do: exit handler, flush, _exit (spawn: exit).  Never
 * returns.
 */
_Noreturn void mpr__process_bootstrap(mpr_process_t *p);

/* In a new child: current and parent objects, counter back to 1, no
 * children (process.c's state). */
void mpr__process_reset_state(mpr_process_t *current, mpr_process_t *parent);

/* Draws the main process's authkey (os.urandom(32)) on first use. */
void mpr__main_authkey(void);

/* A spawn child ends with exit() (atexit handlers run), the others with
 * _exit(). */
void mpr__process_set_use_exit(int use_exit);
int mpr__process_uses_exit(void);

/* Builds a child object from its description (spawn, forkserver). */
mpr_process_t *mpr__process_alloc(void);
void mpr__process_release(mpr_process_t *p);

/* ---- process_popen.c: the three launchers ------------------------------ */

/* Starts p with method's launcher (launcher.h): fills p->pid, p->sentinel,
 * p->parent_w and p->launcher. */
int mpr__popen_launch(mpr_process_t *p, const char *method);

/* popen.poll(): 1 with p->returncode once known, 0 while running. */
int mpr__popen_poll(mpr_process_t *p, int block);

/* popen.close(): closes the sentinel and parent_w. */
void mpr__popen_close(mpr_process_t *p);

/* Serialises p (name, identity, target name, args...) into a pickle. */
int mpr__process_describe(mpr_process_t *p, const char *method, char **out,
                          size_t *len);

/* Reads a description written to fd (length-prefixed) and becomes it. */
_Noreturn void mpr__spawn_child_main(int fd, int use_exit);

/* fork + exec /proc/self/exe argv keeping only 0-2 and keep[0..n-1]
 * (n <= MPR_PROCESS_MAX_FDS + 2).  Returns: the pid, or a negative error. */
pid_t mpr__exec_self(char *const argv[], int *keep, int n);

/* ---- process_forkserver.c ---------------------------------------------- */

/* Asks this process's forkserver (started on first use) for a child;
 * p->pass_fds go with the request. */
int mpr__forkserver_launch(mpr_process_t *p, const char *desc, size_t len);

/*
 * The server loop.  The exec'd program enters it from a constructor,
 * before main() (so the server runs none of the program's own code, as
 * CPython's server does not run __main__), or from mpr_main() where
 * constructors get no argv.  It returns only in a new child, with
 * mpr__forkserver_child_fd set: the child then runs main() from the top,
 * as a spawned program does, and mpr_main() runs the process.  Before
 * serving it loads the n_preload modules of set_forkserver_preload.
 */
void mpr__forkserver_main(int ctl_fd, int alive_fd, char **preload,
                          int n_preload);

/* In a forkserver child: the descriptor its description comes from, until
 * mpr_main() reads it; -1 elsewhere. */
extern int mpr__forkserver_child_fd;

/* Ends the forkserver of this process, if any, and reaps it. */
void mpr__forkserver_stop(void);

/* The pid of this process's forkserver, or -1 (for tests). */
pid_t mpr__forkserver_pid(void);

/* Forgets the forkserver inherited from a parent (in a fork child). */
void mpr__forkserver_forget(void);

/* ---- reduction.c: handle values in a child's args ----------------------- */

/* The table of spawn and forkserver (CPython pickles with the spawning
 * Popen set): a Connection's descriptor goes in pass_fds, every other
 * kind as its own token. */
extern const mpr__reduction_t mpr__reduction_spawning;

/* pickle.dumps(o) for p's child with table's reductions (p's pass_fds
 * may grow).  Errors: those of the pickler and of the reductions. */
int mpr__reduction_dumps(const mpr__reduction_t *table, mpr_process_t *p,
                         const mpr_obj_t *o, char **out, size_t *len);

/* pickle.loads(data) in the child, handles rebuilt with table's
 * reductions (each rebuilt primitive belongs to its value). */
int mpr__reduction_loads(const mpr__reduction_t *table, const void *data,
                         size_t len, mpr_obj_t **out);

/* ---- context.c ---------------------------------------------------- */

/* The start method the default context resolves to, fixing it. */
const char *mpr__context_resolve(void);

/* Forces the start method (a child takes its creator's). */
void mpr__context_force(const char *method);

/* Returns the canonical static string for a method name, or NULL. */
const char *mpr__method_canon(const char *method);

/* ---- main.c -------------------------------------------------------- */

/* The program to exec for spawn/forkserver: argv[0] mpr_main saw. */
extern const char *mpr__argv0;

/* 1 in a spawn child or forkserver until its main() calls mpr_main(). */
extern int mpr__bootstrapping;

/* ---- exit.c -------------------------------------------------------- */

/* Installs mpr_exit_function as the base layer's exit function and its
 * after-fork reset (process.c's constructor). */
void mpr__exit_init(void);

/* ---- thread.c ------------------------------------------------------ */

/* threading._shutdown(): waits for every non-daemon thread that
 * mpr_thread_start started in this process (but the caller). */
void mpr__threads_shutdown(void);

#endif /* MPR_PROCESS_INTERNAL_H */
