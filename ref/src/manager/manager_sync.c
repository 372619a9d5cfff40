/*
 * manager_sync.c - the synchronisation objects and Queue a manager's
 * server holds: threading.Lock, RLock, Semaphore, BoundedSemaphore, Event
 * and queue.Queue of CPython 3.11, with their messages and reprs.  They
 * all wait on the server's one condition (manager_objects.c), woken after
 * every call; an RLock's owner is the server thread serving the caller's
 * connection, as in CPython.
 */
#include "manager/manager_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Waits until ready(o) or timeout seconds (< 0: for ever).  Returns 1 when
 * ready, 0 when the time ran out.  Called with the server lock held. */
int mpr__mwait_until(mpr__mobj_t *o, unsigned long client, mpr__mready_fn ready,
                     double timeout)
{
    struct timespec start;

    clock_gettime(CLOCK_MONOTONIC, &start);
    while (!ready(o, client)) {
        if (timeout == 0)
            return 0;
        if (mpr__mobj_wait(timeout, &start))
            return ready(o, client);
    }
    return 1;
}

/* A timeout argument: None is -1 (no limit). */
int mpr__mtimeout_arg(const mpr_obj_t *t, double *out)
{
    *out = -1;
    if (t == NULL || mpr_obj_is_none(t))
        return 0;
    return mpr_obj_as_double(t, out);
}

static int lock_free(const mpr__mobj_t *o, unsigned long client)
{
    return o->count == 0 || (o->kind != MPR__M_LOCK && o->owner == client);
}

/* Lock.acquire / RLock.acquire(blocking=True, timeout=-1). */
int mpr__mlock_acquire(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                       unsigned long c, mpr_obj_t **out)
{
    const mpr_obj_t *b = ARG(0, "blocking");
    int blocking = b == NULL || mpr_obj_truth(b);
    double t = -1;

    /* _PyTime_FromSecondsObject: a float, else an integer */
    if (ARG(1, "timeout") && mpr_obj_as_double(ARG(1, "timeout"), &t) < 0)
        return mpr__error(MPR_ETYPE,
                          "'%s' object cannot be interpreted as an integer",
                          mpr_obj_type_name(ARG(1, "timeout")));
    if (!blocking && t != -1)
        return mpr__error(MPR_EVALUE,
                          "can't specify a timeout for a non-blocking call");
    if (t < 0 && t != -1)
        return mpr__error(MPR_EVALUE, "timeout value must be positive");
    if (!mpr__mwait_until(o, c, lock_free, blocking ? t : 0))
        RET_BOOL(0);
    o->count++;
    o->owner = c;
    RET_BOOL(1);
}

int mpr__mlock_release(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                       unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw;
    if (o->kind == MPR__M_LOCK && o->count == 0)
        return mpr__error(MPR_ERUNTIME, "release unlocked lock");
    if (o->kind != MPR__M_LOCK && (o->count == 0 || o->owner != c))
        return mpr__error(MPR_ERUNTIME, "cannot release un-acquired lock");
    if (--o->count == 0)
        o->owner = 0;
    RET_NONE();
}

static const mpr__mmeth_t lock_methods[] = {{"acquire", mpr__mlock_acquire},
                                            {"release", mpr__mlock_release},
                                            {NULL, NULL}};

static int sem_ready(const mpr__mobj_t *o, unsigned long client)
{
    (void)client;
    return o->count > 0;
}

/* Semaphore.acquire(blocking=True, timeout=None). */
static int sem_acquire(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                       unsigned long c, mpr_obj_t **out)
{
    const mpr_obj_t *b = ARG(0, "blocking");
    int blocking = b == NULL || mpr_obj_truth(b), rc;
    double t;

    if ((rc = mpr__mtimeout_arg(ARG(1, "timeout"), &t)) < 0)
        return rc;
    if (!blocking && ARG(1, "timeout") && !mpr_obj_is_none(ARG(1, "timeout")))
        return mpr__error(MPR_EVALUE,
                          "can't specify timeout for non-blocking acquire");
    if (t < -1 ||
        (t < 0 && ARG(1, "timeout") && !mpr_obj_is_none(ARG(1, "timeout"))))
        t = 0; /* a past deadline: one look */
    if (!mpr__mwait_until(o, c, sem_ready, blocking ? t : 0))
        RET_BOOL(0);
    o->count--;
    RET_BOOL(1);
}

/* Semaphore.release(n=1); BoundedSemaphore checks its initial value. */
static int sem_release(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                       unsigned long c, mpr_obj_t **out)
{
    int64_t n = 1;
    int rc;

    (void)c;
    if (ARG(0, "n") && (rc = mpr_obj_as_int64(ARG(0, "n"), &n)) < 0)
        return rc;
    if (n < 1)
        return mpr__error(MPR_EVALUE, "n must be one or more");
    if (o->kind == MPR__M_BSEMAPHORE && o->count + n > o->limit)
        return mpr__error(MPR_EVALUE, "Semaphore released too many times");
    o->count += n;
    RET_NONE();
}

