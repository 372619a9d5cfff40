/*
 * process.h - Process: a child process running a C function, with the
 * lifecycle, naming, daemon rules, reprs, exit codes and start methods
 * (fork, spawn, forkserver) of CPython 3.11's multiprocessing.Process.
 *
 * Targets.  A target is `int fn(mpr_obj_t *args, mpr_obj_t *kwargs)`; a
 * subclass's run override is `int fn(mpr_process_t *self)`.  fork runs the
 * function through its pointer; spawn and forkserver children are fresh
 * copies of the program (/proc/self/exe) and find it by name, so every
 * target and run override a spawn or forkserver child may run must be
 * registered: write MPR_TARGET(fn) once at file scope after fn (a
 * constructor registers it before main), or call mpr_target_register()
 * before mpr_main().  Arguments travel to such children as a pickle of the
 * args tuple and kwargs dict, so they must be mpr_obj_t values; with fork
 * they are simply inherited.  Primitives go as handle values
 * (mpr_obj_handle: a Lock, Queue, Connection, Value, proxy...), anywhere
 * in args or kwargs: the start method's reduction carries each one (a
 * Connection's descriptor is passed at the same number, a SemLock goes by
 * name...) and the child finds the rebuilt primitive at the same place,
 * as CPython pickles them with the spawning Popen set.  A bare descriptor
 * goes in pass_fds.
 *
 * Start methods.  fork forks.  spawn forks and execs /proc/self/exe with
 * "--mpr-spawn R W": R is the pipe the description comes through (and,
 * afterwards, the parent sentinel), W the child's end of the sentinel.
 * forkserver starts one server per process on first use (an exec of the
 * program that serves from a constructor, before main()); each start
 * sends it the description pipe and a status pipe (SCM_RIGHTS), it forks
 * the child and writes back the pid, then the exit code.  The exit handler
 * ends and reaps the server.
 *
 * Return values follow the conventions of <mpr.h>: 0 (or a result >= 0) on
 * success, a negative MPR_E code with CPython's message (mpr_last_error_detail)
 * on error.  Process objects are owned by the caller (mpr_process_new /
 * mpr_process_free); the library keeps its own reference to a started
 * child until it has been reaped (joined, seen dead by is_alive, or by
 * mpr_active_children), as CPython's _children set does.
 */
#ifndef MPR_PROCESS_H
#define MPR_PROCESS_H

#include "common.h"
#include "obj.h"

#include <stddef.h>
#include <sys/types.h>

typedef struct mpr_process_s mpr_process_t;

/*
 * A target: Python's target(*args, **kwargs).  args is a tuple and kwargs
 * a dict (both borrowed, never NULL).  Return 0 (or any value >= 0: the
 * return value is ignored, as Python ignores the target's) for a normal
 * end, exitcode 0.  A negative MPR_E code is an uncaught exception: the
 * child writes "Process NAME:", "Traceback (most recent call last):" and
 * the exception line (mpr_err_format) to stderr and ends with exitcode 1.
 * Use mpr_process_exit(n) for sys.exit(n).
 */
typedef int (*mpr_target_t)(mpr_obj_t *args, mpr_obj_t *kwargs);

/* A subclass's run() override; self is the process (in the child, its own
 * copy: mpr_current_process()).  Return values as for mpr_target_t. */
typedef int (*mpr_run_t)(mpr_process_t *self);

/* Python's True / False / None for daemon (zero means None: inherit). */
typedef enum {
    MPR_INHERIT = 0, /* daemon=None: the creating process's flag */
    MPR_TRUE = 1,    /* daemon=True */
    MPR_FALSE = -1,  /* daemon=False */
} mpr_tristate_t;

/*
 * Options of mpr_process_new, Process(group=None, target=None, name=None,
 * args=(), kwargs={}, *, daemon=None).
 * zero-initialise; fields may be added.
 */
