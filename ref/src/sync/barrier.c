/*
 * barrier.c - multiprocessing.Barrier: CPython 3.11 threading.Barrier's
 * algorithm, with its state in shared memory as synchronize.Barrier keeps
 * it (ints in a shared buffer, guarded by the RLock of a Condition).  The
 * Condition only ever sees notify_all, so a broadcast-only condition
 * (condition.c) stands in for it.
 *
 * Shared state (struct shared, in its own segment):
 *   state    0 filling, 1 draining, -1 resetting, -2 broken
 *   count    parties inside wait()
 *   parties  the number that trips the barrier
 *   timeout  default wait() timeout when has_timeout
 *   bc       the broadcast condition's futex word and sleeper count
 * plus the RLock, a separate object.  The action is a function pointer, so
 * it stays in the per-process object.
 */
#include "mpr/barrier.h"
#include "sync/semlock.h"
#include "base/buf.h"
#include "base/internal.h"
#include "obj/objimpl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

struct shared {
    int32_t state;
    int32_t count;
    int32_t parties;
    int32_t has_timeout;
    double timeout;
    mpr__bcast_t bc;
};

struct mpr_barrier_s {
    mpr_semlock_t *lock;
    mpr__shm_t *shm;
    struct shared *sh;
    mpr_barrier_action_t action;
    void *action_arg;
};

static int barrier_make(mpr_semlock_t *lock, mpr__shm_t *shm,
                        const mpr_barrier_options_t *opts, mpr_barrier_t **out)
{
    mpr_barrier_t *b = mpr__sys.calloc(1, sizeof(*b));

    if (b == NULL) {
        mpr_semlock_free(lock);
        mpr__shm_unref(shm);
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    }
    b->lock = lock;
    b->shm = shm;
    b->sh = shm->base;
    if (opts != NULL) {
        b->action = opts->action;
        b->action_arg = opts->action_arg;
    }
    *out = b;
    return 0;
}

int mpr_barrier_new(mpr_barrier_t **out, int parties,
                    const mpr_barrier_options_t *opts)
{
    mpr_semlock_t *lock;
    mpr__shm_t *shm;
    int r;

    if ((r = mpr_rlock_new(&lock)) < 0)
        return r;
    if ((r = mpr__shm_new(sizeof(struct shared), &shm)) < 0) {
        mpr_semlock_free(lock);
        return r;
    }
    ((struct shared *)shm->base)->parties = parties;
    if (opts != NULL && opts->has_timeout) {
        ((struct shared *)shm->base)->has_timeout = 1;
        ((struct shared *)shm->base)->timeout = opts->timeout;
    }
    return barrier_make(lock, shm, opts, out);
}

void mpr_barrier_free(mpr_barrier_t *b)
{
    if (b == NULL)
        return;
    mpr_semlock_free(b->lock);
    mpr__shm_unref(b->shm);
    free(b);
}

/* One call's view: the barrier, and whether it broadcast (the wake-up is
 * sent once the lock is let go). */
typedef struct {
    mpr_barrier_t *b;
    int bumped;
} call_t;

static void enter_lock(call_t *c, mpr_barrier_t *b)
{
    c->b = b;
    c->bumped = 0;
    mpr_semlock_acquire(b->lock, 1, MPR_TIMEOUT_NONE);
}

static void exit_lock(call_t *c)
{
    mpr_semlock_release(c->b->lock);
    if (c->bumped)
        mpr__bcast_wake(&c->b->sh->bc);
}

static void notify_all(call_t *c)
{
    mpr__bcast_bump(&c->b->sh->bc);
    c->bumped = 1;
}

static void do_break(call_t *c)
{
    c->b->sh->state = -2;
    notify_all(c);
}

/* _enter: block while the barrier drains or resets. */
static int enter(call_t *c)
{
    struct shared *sh = c->b->sh;
    mpr_deadline_t forever;

    mpr_deadline_init(&forever, 1, MPR_TIMEOUT_NONE);
    while (sh->state == -1 || sh->state == 1)
        mpr__bcast_wait(&sh->bc, c->b->lock, &forever);
    if (sh->state < 0)
        return mpr__error(MPR_EBROKENBARRIER, NULL);
    return 0;
}

/* _release: the last party runs the action and lets everyone go. */
static int release_all(call_t *c)
{
    mpr_barrier_t *b = c->b;
    int r;

    if (b->action != NULL && (r = b->action(b->action_arg)) < 0) {
        do_break(c);
        return r;
    }
    b->sh->state = 1;
    notify_all(c);
    return 0;
}

static int state_not_filling(void *arg)
{
    return ((struct shared *)arg)->state != 0;
}

static int wait_trip(call_t *c, double timeout)
{
    struct shared *sh = c->b->sh;
    int r = mpr__bcast_wait_for(&sh->bc, c->b->lock, state_not_filling, sh,
                                timeout);

    if (r < 0)
        return r;
    if (r == 0) {
        do_break(c);
        return mpr__error(MPR_EBROKENBARRIER, NULL);
    }
    if (sh->state < 0)
        return mpr__error(MPR_EBROKENBARRIER, NULL);
    return 0;
}

