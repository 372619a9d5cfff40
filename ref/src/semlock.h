/*
 * semlock.h - internal: the SemLock core shared by lock.c, rlock.c,
 * semaphore.c, condition.c, event.c, barrier.c and sharedctypes.c.
 */
#ifndef MPR_SEMLOCK_H
#define MPR_SEMLOCK_H

#include "mpr/lock.h"
#include "shm.h"

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

/* The owner name the reprs print for the calling thread: the current
 * process's name, plus "|<thread name>" outside the main thread. */
void mpr__owner_name(char *buf, size_t size);

/* repr helpers of lock.c / rlock.c / semaphore.c. */
int mpr__lock_repr(mpr_semlock_t *s, char **out, size_t *len);
int mpr__rlock_repr(mpr_semlock_t *s, char **out, size_t *len);
int mpr__sem_repr(mpr_semlock_t *s, char **out, size_t *len);

/* asprintf into a buffer freed with mpr_free; returns 0 or -ENOMEM. */
int mpr__sprintf(char **out, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Condition tokens (condition.c), used by event.c and barrier.c. */
struct mpr_cond_s;
int mpr__cond_token(struct mpr_cond_s *c, char *buf, size_t size);
int mpr__cond_from_token(const char *tok, const char **end,
                         struct mpr_cond_s **out);

#endif /* MPR_SEMLOCK_H */
