/*
 * condition.h - multiprocessing.Condition, process-shared, with CPython
 * 3.11's algorithm (synchronize.Condition: a lock plus three semaphores,
 * sleeping, woken and wait), so notify(n), timeouts and the waiter count
 * in the repr behave as CPython's do.
 */
#ifndef MPR_CONDITION_H
#define MPR_CONDITION_H

#include "common.h"
#include "lock.h"
#include "obj.h"

#include <stddef.h>

typedef struct mpr_cond_s mpr_cond_t;

/* A predicate for wait_for: returns its value (>= 0; 0 is false), or a
 * negative error code that wait_for passes on. */
typedef int (*mpr_predicate_t)(void *arg);

/*
 * Condition(lock=None): lock NULL makes a new RLock; otherwise the
 * condition keeps a reference to lock (a Lock or an RLock).
 * Returns: 0 and the object in *out.  Errors: -errno (shared mapping).
 */
MPR_EXTERN int mpr_cond_new(mpr_cond_t **out, mpr_semlock_t *lock);

/* Drops this process's reference (NULL is a no-op). */
MPR_EXTERN void mpr_cond_free(mpr_cond_t *c);

/* The underlying lock (borrowed). */
MPR_EXTERN mpr_semlock_t *mpr_cond_get_lock(mpr_cond_t *c);

/* acquire/release/__enter__/__exit__ of the underlying lock (lock.h). */
MPR_EXTERN int mpr_cond_acquire(mpr_cond_t *c, int block, double timeout);
MPR_EXTERN int mpr_cond_release(mpr_cond_t *c);
MPR_EXTERN int mpr_cond_enter(mpr_cond_t *c);
MPR_EXTERN int mpr_cond_exit(mpr_cond_t *c);

/*
 * wait(timeout=None): releases the lock (every level of an RLock), waits
 * for a notify or the timeout (MPR_TIMEOUT_NONE: none; negative: 0), and
 * takes the lock back.
 * Returns: 1 when notified, 0 on timeout.
 * Errors: MPR_EASSERT "must acquire() condition before using wait()";
 * -EINVAL for a NaN or huge timeout (as acquire).
 */
MPR_EXTERN int mpr_cond_wait(mpr_cond_t *c, double timeout);

/*
 * wait_for(predicate, timeout=None): calls pred first, and waits again
 * until it is true or the timeout has passed (the lock need not be held
 * when pred is already true, as in CPython).
 * Returns: pred's last value.
 * Errors: those of wait; a negative value pred returned.
 */
MPR_EXTERN int mpr_cond_wait_for(mpr_cond_t *c, mpr_predicate_t pred, void *arg,
                                 double timeout);

/*
 * notify(n=1) wakes up to n waiters and waits until they have woken;
 * notify_all() is notify(sys.maxsize).
 * Returns: 0.  Errors: MPR_EASSERT "lock is not owned".
 */
MPR_EXTERN int mpr_cond_notify(mpr_cond_t *c, int n);
MPR_EXTERN int mpr_cond_notify_all(mpr_cond_t *c);

/* repr: "<Condition(<RLock(None, 0)>, 0)>" (lock repr, waiters).
 * Returns 0 and a buffer in *out (mpr_free).  Errors: -ENOMEM. */
MPR_EXTERN int mpr_cond_repr(mpr_cond_t *c, char **out, size_t *len);

/* Token for a process started later (see mpr_semlock_reduce), and back. */
MPR_EXTERN int mpr_cond_reduce(const mpr_cond_t *c, mpr_obj_t **out);
MPR_EXTERN int mpr_cond_rebuild(mpr_cond_t **out, const mpr_obj_t *tok);

#endif /* MPR_CONDITION_H */