/* _exit: the last one out of a draining or resetting barrier refills it. */
static void leave(call_t *c)
{
    struct shared *sh = c->b->sh;

    if (sh->count == 0 && (sh->state == -1 || sh->state == 1)) {
        sh->state = 0;
        notify_all(c);
    }
}

int mpr_barrier_wait(mpr_barrier_t *b, double timeout)
{
    int index, r;
    call_t c;

    if (timeout == MPR_TIMEOUT_NONE && b->sh->has_timeout)
        timeout = b->sh->timeout;
    enter_lock(&c, b);
    if ((r = enter(&c)) < 0)
        goto out;
    index = b->sh->count++;
    if (index + 1 == b->sh->parties)
        r = release_all(&c);
    else
        r = wait_trip(&c, timeout);
    b->sh->count--;
    leave(&c);
    if (r == 0)
        r = index;
out:
    exit_lock(&c);
    return r;
}

int mpr_barrier_reset(mpr_barrier_t *b)
{
    call_t c;

    enter_lock(&c, b);
    if (b->sh->count > 0) {
        if (b->sh->state == 0 || b->sh->state == -2)
            b->sh->state = -1;
    } else {
        b->sh->state = 0;
    }
    notify_all(&c);
    exit_lock(&c);
    return 0;
}

int mpr_barrier_abort(mpr_barrier_t *b)
{
    call_t c;

    enter_lock(&c, b);
    do_break(&c);
    exit_lock(&c);
    return 0;
}

int mpr_barrier_parties(mpr_barrier_t *b)
{
    return b->sh->parties;
}

int mpr_barrier_n_waiting(mpr_barrier_t *b)
{
    /* Unlocked reads, as threading.Barrier.n_waiting does. */
    return __atomic_load_n(&b->sh->state, __ATOMIC_RELAXED) == 0
               ? __atomic_load_n(&b->sh->count, __ATOMIC_RELAXED)
               : 0;
}

int mpr_barrier_broken(mpr_barrier_t *b)
{
    return __atomic_load_n(&b->sh->state, __ATOMIC_RELAXED) == -2;
}

int mpr_barrier_repr(mpr_barrier_t *b, char **out, size_t *len)
{
    static const char cls[] = "multiprocessing.synchronize.Barrier";

    if (mpr_barrier_broken(b))
        return mpr__sprintf(out, len, "<%s at %p: broken>", cls, (void *)b);
    return mpr__sprintf(out, len, "<%s at %p: waiters=%d/%d>", cls, (void *)b,
                        mpr_barrier_n_waiting(b), mpr_barrier_parties(b));
}

int mpr_barrier_reduce(const mpr_barrier_t *b, mpr_obj_t **out)
{
    return mpr__lockshm_reduce('B', b->lock, b->shm, out);
}

int mpr_barrier_rebuild(mpr_barrier_t **out, const mpr_obj_t *tok,
                        const mpr_barrier_options_t *opts)
{
    mpr_semlock_t *lk;
    mpr__shm_t *shm;
    int r;

    if ((r = mpr__lockshm_rebuild('B', tok, sizeof(struct shared), &lk, &shm)) <
        0)
        return r;
    return barrier_make(lk, shm, opts, out);
}

/* ---- as a handle value (obj.h): what obj/ and the process layer use ---- */

static const char *barrier_type_name(const void *p)
{
    (void)p;
    return "Barrier";
}

static int barrier_repr_h(void *p, char **out, size_t *len)
{
    return mpr_barrier_repr(p, out, len);
}

static int barrier_reduce_h(const void *p, mpr_obj_t **tok)
{
    return mpr_barrier_reduce(p, tok);
}

static int barrier_rebuild_h(const mpr_obj_t *tok, void **out)
{
    mpr_barrier_t *o = NULL;
    int rc = mpr_barrier_rebuild(&o, tok, NULL);

    *out = o;
    return rc;
}

static void barrier_free_h(void *p)
{
    mpr_barrier_free(p);
}

/* Pickled, it refuses as the Condition its state starts with. */
static int barrier_refuse(const void *p)
{
    (void)p;
    return mpr__error(MPR_ERUNTIME, "Condition objects should only be shared "
                                    "between processes through inheritance");
}

MPR__HANDLE_INIT static void barrier_handle_init(void)
{
    static const mpr__handle_ops_t ops = {
        .name = "Barrier",
        .type_name = barrier_type_name,
        .repr = barrier_repr_h,
        .reduce = barrier_reduce_h,
        .rebuild = barrier_rebuild_h,
        .free = barrier_free_h,
        .refuse = barrier_refuse,
    };
    mpr__handle_register(MPR_HANDLE_BARRIER, &ops);
}
