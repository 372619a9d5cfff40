/*
 * barrier.h - multiprocessing.Barrier, process-shared, as CPython 3.11's
 * synchronize.Barrier (threading.Barrier's algorithm over an RLock, a
 * shared broadcast condition and two shared ints: state and count).
 */
#ifndef MPR_BARRIER_H
#define MPR_BARRIER_H

#include "common.h"
#include "obj.h"

#include <stddef.h>

typedef struct mpr_barrier_s mpr_barrier_t;

/* The action: runs in the last process to arrive, before any is released.
 * Return 0, or a negative error code (an exception: the barrier breaks and
 * that process's wait returns the code). */
typedef int (*mpr_barrier_action_t)(void *arg);

/*
 * Options of Barrier(parties, action=None, timeout=None).
 * zero-initialise; fields may be added.
 */
typedef struct {
    mpr_barrier_action_t action; /* action=None */
    void *action_arg;            /* passed to action */
    int has_timeout;             /* 0: timeout=None */
    double timeout;              /* default timeout of wait() when set */
} mpr_barrier_options_t;

/*
 * Barrier(parties, ...).  parties <= 0 is accepted, as in CPython 3.11
 * (such a barrier never trips; wait only ends by timeout, abort or reset).
 * Returns: 0 and the object in *out.  Errors: -errno (shared mapping).
 * Ownership: opts is borrowed; the action stays valid in this process and
 * in processes forked from it.
 */
MPR_EXTERN int mpr_barrier_new(mpr_barrier_t **out, int parties,
                               const mpr_barrier_options_t *opts);

/* Drops this process's reference (NULL is a no-op). */
MPR_EXTERN void mpr_barrier_free(mpr_barrier_t *b);

/*
 * wait(timeout=None): MPR_TIMEOUT_NONE uses the constructor's timeout.
 * Returns: the arrival index, 0 .. parties-1.
 * Errors: MPR_EBROKENBARRIER (threading.BrokenBarrierError) when the
 * barrier is broken or becomes broken while waiting (abort, reset, a
 * timeout in any party, a failing action); the action's own code in the
 * party that ran it.
 */
MPR_EXTERN int mpr_barrier_wait(mpr_barrier_t *b, double timeout);

/* reset(): back to the initial state; current waiters get
 * MPR_EBROKENBARRIER.  abort(): broken until reset.  Return 0. */
MPR_EXTERN int mpr_barrier_reset(mpr_barrier_t *b);
MPR_EXTERN int mpr_barrier_abort(mpr_barrier_t *b);

/* Attributes parties, n_waiting, broken (1/0). */
MPR_EXTERN int mpr_barrier_parties(mpr_barrier_t *b);
MPR_EXTERN int mpr_barrier_n_waiting(mpr_barrier_t *b);
MPR_EXTERN int mpr_barrier_broken(mpr_barrier_t *b);

/* repr: "<multiprocessing.synchronize.Barrier at 0x...: waiters=0/3>" or
 * "<multiprocessing.synchronize.Barrier at 0x...: broken>".
 * Returns 0 and a buffer in *out (mpr_free).  Errors: -ENOMEM. */
MPR_EXTERN int mpr_barrier_repr(mpr_barrier_t *b, char **out, size_t *len);

/* Token for a process started later (see mpr_semlock_reduce), and back;
 * the rebuilt object runs opts' action (NULL: none). */
MPR_EXTERN int mpr_barrier_reduce(const mpr_barrier_t *b, mpr_obj_t **out);
MPR_EXTERN int mpr_barrier_rebuild(mpr_barrier_t **out, const mpr_obj_t *tok,
                                   const mpr_barrier_options_t *opts);

#endif /* MPR_BARRIER_H */
