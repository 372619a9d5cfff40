/*
 * condition.c - multiprocessing.Condition, CPython 3.11
 * synchronize.Condition transcribed: notify wakes sleepers through
 * wait_semaphore and then waits on woken_count until each has woken, so a
 * timed-out waiter leaves no residue.
 *
 * Shared state: one segment of three semaphore blocks (no pointers):
 *   [0] sleeping_count  released by each waiter before it sleeps
 *   [1] woken_count     released by each waiter when it wakes
 *   [2] wait_semaphore  released by notify, once per sleeper to wake
 * plus the lock, a separate Lock or RLock object.
 */
#include "mpr/condition.h"
#include "sync/semlock.h"
#include "base/buf.h"
#include "base/internal.h"
#include "obj/objimpl.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NSEM 3

struct mpr_cond_s {
    mpr_semlock_t *lock;
    mpr_semlock_t *sleeping;
    mpr_semlock_t *woken;
    mpr_semlock_t *waitsem;
};

static void cond_destroy(mpr_cond_t *c)
{
    mpr_semlock_free(c->lock);
    mpr_semlock_free(c->sleeping);
    mpr_semlock_free(c->woken);
    mpr_semlock_free(c->waitsem);
    free(c);
}

/* Builds the three semaphores over shm (init: fresh blocks). */
static int cond_make(mpr__shm_t *shm, int init, mpr_semlock_t *lock,
                     mpr_cond_t **out)
{
    mpr_cond_t *c = mpr__sys.calloc(1, sizeof(*c));
    mpr_semlock_t **sems[NSEM];
    int r = 0;

    if (c == NULL) {
        mpr_semlock_free(lock);
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    }
    c->lock = lock;
    sems[0] = &c->sleeping;
    sems[1] = &c->woken;
    sems[2] = &c->waitsem;
    for (int i = 0; i < NSEM && r == 0; i++)
        r = mpr__semlock_at(shm, i * sizeof(mpr__semblock_t), init, MPR__SEM, 0,
                            INT_MAX, sems[i]);
    if (r < 0) {
        cond_destroy(c);
        return r;
    }
    *out = c;
    return 0;
}

int mpr_cond_new(mpr_cond_t **out, mpr_semlock_t *lock)
{
    mpr__shm_t *shm;
    int r;

    if (lock != NULL)
        mpr_semlock_ref(lock);
    else if ((r = mpr_rlock_new(&lock)) < 0)
        return r;
    if ((r = mpr__shm_new(NSEM * sizeof(mpr__semblock_t), &shm)) < 0) {
        mpr_semlock_free(lock);
        return r;
    }
    r = cond_make(shm, 1, lock, out); /* takes lock, even on failure */
    mpr__shm_unref(shm);
    return r;
}

void mpr_cond_free(mpr_cond_t *c)
{
    if (c != NULL)
        cond_destroy(c);
}

mpr_semlock_t *mpr_cond_get_lock(mpr_cond_t *c)
{
    return c->lock;
}

int mpr_cond_acquire(mpr_cond_t *c, int block, double timeout)
{
    return mpr_semlock_acquire(c->lock, block, timeout);
}

int mpr_cond_release(mpr_cond_t *c)
{
    return mpr_semlock_release(c->lock);
}

int mpr_cond_enter(mpr_cond_t *c)
{
    return mpr_semlock_acquire(c->lock, 1, MPR_TIMEOUT_NONE);
}

int mpr_cond_exit(mpr_cond_t *c)
{
    return mpr_semlock_release(c->lock);
}

int mpr_cond_wait(mpr_cond_t *c, double timeout)
{
    int count, r;

    if (!mpr_semlock_is_mine(c->lock))
        return mpr__error(MPR_EASSERT,
                          "must acquire() condition before using wait()");
    mpr_semlock_release(c->sleeping); /* going to sleep */
    count = mpr_semlock_count(c->lock);
    for (int i = 0; i < count; i++)
        mpr_semlock_release(c->lock);
    r = mpr_semlock_acquire(c->waitsem, 1, timeout);
    /* The `finally:` part runs whatever the wait gave. */
    mpr_semlock_release(c->woken);
    for (int i = 0; i < count; i++)
        mpr_semlock_acquire(c->lock, 1, MPR_TIMEOUT_NONE);
    return r;
}