typedef struct {
    mpr_target_t target;     /* target=None: run() does nothing */
    const mpr_obj_t *args;   /* args=(): NULL is (); any iterable is
                                converted with tuple() */
    const mpr_obj_t *kwargs; /* kwargs={}: NULL is {}; copied with dict() */
    const char *name;        /* name=None: NULL or "" gives the default
                                "<Type>-N1:N2..." name; bytes, any
                                encoding (not UTF-8 shows as \udcXX) */
    mpr_tristate_t daemon;   /* daemon=None */
    const char *context;     /* NULL: the default context's Process (start
                                method chosen at start()); "fork", "spawn",
                                "forkserver": get_context(m).Process, type
                                ForkProcess / SpawnProcess /
                                ForkServerProcess */
    const char *type_name;   /* subclass: type(self).__name__ ("MyProcess");
                                NULL: the context's class name */
    mpr_run_t run;           /* subclass run() override; NULL: Process.run,
                                which calls target(*args, **kwargs) */
    const int *pass_fds;     /* descriptors the child needs, e.g. a
                                Connection's fileno (CPython's DupFd):
                                fork inherits every descriptor anyway;
                                spawn and forkserver children get these at
                                the same numbers, all others closed */
    size_t n_pass_fds;       /* how many (at most MPR_PROCESS_MAX_FDS) */
} mpr_process_options_t;

/* Most descriptors one process may pass to its child. */
#define MPR_PROCESS_MAX_FDS 16

/* ---- registry of functions spawn/forkserver children can run ----------- */

/*
 * Registers fn (a target or a run override) under name, so that spawn and
 * forkserver children, which look it up by name, can run it.  Call before
 * mpr_main(), in the same order in every run of the program.  Registering
 * the same pair again is a no-op.
 * Returns: 0.
 * Errors: MPR_EVALUE when name is already registered to another function;
 * -ENOMEM.
 */
MPR_EXTERN int mpr_target_register(const char *name, void (*fn)(void));

/*
 * Records an exception for a target or run override to return, as
 * `raise ValueError('boom')` would: `return mpr_target_error(MPR_EVALUE,
 * "boom");`.  The child then reports "ValueError: boom" and exits 1.
 * Returns: code.
 */
