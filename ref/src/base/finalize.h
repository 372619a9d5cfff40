/*
 * finalize.h - multiprocessing.util's registries: util.Finalize (what runs
 * at exit, and when), the atexit hook that runs them (what importing util
 * does), and util.register_after_fork (what a new Process's bootstrap
 * runs).  In the base layer so that Queue, Pool and Manager reach them
 * without knowing about Process; the process layer installs its exit
 * function (which also joins children) over the plain one here.
 */
#ifndef MPR_BASE_FINALIZE_H
#define MPR_BASE_FINALIZE_H

/*
 * What importing multiprocessing.util does: registers the exit handler
 * with atexit (once per process).  Every primitive whose CPython
 * counterpart imports util (Lock, Queue, Value, Pool, Manager...) calls
 * this when it is created, so atexit ordering matches CPython's.  At exit
 * the handler flushes stdout and stderr, then runs the exit function
 * mpr__finalize_set_exit installed, or without one every finalizer (those
 * of priority >= 0 first, then the others).
 */
void mpr__finalize_init(void);

/* Installs the exit function (util._exit_function), which must run the
 * finalizers itself (mpr__finalize_run_all).  The process layer's. */
void mpr__finalize_set_exit(void (*fn)(void));

/*
 * util.Finalize(obj, fn, args, exitpriority): fn(arg) runs at exit, those
 * of priority >= 0 before children are joined (highest first), the others
 * after.  A finalizer may also be run early or cancelled through its
 * handle (run once at most).  Cleared in every child.
 * Returns: a handle > 0.  Errors: -ENOMEM.
 */
long mpr__finalize_register(int priority, void (*fn)(void *), void *arg);

/* Runs the finalizer now (once) and forgets it. */
void mpr__finalize_run(long handle);

/* Forgets the finalizer without running it. */
void mpr__finalize_cancel(long handle);

/* Runs finalizers with priority >= minpriority (all when INT_MIN),
 * util._run_finalizers. */
void mpr__finalize_run_all(int minpriority);

/*
 * util.register_after_fork: fn runs in every new Process's child, before
 * its target (registration order; registering the same fn twice runs it
 * once).  For the library's own few (at most 8).
 */
void mpr__after_fork_register(void (*fn)(void));

/* In a new Process's child: drops every finalizer (the parent's), then
 * runs the after-fork functions (util._run_after_forkers). */
void mpr__after_fork_run(void);

#endif /* MPR_BASE_FINALIZE_H */
