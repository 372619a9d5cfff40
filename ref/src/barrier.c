/*
 * barrier.c - multiprocessing.Barrier: CPython 3.11 threading.Barrier's
 * algorithm, with its state in shared memory as synchronize.Barrier keeps
 * it (a Condition over an RLock, and ints in a shared buffer).
 *
 * Shared state (struct shared, in its own segment):
 *   state    0 filling, 1 draining, -1 resetting, -2 broken
 *   count    parties inside wait()
 *   parties  the number that trips the barrier
 *   timeout  default wait() timeout when has_timeout
 * The action is a function pointer, so it stays in the per-process object.
 */
#include "mpr/barrier.h"
#include "mpr/condition.h"
#include "semlock.h"
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

struct shared {
    int32_t state;
    int32_t count;
    int32_t parties;
    int32_t has_timeout;
    double timeout;
};

struct mpr_barrier_s {
    mpr_cond_t *cond;
    mpr__shm_t *shm;
    struct shared *sh;
    mpr_barrier_action_t action;
    void *action_arg;
};

static int barrier_make(mpr_cond_t *cond, mpr__shm_t *shm,
                        const mpr_barrier_options_t *opts, mpr_barrier_t **out)
{
    mpr_barrier_t *b = mpr__sys.calloc(1, sizeof(*b));

    if (b == NULL) {
        mpr_cond_free(cond);
        mpr__shm_unref(shm);
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    }
    b->cond = cond;
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
    mpr_cond_t *cond;
    mpr__shm_t *shm;
    int r;

    if ((r = mpr_cond_new(&cond, NULL)) < 0)
        return r;
    if ((r = mpr__shm_new(sizeof(struct shared), &shm)) < 0) {
        mpr_cond_free(cond);
        return r;
    }
    ((struct shared *)shm->base)->parties = parties;
    if (opts != NULL && opts->has_timeout) {
        ((struct shared *)shm->base)->has_timeout = 1;
        ((struct shared *)shm->base)->timeout = opts->timeout;
    }
    return barrier_make(cond, shm, opts, out);
}

void mpr_barrier_free(mpr_barrier_t *b)
{
    if (b == NULL)
        return;
    mpr_cond_free(b->cond);
    mpr__shm_unref(b->shm);
    free(b);
}

static int state_not_filling(void *arg)
{
    return ((struct shared *)arg)->state != 0;
}

static void do_break(mpr_barrier_t *b)
{
    b->sh->state = -2;
    mpr_cond_notify_all(b->cond);
}

/* _enter: block while the barrier drains or resets. */
static int enter(mpr_barrier_t *b)
{
    int r;

    while (b->sh->state == -1 || b->sh->state == 1)
        if ((r = mpr_cond_wait(b->cond, MPR_TIMEOUT_NONE)) < 0)
            return r;
    if (b->sh->state < 0)
        return mpr__error(MPR_EBROKENBARRIER, NULL);
    return 0;
}

/* _release: the last party runs the action and lets everyone go. */
static int release_all(mpr_barrier_t *b)
{
    int r;

    if (b->action != NULL && (r = b->action(b->action_arg)) < 0) {
        do_break(b);
        return r;
    }
    b->sh->state = 1;
    mpr_cond_notify_all(b->cond);
    return 0;
}

static int wait_trip(mpr_barrier_t *b, double timeout)
{
    int r = mpr_cond_wait_for(b->cond, state_not_filling, b->sh, timeout);

    if (r < 0)
        return r;
    if (r == 0) {
        do_break(b);
        return mpr__error(MPR_EBROKENBARRIER, NULL);
    }
    if (b->sh->state < 0)
        return mpr__error(MPR_EBROKENBARRIER, NULL);
    return 0;
}

/* _exit: the last one out of a draining or resetting barrier refills it. */
static void leave(mpr_barrier_t *b)
{
    if (b->sh->count == 0 && (b->sh->state == -1 || b->sh->state == 1)) {
        b->sh->state = 0;
        mpr_cond_notify_all(b->cond);
    }
}

int mpr_barrier_wait(mpr_barrier_t *b, double timeout)
{
    int index, r;

    if (timeout == MPR_TIMEOUT_NONE && b->sh->has_timeout)
        timeout = b->sh->timeout;
    mpr_cond_enter(b->cond);
    if ((r = enter(b)) < 0)
        goto out;
    index = b->sh->count++;
    if (index + 1 == b->sh->parties)
        r = release_all(b);
    else
        r = wait_trip(b, timeout);
    b->sh->count--;
    leave(b);
    if (r == 0)
        r = index;
out:
    mpr_cond_exit(b->cond);
    return r;
}

int mpr_barrier_reset(mpr_barrier_t *b)
{
    mpr_cond_enter(b->cond);
    if (b->sh->count > 0) {
        if (b->sh->state == 0 || b->sh->state == -2)
            b->sh->state = -1;
    } else {
        b->sh->state = 0;
    }
    mpr_cond_notify_all(b->cond);
    mpr_cond_exit(b->cond);
    return 0;
}

int mpr_barrier_abort(mpr_barrier_t *b)
{
    mpr_cond_enter(b->cond);
    do_break(b);
    mpr_cond_exit(b->cond);
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

int mpr_barrier_reduce(mpr_barrier_t *b, mpr_obj_t **out)
{
    char cond[256], seg[96], buf[400];

    mpr__cond_token(b->cond, cond, sizeof(cond));
    mpr__shm_token(b->shm, seg, sizeof(seg));
    snprintf(buf, sizeof(buf), "B%s|%s", cond, seg);
    if ((*out = mpr_obj_str(buf)) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    return 0;
}

int mpr_barrier_rebuild(mpr_barrier_t **out, const mpr_obj_t *tok,
                        const mpr_barrier_options_t *opts)
{
    mpr_cond_t *cond;
    mpr__shm_t *shm;
    const char *s;
    int r;

    if (mpr_obj_type(tok) != MPR_OBJ_STR ||
        *(s = mpr_obj_str_utf8(tok, NULL)) != 'B')
        return mpr__error(MPR_EVALUE, "bad shared handle");
    if ((r = mpr__cond_from_token(s + 1, &s, &cond)) < 0)
        return r;
    if (*s != '|') {
        mpr_cond_free(cond);
        return mpr__error(MPR_EVALUE, "bad shared handle");
    }
    if ((r = mpr__shm_attach(s + 1, &s, &shm)) < 0) {
        mpr_cond_free(cond);
        return r;
    }
    if (*s != '\0' || shm->size < sizeof(struct shared)) {
        mpr_cond_free(cond);
        mpr__shm_unref(shm);
        return mpr__error(MPR_EVALUE, "bad shared handle");
    }
    return barrier_make(cond, shm, opts, out);
}