static const mpr__mmeth_t sem_methods[] = {
    {"acquire", sem_acquire}, {"release", sem_release}, {NULL, NULL}};

static int ev_is_set(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                     unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw, (void)c;
    RET_BOOL(o->count != 0);
}

static int ev_set(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                  unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw, (void)c;
    o->count = 1;
    RET_NONE();
}

static int ev_clear(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                    unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw, (void)c;
    o->count = 0;
    RET_NONE();
}

static int ev_wait(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                   unsigned long c, mpr_obj_t **out)
{
    double t;
    int rc;

    if ((rc = mpr__mtimeout_arg(ARG(0, "timeout"), &t)) < 0)
        return rc;
    if (ARG(0, "timeout") && !mpr_obj_is_none(ARG(0, "timeout")) && t < 0)
        t = 0;
    RET_BOOL(mpr__mwait_until(o, c, sem_ready, t));
}

static const mpr__mmeth_t event_methods[] = {{"is_set", ev_is_set},
                                             {"set", ev_set},
                                             {"clear", ev_clear},
                                             {"wait", ev_wait},
                                             {NULL, NULL}};

/* ---- queue.Queue ------------------------------------------------------------
 */

static int q_not_empty(const mpr__mobj_t *o, unsigned long client)
{
    (void)client;
    return mpr_obj_len(o->v) > 0;
}

static int q_not_full(const mpr__mobj_t *o, unsigned long client)
{
    (void)client;
    return o->limit <= 0 || (int64_t)mpr_obj_len(o->v) < o->limit;
}

/* (block, timeout) of get/put, with queue.Queue's check. */
static int q_block(const mpr_obj_t *b, const mpr_obj_t *tobj, double *t)
{
    int rc;

    if (b != NULL && !mpr_obj_truth(b)) {
        *t = 0;
        return 0;
    }
    if ((rc = mpr__mtimeout_arg(tobj, t)) < 0)
        return rc;
    if (tobj != NULL && !mpr_obj_is_none(tobj) && *t < 0)
        return mpr__error(MPR_EVALUE,
                          "'timeout' must be a non-negative number");
    return 0;
}

static int q_get(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                 unsigned long c, mpr_obj_t **out)
{
    double t;
    int rc;

    if ((rc = q_block(ARG(0, "block"), ARG(1, "timeout"), &t)) < 0)
        return rc;
    if (!mpr__mwait_until(o, c, q_not_empty, t))
        return mpr__error(MPR_EEMPTY, NULL);
    return mpr_obj_list_pop(o->v, 0, out);
}

static int q_put(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                 unsigned long c, mpr_obj_t **out)
{
    double t;
    int rc;

    if (ARG(0, "item") == NULL)
        return mpr__error(MPR_ETYPE, "Queue.put() missing 1 required "
                                     "positional argument: 'item'");
    if ((rc = q_block(ARG(1, "block"), ARG(2, "timeout"), &t)) < 0)
        return rc;
    if (!mpr__mwait_until(o, c, q_not_full, t))
        return mpr__error(MPR_EFULL, NULL);
    if ((rc = mpr_obj_list_append(o->v, (mpr_obj_t *)ARG(0, "item"))) < 0)
        return rc;
    RET_NONE();
}

static int q_get_nowait(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                        unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw;
    if (!q_not_empty(o, c))
        return mpr__error(MPR_EEMPTY, NULL);
    return mpr_obj_list_pop(o->v, 0, out);
}

static int q_put_nowait(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                        unsigned long c, mpr_obj_t **out)
{
    mpr_obj_t *args = mpr_obj_tuple(2, ARG(0, "item"), mpr_obj_bool(0));
    int rc;

    if (ARG(0, "item") == NULL || args == NULL) {
        mpr_obj_decref(args);
        return mpr__error(MPR_ETYPE, "Queue.put_nowait() missing 1 required "
                                     "positional argument: 'item'");
    }
    rc = q_put(o, args, NULL, c, out);
    mpr_obj_decref(args);
    return rc;
}

static int q_qsize(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                   unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw, (void)c;
    RET(mpr_obj_int((int64_t)mpr_obj_len(o->v)));
}

static int q_empty(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                   unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw;
    RET_BOOL(!q_not_empty(o, c));
}

static int q_full(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                  unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw;
    RET_BOOL(o->limit > 0 && !q_not_full(o, c));
}