int mpr_cond_wait_for(mpr_cond_t *c, mpr_predicate_t pred, void *arg,
                      double timeout)
{
    double endtime = 0.0, waittime = MPR_TIMEOUT_NONE;
    int has_end = timeout != MPR_TIMEOUT_NONE;
    int result = pred(arg), r;

    if (result != 0)
        return result;
    if (has_end)
        endtime = mpr_monotonic() + timeout;
    while (result == 0) {
        if (has_end) {
            waittime = endtime - mpr_monotonic();
            if (waittime <= 0)
                break;
        }
        if ((r = mpr_cond_wait(c, waittime)) < 0)
            return r;
        result = pred(arg);
    }
    return result;
}

int mpr_cond_notify(mpr_cond_t *c, int n)
{
    int sleepers = 0;

    if (!mpr_semlock_is_mine(c->lock))
        return mpr__error(MPR_EASSERT, "lock is not owned");
    /* Account for waiters that timed out since the last notify: each of
     * them released both sleeping_count and woken_count. */
    while (mpr_semlock_acquire(c->woken, 0, 0) == 1)
        mpr_semlock_acquire(c->sleeping, 0, 0);
    while (sleepers < n && mpr_semlock_acquire(c->sleeping, 0, 0) == 1) {
        mpr_semlock_release(c->waitsem); /* wake up one sleeper */
        sleepers++;
    }
    if (sleepers) {
        for (int i = 0; i < sleepers; i++)
            mpr_semlock_acquire(c->woken, 1, MPR_TIMEOUT_NONE);
        /* Rezero wait_semaphore in case some timeouts just happened. */
        while (mpr_semlock_acquire(c->waitsem, 0, 0) == 1)
            ;
    }
    return 0;
}

int mpr_cond_notify_all(mpr_cond_t *c)
{
    return mpr_cond_notify(c, INT_MAX);
}

int mpr_cond_repr(mpr_cond_t *c, char **out, size_t *len)
{
    char *lock;
    int r, waiters;

    if ((r = mpr_semlock_repr(c->lock, &lock, NULL)) < 0)
        return r;
    waiters =
        mpr_semlock_get_value(c->sleeping) - mpr_semlock_get_value(c->woken);
    r = mpr__sprintf(out, len, "<Condition(%s, %d)>", lock, waiters);
    free(lock);
    return r;
}

/* Token: "C" + lock token + "|" + segment token. */
int mpr__cond_token(const mpr_cond_t *c, char *buf, size_t size)
{
    char lock[128], seg[96];

    mpr__semlock_token(c->lock, lock, sizeof(lock));
    mpr__shm_token(c->sleeping->shm, seg, sizeof(seg));
    return snprintf(buf, size, "C%s|%s", lock, seg);
}

int mpr__cond_from_token(const char *tok, const char **end, mpr_cond_t **out)
{
    mpr_semlock_t *lock;
    mpr__shm_t *shm;
    int r;

    if (*tok != 'C')
        return mpr__error(MPR_EVALUE, "bad shared handle");
    if ((r = mpr__semlock_from_token(tok + 1, &tok, &lock)) < 0)
        return r;
    if (*tok != '|') {
        mpr_semlock_free(lock);
        return mpr__error(MPR_EVALUE, "bad shared handle");
    }
    if ((r = mpr__shm_attach(tok + 1, end, &shm)) < 0) {
        mpr_semlock_free(lock);
        return r;
    }
    if (shm->size < NSEM * sizeof(mpr__semblock_t)) {
        mpr_semlock_free(lock);
        r = mpr__error(MPR_EVALUE, "bad shared handle");
    } else {
        r = cond_make(shm, 0, lock, out);
    }
    mpr__shm_unref(shm);
    return r;
}

