/*
 * event.c - multiprocessing.Event, CPython 3.11 synchronize.Event
 * transcribed: the flag is a Semaphore(0) (value 1 = set) guarded by a
 * Condition over a Lock; set() notifies all waiters.
 *
 * Shared state: the Condition's (condition.c) and the flag's semaphore
 * block (semaphore.c); nothing else.
 */
#include "mpr/event.h"
#include "mpr/condition.h"
#include "semlock.h"
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

struct mpr_event_s {
    mpr_cond_t *cond;
    mpr_semlock_t *flag;
};

static int event_make(mpr_cond_t *cond, mpr_semlock_t *flag, mpr_event_t **out)
{
    mpr_event_t *e = mpr__sys.calloc(1, sizeof(*e));

    if (e == NULL) {
        mpr_cond_free(cond);
        mpr_semlock_free(flag);
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    }
    e->cond = cond;
    e->flag = flag;
    *out = e;
    return 0;
}

int mpr_event_new(mpr_event_t **out)
{
    mpr_semlock_t *lock = NULL, *flag = NULL;
    mpr_cond_t *cond = NULL;
    int r;

    if ((r = mpr_lock_new(&lock)) < 0)
        goto fail;
    if ((r = mpr_cond_new(&cond, lock)) < 0)
        goto fail;
    mpr_semlock_free(lock); /* the condition holds it */
    lock = NULL;
    if ((r = mpr_sem_new(&flag, 0)) < 0)
        goto fail;
    return event_make(cond, flag, out);
fail:
    mpr_cond_free(cond);
    mpr_semlock_free(lock);
    return r;
}

void mpr_event_free(mpr_event_t *e)
{
    if (e == NULL)
        return;
    mpr_cond_free(e->cond);
    mpr_semlock_free(e->flag);
    free(e);
}

/* The flag's value, read the way CPython does (take it and put it back). */
static int flag_peek(mpr_event_t *e)
{
    if (mpr_semlock_acquire(e->flag, 0, 0) == 1) {
        mpr_semlock_release(e->flag);
        return 1;
    }
    return 0;
}

int mpr_event_is_set(mpr_event_t *e)
{
    int r;

    mpr_cond_enter(e->cond);
    r = flag_peek(e);
    mpr_cond_exit(e->cond);
    return r;
}

int mpr_event_set(mpr_event_t *e)
{
    mpr_cond_enter(e->cond);
    mpr_semlock_acquire(e->flag, 0, 0);
    mpr_semlock_release(e->flag);
    mpr_cond_notify_all(e->cond);
    mpr_cond_exit(e->cond);
    return 0;
}

int mpr_event_clear(mpr_event_t *e)
{
    mpr_cond_enter(e->cond);
    mpr_semlock_acquire(e->flag, 0, 0);
    mpr_cond_exit(e->cond);
    return 0;
}

int mpr_event_wait(mpr_event_t *e, double timeout)
{
    int r = 0;

    mpr_cond_enter(e->cond);
    if (!flag_peek(e))
        r = mpr_cond_wait(e->cond, timeout);
    if (r >= 0)
        r = flag_peek(e);
    mpr_cond_exit(e->cond);
    return r;
}

int mpr_event_repr(mpr_event_t *e, char **out, size_t *len)
{
    return mpr__sprintf(out, len, "<Event at %p %s>", (void *)e,
                        mpr_event_is_set(e) ? "set" : "unset");
}

int mpr_event_reduce(mpr_event_t *e, mpr_obj_t **out)
{
    char cond[256], flag[128], buf[400];

    mpr__cond_token(e->cond, cond, sizeof(cond));
    mpr__semlock_token(e->flag, flag, sizeof(flag));
    snprintf(buf, sizeof(buf), "E%s|%s", cond, flag);
    if ((*out = mpr_obj_str(buf)) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    return 0;
}

int mpr_event_rebuild(mpr_event_t **out, const mpr_obj_t *tok)
{
    mpr_semlock_t *flag;
    mpr_cond_t *cond;
    const char *s;
    int r;

    if (mpr_obj_type(tok) != MPR_OBJ_STR ||
        *(s = mpr_obj_str_utf8(tok, NULL)) != 'E')
        return mpr__error(MPR_EVALUE, "bad shared handle");
    if ((r = mpr__cond_from_token(s + 1, &s, &cond)) < 0)
        return r;
    if (*s != '|') {
        mpr_cond_free(cond);
        return mpr__error(MPR_EVALUE, "bad shared handle");
    }
    if ((r = mpr__semlock_from_token(s + 1, &s, &flag)) < 0) {
        mpr_cond_free(cond);
        return r;
    }
    if (*s != '\0') {
        mpr_cond_free(cond);
        mpr_semlock_free(flag);
        return mpr__error(MPR_EVALUE, "bad shared handle");
    }
    return event_make(cond, flag, out);
}