static const mpr__mmeth_t queue_methods[] = {
    {"empty", q_empty}, {"full", q_full},
    {"get", q_get},     {"get_nowait", q_get_nowait},
    {"put", q_put},     {"put_nowait", q_put_nowait},
    {"qsize", q_qsize}, {NULL, NULL}};

/* ---- constructors and reprs ---------------------------------------------- */

int mpr__msync_init(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw)
{
    int64_t v = 1;
    int rc;

    switch (o->kind) {
    case MPR__M_SEMAPHORE:
    case MPR__M_BSEMAPHORE:
        if (ARG(0, "value") && (rc = mpr_obj_as_int64(ARG(0, "value"), &v)) < 0)
            return rc;
        if (v < 0)
            return mpr__error(MPR_EVALUE,
                              "semaphore initial value must be >= 0");
        o->count = o->limit = v;
        return 0;
    case MPR__M_QUEUE:
        v = 0;
        if (ARG(0, "maxsize") &&
            (rc = mpr_obj_as_int64(ARG(0, "maxsize"), &v)) < 0)
            return rc;
        o->limit = v;
        o->v = mpr_obj_list();
        return o->v ? 0 : mpr_last_error();
    case MPR__M_CONDITION:
    case MPR__M_BARRIER:
    case MPR__M_ARRAY:
        return mpr__msync2_init(o, a, kw);
    case MPR__M_LOCK: /* _thread.allocate_lock() */
        if (kw != NULL && mpr_obj_len(kw) > 0)
            return mpr__error(MPR_ETYPE, "_thread.allocate_lock() takes no "
                                         "keyword arguments");
        if (mpr_obj_len(a) > 0)
            return mpr__error(MPR_ETYPE,
                              "_thread.allocate_lock() takes no arguments "
                              "(%zu given)",
                              mpr_obj_len(a));
        return 0;
    case MPR__M_EVENT: /* Event.__init__(self) */
        if (kw != NULL && mpr_obj_len(kw) > 0) {
            size_t pos = 0;
            mpr_obj_t *k, *v;
            mpr_obj_dict_next(kw, &pos, &k, &v);
            if (mpr_obj_type(k) != MPR_OBJ_STR)
                return mpr__error(MPR_ETYPE, "keywords must be strings");
            return mpr__error(MPR_ETYPE,
                              "Event.__init__() got an unexpected keyword "
                              "argument '%s'",
                              mpr_obj_str_utf8(k, NULL));
        }
        if (mpr_obj_len(a) > 0)
            return mpr__error(MPR_ETYPE,
                              "Event.__init__() takes 1 positional argument "
                              "but %zu were given",
                              mpr_obj_len(a) + 1);
        return 0;
    default: /* RLock(*args, **kwargs) ignores its arguments */
        return 0;
    }
}

const mpr__mmeth_t *mpr__msync_methods(int kind)
{
    switch (kind) {
    case MPR__M_LOCK:
    case MPR__M_RLOCK:
        return lock_methods;
    case MPR__M_SEMAPHORE:
    case MPR__M_BSEMAPHORE:
        return sem_methods;
    case MPR__M_EVENT:
        return event_methods;
    case MPR__M_QUEUE:
        return queue_methods;
    default:
        return mpr__msync2_methods(kind);
    }
}

int mpr__msync_repr(const mpr__mobj_t *o, mpr_obj_t **out)
{
    char buf[160];
    const void *p = o;

    switch (o->kind) {
    case MPR__M_LOCK:
        snprintf(buf, sizeof(buf), "<%s _thread.lock object at %p>",
                 o->count ? "locked" : "unlocked", p);
        break;
    case MPR__M_RLOCK:
        snprintf(buf, sizeof(buf),
                 "<%s _thread.RLock object owner=%lu count=%lld at %p>",
                 o->count ? "locked" : "unlocked", o->owner,
                 (long long)o->count, p);
        break;
    case MPR__M_SEMAPHORE:
        snprintf(buf, sizeof(buf), "<threading.Semaphore at %p: value=%lld>", p,
                 (long long)o->count);
        break;
    case MPR__M_BSEMAPHORE:
        snprintf(buf, sizeof(buf),
                 "<threading.BoundedSemaphore at %p: value=%lld/%lld>", p,
                 (long long)o->count, (long long)o->limit);
        break;
    case MPR__M_EVENT:
        snprintf(buf, sizeof(buf), "<threading.Event at %p: %s>", p,
                 o->count ? "set" : "unset");
        break;
    case MPR__M_QUEUE:
        snprintf(buf, sizeof(buf), "<queue.Queue object at %p>", p);
        break;
    default:
        return mpr__msync2_repr(o, out);
    }
    return (*out = mpr_obj_str(buf)) ? 0 : mpr_last_error();
}
