/*
 * lock.h - Lock, RLock, Semaphore and BoundedSemaphore, process-shared:
 * CPython 3.11's multiprocessing.synchronize classes over its SemLock.
 *
 * The four share one object type, as the four Python classes share
 * _multiprocessing.SemLock: mpr_semlock_t, with the aliases mpr_lock_t,
 * mpr_rlock_t, mpr_sem_t and mpr_bsem_t.  An object is valid in the
 * process that made it and in every process forked from it afterwards; a
 * process started with spawn or forkserver gets it through a token
 * (mpr_semlock_reduce / mpr_semlock_rebuild), as CPython pickles a SemLock
 * for such a child.  The semaphore itself lives in MAP_SHARED memory;
 * the per-process acquisition count (RLock recursion, repr owner) lives
 * in the object, as CPython's does, and restarts at 0 in a forked child.
 *
 * Blocking calls take Python's (block, timeout) pair: timeout
 * MPR_TIMEOUT_NONE is None; a negative timeout counts as 0 (try once);
 * block=0 ignores the timeout.  A timeout is a result (0), not an error.
 * Reprs come back in *out (NUL-terminated, free with mpr_free), their
 * length in *len (len may be NULL).
 */
#ifndef MPR_LOCK_H
#define MPR_LOCK_H

#include "common.h"
#include "obj.h"
#include "timeout.h"

#include <stddef.h>

typedef struct mpr_semlock_s mpr_semlock_t;
typedef mpr_semlock_t mpr_lock_t;  /* multiprocessing.Lock */
typedef mpr_semlock_t mpr_rlock_t; /* multiprocessing.RLock */
typedef mpr_semlock_t mpr_sem_t;   /* multiprocessing.Semaphore */
typedef mpr_semlock_t mpr_bsem_t;  /* multiprocessing.BoundedSemaphore */

/* ---- constructors -------------------------------------------------------- */

/* Lock(): a free lock.  Returns 0 and the object in *out.  Errors: -errno
 * from the shared mapping (-ENOMEM, -EMFILE). */
MPR_EXTERN int mpr_lock_new(mpr_lock_t **out);

/* RLock(): a free recursive lock.  Returns and errors as mpr_lock_new. */
MPR_EXTERN int mpr_rlock_new(mpr_rlock_t **out);

/*
 * Semaphore(value=1) / BoundedSemaphore(value=1).
 * Returns: 0 and the object in *out.
 * Errors: -EINVAL (OSError "[Errno 22] Invalid argument", from sem_open in
 * CPython) for a negative value; -errno from the shared mapping.
 */
MPR_EXTERN int mpr_sem_new(mpr_sem_t **out, int value);
MPR_EXTERN int mpr_bsem_new(mpr_bsem_t **out, int value);

/* Drops this process's reference (NULL is a no-op); the shared memory
 * goes away when no process references it any more. */
MPR_EXTERN void mpr_semlock_free(mpr_semlock_t *s);

/* Takes one more reference (for objects that keep the lock, such as a
 * Condition or a Value).  Returns s. */
MPR_EXTERN mpr_semlock_t *mpr_semlock_ref(mpr_semlock_t *s);

/* ---- every kind ---------------------------------------------------------- */

/*
 * acquire(block=True, timeout=None).  An RLock held by the calling thread
 * of this process is taken again at once.  Interrupted waits resume on
 * what remains of the deadline.
 * Returns: 1 (True) when acquired, 0 (False) when not.
 * Errors: -EINVAL (OSError "[Errno 22] Invalid argument") when it has to
 * wait with a NaN timeout or one too large for a timespec, as CPython's
 * sem_timedwait refuses it.
 */
MPR_EXTERN int mpr_semlock_acquire(mpr_semlock_t *s, int block, double timeout);

/*
 * release().
 * Returns: 0.
 * Errors: MPR_EVALUE "semaphore or lock released too many times" (Lock
 * not held, BoundedSemaphore at its maximum); MPR_EASSERT "attempt to
 * release recursive lock not owned by thread" (RLock not held by the
 * calling thread of this process).  A Semaphore at 2**31-1 is MPR_EVALUE.
 */