int mpr_cond_reduce(const mpr_cond_t *c, mpr_obj_t **out)
{
    char buf[256];

    mpr__cond_token(c, buf, sizeof(buf));
    if ((*out = mpr_obj_str(buf)) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    return 0;
}

int mpr_cond_rebuild(mpr_cond_t **out, const mpr_obj_t *tok)
{
    const char *end;
    int r;

    if (mpr_obj_type(tok) != MPR_OBJ_STR)
        return mpr__error(MPR_EVALUE, "bad shared handle");
    r = mpr__cond_from_token(mpr_obj_str_utf8(tok, NULL), &end, out);
    if (r == 0 && *end != '\0') {
        mpr_cond_free(*out);
        *out = NULL;
        return mpr__error(MPR_EVALUE, "bad shared handle");
    }
    return r;
}

/* ---- broadcast-only condition (Event, Barrier) -------------------------- */

void mpr__bcast_bump(mpr__bcast_t *bc)
{
    atomic_fetch_add(&bc->seq, 1);
}

void mpr__bcast_wake(mpr__bcast_t *bc)
{
    /* A sleeper raises waiters before it checks seq; this reads waiters
     * after the bump: one of the two sees the other (seq_cst). */
    if (atomic_load(&bc->waiters) > 0)
        mpr__futex_wake(&bc->seq, INT_MAX);
}

int mpr__bcast_wait(mpr__bcast_t *bc, mpr_semlock_t *lock,
                    const mpr_deadline_t *d)
{
    /* seq is read before the lock is let go: a broadcast after that point
     * changes it, and the futex wait then returns at once. */
    uint32_t seq = atomic_load(&bc->seq);
    int count = mpr_semlock_count(lock), woken = 0;
    struct timespec rel;

    for (int i = 0; i < count; i++)
        mpr_semlock_release(lock);
    atomic_fetch_add(&bc->waiters, 1);
    for (;;) {
        if (atomic_load(&bc->seq) != seq) {
            woken = 1;
            break;
        }
        if (!mpr_deadline_remaining(d, &rel))
            break;
        mpr__futex_wait(&bc->seq, seq, d->infinite ? NULL : &rel);
    }
    atomic_fetch_sub(&bc->waiters, 1);
    for (int i = 0; i < count; i++)
        mpr_semlock_acquire(lock, 1, MPR_TIMEOUT_NONE);
    return woken;
}

int mpr__bcast_wait_for(mpr__bcast_t *bc, mpr_semlock_t *lock,
                        int (*pred)(void *), void *arg, double timeout)
{
    mpr_deadline_t d;
    int result = pred(arg), r;

    if (result != 0)
        return result;
    if ((r = mpr_deadline_init(&d, 1, timeout)) < 0)
        return r;
    while (result == 0) {
        if (!d.infinite && mpr_deadline_seconds(&d) <= 0)
            break;
        mpr__bcast_wait(bc, lock, &d);
        result = pred(arg);
    }
    return result;
}

/* ---- as a handle value (obj.h): what obj/ and the process layer use ---- */

static const char *cond_type_name(const void *p)
{
    (void)p;
    return "Condition";
}

static int cond_repr_h(void *p, char **out, size_t *len)
{
    return mpr_cond_repr(p, out, len);
}

static int cond_reduce_h(const void *p, mpr_obj_t **tok)
{
    return mpr_cond_reduce(p, tok);
}

static int cond_rebuild_h(const mpr_obj_t *tok, void **out)
{
    mpr_cond_t *o = NULL;
    int rc = mpr_cond_rebuild(&o, tok);

    *out = o;
    return rc;
}

static void cond_free_h(void *p)
{
    mpr_cond_free(p);
}

MPR__HANDLE_INIT static void cond_handle_init(void)
{
    static const mpr__handle_ops_t ops = {
        .name = "Condition",
        .type_name = cond_type_name,
        .repr = cond_repr_h,
        .reduce = cond_reduce_h,
        .rebuild = cond_rebuild_h,
        .free = cond_free_h,
    };
    mpr__handle_register(MPR_HANDLE_COND, &ops);
}