MPR_EXTERN int mpr_target_error(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Registers fn under its own name before main() runs. */
#define MPR_TARGET(fn)                                                         \
    __attribute__((constructor)) static void mpr__register_##fn(void)          \
    {                                                                          \
        mpr_target_register(#fn, (void (*)(void))(fn));                        \
    }

/* ---- Process ----------------------------------------------------------- */

/*
 * Creates a process object in state "initial": Process(...).  Every call
 * takes the next number of this process's counter, a failing one too (as
 * CPython does when tuple(args) raises).
 * Returns: 0 and the object in *out.
 * Errors: MPR_ETYPE when args or kwargs cannot be converted ("'int' object
 * is not iterable", "cannot convert dictionary update sequence element #0
 * to a sequence"); MPR_EVALUE "cannot find context for 'x'" for an unknown
 * context; -ENOMEM.
 * Ownership: args and kwargs are borrowed (converted and kept); free the
 * object with mpr_process_free().
 */
MPR_EXTERN int mpr_process_new(mpr_process_t **out,
                               const mpr_process_options_t *opts);

/*
 * Drops the caller's reference (NULL is a no-op).  A child still running
 * is not affected: the library keeps the object until the child is reaped,
 * and the exit handler still terminates or joins it.
 */
MPR_EXTERN void mpr_process_free(mpr_process_t *p);

/*
 * start(): flushes stdout and stderr, starts the child with the process's
 * start method (the default context's, which this fixes, unless the object
 * belongs to a concrete context) and adds it to the active children.  The
 * first start registers the exit handler (mpr_exit_function) with atexit.
 * Returns: 0.
 * Errors (in CPython's order): MPR_EVALUE "process object is closed";
 * MPR_EASSERT "cannot start a process twice", "can only start a process
 * object created by current process", "daemonic processes are not allowed
 * to have children"; MPR_EPICKLE (spawn, forkserver) when the target or
 * run override is not registered, or args cannot be pickled (the object
 * stays initial); OS errors (-EAGAIN, -ENOMEM...) from fork/exec.
 */
MPR_EXTERN int mpr_process_start(mpr_process_t *p);

/*
 * run(): runs the run override, or target(*args, **kwargs), in the calling
 * process.
 * Returns: what the function returned (0 without a target).
 * Errors: MPR_EATTR "'Process' object has no attribute '_target'" once the
 * object was started (CPython drops target and args at start).
 */
MPR_EXTERN int mpr_process_run(mpr_process_t *p);

/*
 * join(timeout): waits until the child ends, or timeout seconds
 * (MPR_TIMEOUT_NONE: for ever; <= 0: just look).  Reaps it when it ended.
 * Returns: 0 whether or not the child ended (join returns None); look at
 * mpr_process_exitcode.
 * Errors: MPR_EVALUE "process object is closed"; MPR_EASSERT "can only
 * join a child process" (the main process, a sibling, the parent's
 * object), "can only join a started process".
 */
MPR_EXTERN int mpr_process_join(mpr_process_t *p, double timeout);

/*
 * is_alive().  Reaps a child that ended.
 * Returns: 1 or 0 (1 for the current process).
 * Errors: MPR_EVALUE "process object is closed"; MPR_EASSERT "can only test
 * a child process".
 */
MPR_EXTERN int mpr_process_is_alive(mpr_process_t *p);

/*
 * terminate() sends SIGTERM, kill() SIGKILL, unless the child was already
 * seen to end.
 * Returns: 0.
 * Errors: MPR_EVALUE "process object is closed"; MPR_EATTR "'NoneType'
 * object has no attribute 'terminate'" (or 'kill') before start.
 */
MPR_EXTERN int mpr_process_terminate(mpr_process_t *p);
MPR_EXTERN int mpr_process_kill(mpr_process_t *p);

/*
 * close(): releases the sentinel; the object then only answers name,
 * daemon, authkey, repr and close.  Allowed before start; a no-op when
 * closed already and on the main process.
 * Returns: 0.
 * Errors: MPR_EVALUE "Cannot close a process while it is still running.
 * You should first call join() or terminate()."
 */
MPR_EXTERN int mpr_process_close(mpr_process_t *p);

/* name: borrowed, valid until the name changes or the object is freed. */
MPR_EXTERN const char *mpr_process_name(const mpr_process_t *p);

/* name = value (copied).  Returns 0.  Errors: -ENOMEM. */
MPR_EXTERN int mpr_process_set_name(mpr_process_t *p, const char *name);

/* daemon.  Returns: 1 or 0. */
MPR_EXTERN int mpr_process_daemon(const mpr_process_t *p);

/*
 * daemon = value.
 * Returns: 0.  Errors: MPR_EASSERT "process has already started".
 */
MPR_EXTERN int mpr_process_set_daemon(mpr_process_t *p, int daemonic);

/*
 * pid / ident (the same value).
 * Returns: 1 with the pid in *pid; 0 for None (not started).
 * Errors: MPR_EVALUE "process object is closed".
 */
MPR_EXTERN int mpr_process_pid(mpr_process_t *p, pid_t *pid);
MPR_EXTERN int mpr_process_ident(mpr_process_t *p, pid_t *pid);

/*
 * exitcode: polls the child (and reaps it when it ended).
 * Returns: 1 with the code in *code (N, or -N for signal N); 0 for None
 * (not started, or still running).
 * Errors: MPR_EVALUE "process object is closed".
 */
MPR_EXTERN int mpr_process_exitcode(mpr_process_t *p, int *code);

/*
 * sentinel: a descriptor that becomes readable when the child ends.
 * Returns: the descriptor (owned by the object).
 * Errors: MPR_EVALUE "process object is closed", "process not started".
 */
MPR_EXTERN int mpr_process_sentinel(mpr_process_t *p);

/* authkey: borrowed bytes and their count in *len. */
MPR_EXTERN const unsigned char *mpr_process_authkey(const mpr_process_t *p,
                                                    size_t *len);

/* authkey = key (copied).  Returns 0.  Errors: -ENOMEM. */
MPR_EXTERN int mpr_process_set_authkey(mpr_process_t *p, const void *key,
                                       size_t len);

/* The args tuple and kwargs dict (borrowed; NULL once started). */
MPR_EXTERN mpr_obj_t *mpr_process_args(const mpr_process_t *p);
MPR_EXTERN mpr_obj_t *mpr_process_kwargs(const mpr_process_t *p);

/* type(p).__name__: "Process", "MyProcess", "_MainProcess"...  Static or
 * borrowed. */
MPR_EXTERN const char *mpr_process_type_name(const mpr_process_t *p);

/*
 * repr(p), byte for byte as CPython 3.11 prints it in every state
 * ("<Process name='Process-1' pid=4242 parent=4240 stopped
 * exitcode=-SIGTERM daemon>").  Polls the child like CPython's repr does.
 * Returns: 0, a NUL-terminated buffer in *out (free with mpr_free) and its
 * length in *len (may be NULL).  Errors: -ENOMEM.
 */
MPR_EXTERN int mpr_process_repr(mpr_process_t *p, char **out, size_t *len);

/*
 * sys.exit(code) inside a process: in a child, runs what the end of a
 * target runs (exit handler for its own children, flush of stdout and
 * stderr) and ends it with code & 0xff; in the main program, exit(code).
 * Never returns.
 */
MPR_EXTERN _Noreturn void mpr_process_exit(int code);

/*
 * sys.exit(message) with a str: writes message and a newline to stderr,
 * then ends the process like mpr_process_exit(1).  Never returns.
 */
MPR_EXTERN _Noreturn void mpr_process_exit_msg(const char *message);

/*
 * sys.exit(code) with any value, as _bootstrap (and, in the main program,
 * the interpreter) reads SystemExit's code: NULL or None ends the process
 * like mpr_process_exit(0); an int or a bool like mpr_process_exit(code);
 * any other value writes str(code) (a str's own text, the repr of the
 * others, as str() gives for these types) and a newline to stderr and
 * ends like mpr_process_exit(1).  An int outside C's int range is
 * exitcode 1 in a child (CPython's os._exit(code) raises OverflowError)
 * and its low 32 bits in the main program (what the interpreter passes to
 * exit()).  Never returns.
 */
MPR_EXTERN _Noreturn void mpr_process_exit_obj(const mpr_obj_t *code);

/* ---- threads of a process ---------------------------------------------- */

/*
 * threading.Thread(target=fn, args=(arg,), daemon=daemon).start(): runs
 * fn(arg) in a new thread of the calling process, and returns once it
 * runs.  The process waits for its non-daemon threads when it ends, as
 * threading._shutdown does: a child after its target, the exit handler
 * and the report of an error (the end of _bootstrap, whatever ended the
 * target: a return, an error, mpr_process_exit...), the main program at
 * exit() or the return of main, before the exit handler (the interpreter
 * waits for them before its atexit callbacks).  A daemon thread is not
 * waited for: the process ends under it.  A forked child has none of its
 * parent's threads to wait for (fork copies only the calling thread).
 * Returns: 0.
 * Errors: -EAGAIN (and the other errors of pthread_create); -ENOMEM.
 */
MPR_EXTERN int mpr_thread_start(void (*fn)(void *arg), void *arg, int daemon);

/* ---- module functions ---------------------------------------------------- */

/* current_process(): the object of the calling process (borrowed). */
MPR_EXTERN mpr_process_t *mpr_current_process(void);

/* parent_process(): the parent's object in a child, NULL (None) in the
 * main process (borrowed).  Its is_alive() and join() watch the parent. */
MPR_EXTERN mpr_process_t *mpr_parent_process(void);

/*
 * active_children(): reaps children that ended, then lists the others in
 * start order.
 * Returns: their number, with an array in *list (free with mpr_free; the
 * objects are borrowed: valid while their owner keeps them).  list may be
 * NULL to get only the count.
 * Errors: -ENOMEM.
 */
MPR_EXTERN int mpr_active_children(mpr_process_t ***list);

/*
 * The handler CPython's multiprocessing.util registers with atexit: runs
 * finalizers of priority >= 0, terminates daemonic children, joins every
 * child, runs the other finalizers, and ends this process's forkserver.
 * Runs once; later calls do nothing.  Registered with atexit by the first
 * start() (or by any primitive through the library), and run at the end
 * of every child.
 */
MPR_EXTERN void mpr_exit_function(void);

#endif /* MPR_PROCESS_H */