MPR_EXTERN int mpr_semlock_release(mpr_semlock_t *s);

/* get_value(): the semaphore's current value (Lock: 1 free, 0 held). */
MPR_EXTERN int mpr_semlock_get_value(const mpr_semlock_t *s);

/* The per-process count CPython's SemLock._count() gives. */
MPR_EXTERN int mpr_semlock_count(mpr_semlock_t *s);

/* SemLock._is_mine(): 1 when held by the calling thread of this process. */
MPR_EXTERN int mpr_semlock_is_mine(mpr_semlock_t *s);

/* repr() for the object's kind: "<Lock(owner=None)>", "<RLock(MainProcess,
 * 1)>", "<Semaphore(value=3)>", "<BoundedSemaphore(value=1, maxvalue=1)>".
 * Returns 0.  Errors: -ENOMEM. */
MPR_EXTERN int mpr_semlock_repr(mpr_semlock_t *s, char **out, size_t *len);

/*
 * Reduces the object to a token (a new str reference in *out) that a
 * process started later, by any start method, passes to
 * mpr_semlock_rebuild while this process still holds the object (as
 * CPython needs the parent to keep a Lock alive until the child has
 * unpickled it).  Returns 0.  Errors: -ENOMEM.
 */
MPR_EXTERN int mpr_semlock_reduce(const mpr_semlock_t *s, mpr_obj_t **out);

/* Rebuilds an object from a token (str).  Returns 0 and a new object in
 * *out.  Errors: MPR_EVALUE "bad shared handle"; -errno (-ENOENT when the
 * holder is gone). */
MPR_EXTERN int mpr_semlock_rebuild(mpr_semlock_t **out, const mpr_obj_t *tok);

/* ---- per-class names (Python's methods; same behaviour as above) --------- */

/* mpr_lock_acquire, mpr_rlock_release, mpr_sem_enter, mpr_bsem_free...:
 * the same calls under each class's name, inline (the four types are one
 * type, so they add names, not behaviour).  __enter__ is acquire(True,
 * None); __exit__ is release(). */
#define MPR__SEMLOCK_ALIASES(obj)                                              \
    static inline int mpr_##obj##_acquire(mpr_semlock_t *s, int block,         \
                                          double timeout)                      \
    {                                                                          \
        return mpr_semlock_acquire(s, block, timeout);                         \
    }                                                                          \
    static inline int mpr_##obj##_release(mpr_semlock_t *s)                    \
    {                                                                          \
        return mpr_semlock_release(s);                                         \
    }                                                                          \
    static inline int mpr_##obj##_enter(mpr_semlock_t *s)                      \
    {                                                                          \
        return mpr_semlock_acquire(s, 1, MPR_TIMEOUT_NONE);                    \
    }                                                                          \
    static inline int mpr_##obj##_exit(mpr_semlock_t *s)                       \
    {                                                                          \
        return mpr_semlock_release(s);                                         \
    }                                                                          \
    static inline int mpr_##obj##_repr(mpr_semlock_t *s, char **out,           \
                                       size_t *len)                            \
    {                                                                          \
        return mpr_semlock_repr(s, out, len);                                  \
    }                                                                          \
    static inline void mpr_##obj##_free(mpr_semlock_t *s)                      \
    {                                                                          \
        mpr_semlock_free(s);                                                   \
    }

MPR__SEMLOCK_ALIASES(lock)
MPR__SEMLOCK_ALIASES(rlock)
MPR__SEMLOCK_ALIASES(sem)
MPR__SEMLOCK_ALIASES(bsem)

/* Semaphore.get_value() / BoundedSemaphore.get_value(). */
MPR_EXTERN int mpr_sem_get_value(const mpr_sem_t *s);
MPR_EXTERN int mpr_bsem_get_value(const mpr_bsem_t *s);

#endif /* MPR_LOCK_H */
