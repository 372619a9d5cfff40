/*
 * event.c - multiprocessing.Event (CPython 3.11 synchronize.Event): a
 * flag guarded by a Lock, with waiters woken by set().  CPython builds it
 * from a Condition(Lock()) and a Semaphore(0); it only ever calls
 * notify_all, so a broadcast-only condition (condition.c) behaves the
 * same here and costs one futex word.
 *
 * Shared state (struct shared, a segment of its own):
 *   bc    broadcast condition: seq bumped by set(), number of sleepers
 *   flag  1 set, 0 unset (written with the lock held)
 * plus the Lock, a separate object.
 */
#include "mpr/event.h"
#include "sync/semlock.h"
#include "base/buf.h"
#include "base/internal.h"
#include "obj/objimpl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

struct shared {
    mpr__bcast_t bc;
    _Atomic uint32_t flag;
};

struct mpr_event_s {
    mpr_semlock_t *lock;
    mpr__shm_t *shm;
    struct shared *sh;
};

/* Takes over lock and shm (frees both on failure). */
static int event_make(mpr_semlock_t *lock, mpr__shm_t *shm, mpr_event_t **out)
{
    mpr_event_t *e = mpr__sys.calloc(1, sizeof(*e));

    if (e == NULL) {
        mpr_semlock_free(lock);
        mpr__shm_unref(shm);
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    }
    e->lock = lock;
    e->shm = shm;
    e->sh = shm->base;
    *out = e;
    return 0;
}

int mpr_event_new(mpr_event_t **out)
{
    mpr_semlock_t *lock;
    mpr__shm_t *shm;
    int r;

    if ((r = mpr_lock_new(&lock)) < 0)
        return r;
    if ((r = mpr__shm_new(sizeof(struct shared), &shm)) < 0) {
        mpr_semlock_free(lock);
        return r;
    }
    return event_make(lock, shm, out);
}

void mpr_event_free(mpr_event_t *e)
{
    if (e == NULL)
        return;
    mpr_semlock_free(e->lock);
    mpr__shm_unref(e->shm);
    free(e);
}

static void lock(mpr_event_t *e)
{
    mpr_semlock_acquire(e->lock, 1, MPR_TIMEOUT_NONE);
}

static void unlock(mpr_event_t *e)
{
    mpr_semlock_release(e->lock);
}

int mpr_event_is_set(mpr_event_t *e)
{
    int r;

    lock(e);
    r = (int)atomic_load(&e->sh->flag);
    unlock(e);
    return r;
}

int mpr_event_set(mpr_event_t *e)
{
    lock(e);
    atomic_store(&e->sh->flag, 1);
    mpr__bcast_bump(&e->sh->bc);
    unlock(e);
    mpr__bcast_wake(&e->sh->bc);
    return 0;
}

int mpr_event_clear(mpr_event_t *e)
{
    lock(e);
    atomic_store(&e->sh->flag, 0);
    unlock(e);
    return 0;
}

int mpr_event_wait(mpr_event_t *e, double timeout)
{
    mpr_deadline_t d;
    int r = 0;

    lock(e);
    /* One Condition.wait, as CPython: a set() then clear() while this
     * process is waking up returns False before the timeout. */
    if (!atomic_load(&e->sh->flag) &&
        (r = mpr_deadline_init(&d, 1, timeout)) == 0)
        mpr__bcast_wait(&e->sh->bc, e->lock, &d);
    if (r == 0)
        r = (int)atomic_load(&e->sh->flag);
    unlock(e);
    return r;
}

int mpr_event_repr(mpr_event_t *e, char **out, size_t *len)
{
    return mpr__sprintf(out, len, "<Event at %p %s>", (void *)e,
                        mpr_event_is_set(e) ? "set" : "unset");
}

int mpr_event_reduce(const mpr_event_t *e, mpr_obj_t **out)
{
    return mpr__lockshm_reduce('E', e->lock, e->shm, out);
}

int mpr_event_rebuild(mpr_event_t **out, const mpr_obj_t *tok)
{
    mpr_semlock_t *lk;
    mpr__shm_t *shm;
    int r;

    if ((r = mpr__lockshm_rebuild('E', tok, sizeof(struct shared), &lk, &shm)) <
        0)
        return r;
    return event_make(lk, shm, out);
}

/* ---- as a handle value (obj.h): what obj/ and the process layer use ---- */

static const char *event_type_name(const void *p)
{
    (void)p;
    return "Event";
}

static int event_repr_h(void *p, char **out, size_t *len)
{
    return mpr_event_repr(p, out, len);
}

static int event_reduce_h(const void *p, mpr_obj_t **tok)
{
    return mpr_event_reduce(p, tok);
}

static int event_rebuild_h(const mpr_obj_t *tok, void **out)
{
    mpr_event_t *o = NULL;
    int rc = mpr_event_rebuild(&o, tok);

    *out = o;
    return rc;
}

static void event_free_h(void *p)
{
    mpr_event_free(p);
}

/* Pickled, it refuses as the Condition its state starts with. */
static int event_refuse(const void *p)
{
    (void)p;
    return mpr__error(MPR_ERUNTIME, "Condition objects should only be shared "
                                    "between processes through inheritance");
}

MPR__HANDLE_INIT static void event_handle_init(void)
{
    static const mpr__handle_ops_t ops = {
        .name = "Event",
        .type_name = event_type_name,
        .repr = event_repr_h,
        .reduce = event_reduce_h,
        .rebuild = event_rebuild_h,
        .free = event_free_h,
        .refuse = event_refuse,
    };
    mpr__handle_register(MPR_HANDLE_EVENT, &ops);
}
