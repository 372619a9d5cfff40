/*
 * semlock.h - the SemLock core (semlock.c) and the shared-memory condition
 * pieces (condition.c): sync/'s interface to its own files and to shared/
 * (a Value's lock).
 */
#ifndef MPR_SEMLOCK_H
#define MPR_SEMLOCK_H

#include "mpr/lock.h"
#include "base/shm.h"

#include <pthread.h>

/* CPython's SemLock kinds, plus the Python class the object stands for. */
enum { MPR__LOCK = 1, MPR__RLOCK, MPR__SEM, MPR__BSEM };

/* The shared part of a semaphore: 16 bytes, no pointers. */
typedef struct {
    _Atomic uint32_t value;   /* the semaphore's count */
    _Atomic uint32_t waiters; /* processes/threads inside a blocking wait */
    uint32_t maxvalue;        /* release refuses at this value */
    uint32_t kind;            /* MPR__LOCK .. MPR__BSEM */
} mpr__semblock_t;

/* The per-process object (CPython's SemLock object). */
struct mpr_semlock_s {
    mpr__semblock_t *blk; /* in shm */
    mpr__shm_t *shm;      /* segment holding blk (one reference) */
    size_t off;           /* offset of blk in shm */
    int kind;             /* copy of blk->kind */
    int count;            /* acquisitions by this process (SemLock.count) */
    pthread_t last_tid;   /* thread of the last acquisition */
    unsigned gen;         /* fork generation count belongs to */
    _Atomic unsigned refs;
};

/*
 * Makes an object for the block at shm+off, taking a reference to shm.
 * init: 1 writes a fresh block (kind, value, maxvalue), 0 attaches to an
 * existing one.  Returns 0.  Errors: -ENOMEM.
 */
int mpr__semlock_at(mpr__shm_t *shm, size_t off, int init, int kind,
                    unsigned value, unsigned maxvalue, mpr_semlock_t **out);

/* Creates a semlock in a segment of its own. */
int mpr__semlock_new(int kind, int value, int maxvalue, mpr_semlock_t **out);

/* Appends the token of s ("S<off>@<shm token>") to buf. */
void mpr__semlock_token(const mpr_semlock_t *s, char *buf, size_t size);

/* Rebuilds from a token; *end points past it. */
int mpr__semlock_from_token(const char *tok, const char **end,
                            mpr_semlock_t **out);

/*
 * The handle of an object made of a semlock and a shared segment (Event,
 * Barrier): "<tag><semlock token>|<shm token>", as a str object.
 * Returns 0 and a new reference in *out.  Errors: -ENOMEM.
 */
int mpr__lockshm_reduce(char tag, const mpr_semlock_t *lk,
                        const mpr__shm_t *shm, mpr_obj_t **out);

/*
 * Parses such a handle: the semlock and the segment, which must hold at
 * least min_size bytes.  Returns 0 with both in *lk and *shm (the caller
 * owns them).  Errors: MPR_EVALUE "bad shared handle"; -errno attaching.
 */
int mpr__lockshm_rebuild(char tag, const mpr_obj_t *tok, size_t min_size,
                         mpr_semlock_t **lk, mpr__shm_t **shm);

/* Condition tokens (condition.c), used by event.c and barrier.c. */
struct mpr_cond_s;
int mpr__cond_token(const struct mpr_cond_s *c, char *buf, size_t size);
int mpr__cond_from_token(const char *tok, const char **end,
                         struct mpr_cond_s **out);

/*
 * A broadcast-only condition in shared memory (condition.c), for Event
 * and Barrier, which only ever notify_all: waiters sleep on seq, which
 * every broadcast bumps.  Observably the same as CPython's Condition for
 * them, without the per-sleeper hand-shake notify(n) needs.
 */
typedef struct {
    _Atomic uint32_t seq;     /* bumped by each broadcast */
    _Atomic uint32_t waiters; /* sleepers (skip the wake when 0) */
} mpr__bcast_t;

/* A broadcast in two steps: bump with the lock held, wake after letting
 * it go (the sleepers then find it free instead of blocking on it). */
void mpr__bcast_bump(mpr__bcast_t *bc);
void mpr__bcast_wake(mpr__bcast_t *bc);

/*
 * Condition.wait on bc: releases every level of lock (held by the caller),
 * sleeps until the next broadcast or the deadline, takes lock back.
 * Returns: 1 after a broadcast, 0 when the deadline passed.
 */
int mpr__bcast_wait(mpr__bcast_t *bc, mpr_semlock_t *lock,
                    const mpr_deadline_t *d);

/*
 * Condition.wait_for(pred, timeout) on bc (lock held by the caller).
 * Returns: pred's last value.  Errors: -EINVAL for a NaN or huge timeout
 * when a wait is needed; a negative value pred returned.
 */
int mpr__bcast_wait_for(mpr__bcast_t *bc, mpr_semlock_t *lock,
                        int (*pred)(void *), void *arg, double timeout);

#endif /* MPR_SEMLOCK_H */
