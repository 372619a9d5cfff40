/*
 * mobj_threading.c - the threading objects a manager's server holds
 * (SyncManager's typeids of CPython 3.11): Lock (_thread.lock), RLock,
 * Semaphore, BoundedSemaphore, Event, Condition (over its own RLock) and
 * Barrier (its action a registered target), with their messages and reprs. They
 * all wait on the server's one condition (mobj.c), woken after every call; an
 * RLock's owner is the server thread serving the caller's connection, as
 * in CPython.  State, under the server lock: lock_t (count, owner, a
 * Condition's waiters, in nodes on the waiting threads' stacks), msem_t,
 * event_t, barrier_t (threading.Barrier's _state and _count).
 */
#include "manager/manager_internal.h"
#include "process/target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct waiter_s {
    struct waiter_s *next;
    int notified;
} waiter_t;

/* Lock, RLock, and Condition's RLock. */
typedef struct {
    mpr__mobj_t head;
    int recursive;       /* RLock, Condition: the owner may re-acquire */
    int64_t count;       /* Lock: 1 when locked; RLock: recursion level */
    unsigned long owner; /* RLock: the owning client thread, 0 if none */
    waiter_t *waiters;   /* Condition: its waiters, oldest first */
} lock_t;

typedef struct {
    mpr__mobj_t head;
    int bounded;   /* BoundedSemaphore */
    int64_t value; /* _value */
    int64_t limit; /* BoundedSemaphore: _initial_value */
} msem_t;

typedef struct {
    mpr__mobj_t head;
    int flag;
} event_t;

typedef struct {
    mpr__mobj_t head;
    int64_t parties;
    mpr_obj_t *timeout; /* _timeout: wait()'s default, as given */
    mpr_obj_t *action;  /* _action: mpr_manager_action's value, or NULL */
    int64_t count;      /* _count: threads inside wait() */
    int state;          /* _state: 0 filling, 1 draining, -1 resetting, -2
                           broken */
} barrier_t;

#define LOCK(o)    ((lock_t *)(o))
#define SEM(o)     ((msem_t *)(o))
#define EVENT(o)   ((event_t *)(o))
#define BARRIER(o) ((barrier_t *)(o))

/* ---- Lock and RLock ------------------------------------------------------
 */

static int lock_free(const mpr__mobj_t *o, unsigned long client)
{
    const lock_t *l = (const lock_t *)o;

    return l->count == 0 || (l->recursive && l->owner == client);
}

/* Lock.acquire / RLock.acquire(blocking=True, timeout=-1). */
static int lock_acquire(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
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
    LOCK(o)->count++;
    LOCK(o)->owner = c;
    RET_BOOL(1);
}

static int lock_release(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                        unsigned long c, mpr_obj_t **out)
{
    lock_t *l = LOCK(o);

    (void)a, (void)kw;
    if (!l->recursive && l->count == 0)
        return mpr__error(MPR_ERUNTIME, "release unlocked lock");
    if (l->recursive && (l->count == 0 || l->owner != c))
        return mpr__error(MPR_ERUNTIME, "cannot release un-acquired lock");
    if (--l->count == 0)
        l->owner = 0;
    RET_NONE();
}

static const mpr__mmeth_t lock_methods[] = {
    {"acquire", lock_acquire, MPR__OWNARGS},
    {"release", lock_release, MPR__NOARGS},
    {NULL, NULL, MPR__OWNARGS}};

static int lock_init(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw)
{
    (void)a, (void)kw;
    LOCK(o)->recursive = o->type != &mpr__mtype_lock;
    return 0;
}

static int lock_repr(const mpr__mobj_t *o, mpr_obj_t **out)
{
    const lock_t *l = (const lock_t *)o;
    char buf[160];

    if (!l->recursive)
        snprintf(buf, sizeof(buf), "<%s _thread.lock object at %p>",
                 l->count ? "locked" : "unlocked", (const void *)o);
    else
        snprintf(buf, sizeof(buf),
                 "<%s _thread.RLock object owner=%lu count=%lld at %p>",
                 l->count ? "locked" : "unlocked", l->owner,
                 (long long)l->count, (const void *)o);
    return mpr__mstr_out(buf, out);
}

/* _thread.allocate_lock() takes nothing. */
const mpr__mtype_t mpr__mtype_lock = {
    .typeid = "Lock",
    .proxytype = "AcquirerProxy",
    .pyname = "lock",
    .pyclass = "_thread.lock",
    .size = sizeof(lock_t),
    .init = lock_init,
    .init_args = {MPR__MARGS_NOARGS, 0, 0, 0, "_thread.allocate_lock", NULL},
    .repr = lock_repr,
    .methods = lock_methods,
};

/* RLock(*args, **kwargs) ignores its arguments. */
const mpr__mtype_t mpr__mtype_rlock = {
    .typeid = "RLock",
    .proxytype = "AcquirerProxy",
    .pyname = "RLock",
    .pyclass = "_thread.RLock",
    .size = sizeof(lock_t),
    .init = lock_init,
    .init_args = MPR__OWNARGS,
    .repr = lock_repr,
    .methods = lock_methods,
};

/* ---- Semaphore and BoundedSemaphore --------------------------------------
 */

static int sem_ready(const mpr__mobj_t *o, unsigned long client)
{
    (void)client;
    return ((const msem_t *)o)->value > 0;
}

/* Semaphore.acquire(blocking=True, timeout=None). */
static int sem_acquire(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                       unsigned long c, mpr_obj_t **out)
{
    const mpr_obj_t *b = ARG(0, "blocking"), *tobj = ARG(1, "timeout");
    int blocking = b == NULL || mpr_obj_truth(b), rc;
    double t;

    if ((rc = mpr__mtimeout_arg(tobj, &t)) < 0)
        return rc;
    if (!blocking && tobj && !mpr_obj_is_none(tobj))
        return mpr__error(MPR_EVALUE,
                          "can't specify timeout for non-blocking acquire");
    if (t < -1 || (t < 0 && tobj && !mpr_obj_is_none(tobj)))
        t = 0; /* a past deadline: one look */
    if (!mpr__mwait_until(o, c, sem_ready, blocking ? t : 0))
        RET_BOOL(0);
    SEM(o)->value--;
    RET_BOOL(1);
}

/* Semaphore.release(n=1); BoundedSemaphore checks its initial value. */
static int sem_release(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                       unsigned long c, mpr_obj_t **out)
{
    msem_t *s = SEM(o);
    int64_t n = 1;
    int rc;

    (void)c;
    if (ARG(0, "n") && (rc = mpr_obj_as_int64(ARG(0, "n"), &n)) < 0)
        return rc;
    if (n < 1)
        return mpr__error(MPR_EVALUE, "n must be one or more");
    if (s->bounded && s->value + n > s->limit)
        return mpr__error(MPR_EVALUE, "Semaphore released too many times");
    s->value += n;
    RET_NONE();
}

/* BoundedSemaphore inherits acquire: CPython names Semaphore's. */
static const mpr__mmeth_t sem_methods[] = {
    {"acquire",
     sem_acquire,
     {MPR__MARGS_PYTHON, 0, 0, 0, "Semaphore.acquire", "blocking timeout"}},
    {"release", sem_release, MPR__PYDEF(0, "n")},
    {NULL, NULL, MPR__OWNARGS}};

static int sem_init(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw)
{
    int64_t v = 1;
    int rc;

    if (ARG(0, "value") && (rc = mpr_obj_as_int64(ARG(0, "value"), &v)) < 0)
        return rc;
    if (v < 0)
        return mpr__error(MPR_EVALUE, "semaphore initial value must be >= 0");
    SEM(o)->value = SEM(o)->limit = v;
    SEM(o)->bounded = o->type == &mpr__mtype_bsemaphore;
    return 0;
}

static int sem_repr(const mpr__mobj_t *o, mpr_obj_t **out)
{
    const msem_t *s = (const msem_t *)o;
    char buf[160];

    if (s->bounded)
        snprintf(buf, sizeof(buf),
                 "<threading.BoundedSemaphore at %p: value=%lld/%lld>",
                 (const void *)o, (long long)s->value, (long long)s->limit);
    else
        snprintf(buf, sizeof(buf), "<threading.Semaphore at %p: value=%lld>",
                 (const void *)o, (long long)s->value);
    return mpr__mstr_out(buf, out);
}

const mpr__mtype_t mpr__mtype_semaphore = {
    .typeid = "Semaphore",
    .proxytype = "AcquirerProxy",
    .pyname = "Semaphore",
    .pyclass = "threading.Semaphore",
    .size = sizeof(msem_t),
    .init = sem_init,
    .init_args = MPR__PYDEF(0, "value"),
    .repr = sem_repr,
    .methods = sem_methods,
};

const mpr__mtype_t mpr__mtype_bsemaphore = {
    .typeid = "BoundedSemaphore",
    .proxytype = "AcquirerProxy",
    .pyname = "BoundedSemaphore",
    .pyclass = "threading.BoundedSemaphore",
    .size = sizeof(msem_t),
    .init = sem_init,
    .init_args = MPR__PYDEF(0, "value"),
    .repr = sem_repr,
    .methods = sem_methods,
};

/* ---- Event ---------------------------------------------------------------
 */

static int ev_ready(const mpr__mobj_t *o, unsigned long client)
{
    (void)client;
    return EVENT(o)->flag;
}

static int ev_is_set(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                     unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw, (void)c;
    RET_BOOL(EVENT(o)->flag);
}

static int ev_set(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                  unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw, (void)c;
    EVENT(o)->flag = 1;
    RET_NONE();
}

static int ev_clear(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                    unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw, (void)c;
    EVENT(o)->flag = 0;
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
    RET_BOOL(mpr__mwait_until(o, c, ev_ready, t));
}

static const mpr__mmeth_t event_methods[] = {
    {"is_set", ev_is_set, MPR__PYDEF(0, "")},
    {"set", ev_set, MPR__PYDEF(0, "")},
    {"clear", ev_clear, MPR__PYDEF(0, "")},
    {"wait", ev_wait, MPR__PYDEF(0, "timeout")},
    {NULL, NULL, MPR__OWNARGS}};

static int event_repr(const mpr__mobj_t *o, mpr_obj_t **out)
{
    char buf[160];

    snprintf(buf, sizeof(buf), "<threading.Event at %p: %s>", (const void *)o,
             EVENT(o)->flag ? "set" : "unset");
    return mpr__mstr_out(buf, out);
}

const mpr__mtype_t mpr__mtype_event = {
    .typeid = "Event",
    .proxytype = "EventProxy",
    .pyname = "Event",
    .pyclass = "threading.Event",
    .size = sizeof(event_t),
    .init_args = MPR__PYDEF(0, ""),
    .repr = event_repr,
    .methods = event_methods,
};

/* ---- Condition (over its own RLock) --------------------------------------
 */

static int c_wait(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                  unsigned long c, mpr_obj_t **out)
{
    lock_t *l = LOCK(o);
    waiter_t me = {NULL, 0}, **pp;
    struct timespec start;
    int64_t saved = l->count;
    double t;
    int rc;

    if ((rc = mpr__mtimeout_arg(ARG(0, "timeout"), &t)) < 0)
        return rc;
    if (l->count == 0 || l->owner != c)
        return mpr__error(MPR_ERUNTIME, "cannot wait on un-acquired lock");
    if (ARG(0, "timeout") && !mpr_obj_is_none(ARG(0, "timeout")) && t < 0)
        t = 0;
    for (pp = &l->waiters; *pp != NULL; pp = &(*pp)->next)
        ;
    *pp = &me;    /* appended: notify wakes the oldest first */
    l->count = 0; /* _release_save: the whole recursion level */
    l->owner = 0;
    mpr__mobj_broadcast();
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (!me.notified && t != 0 && !mpr__mobj_wait(t, &start))
        ;
    for (pp = &l->waiters; *pp != &me; pp = &(*pp)->next)
        ;
    *pp = me.next;
    mpr__mwait_until(o, c, lock_free, -1); /* _acquire_restore */
    l->count = saved;
    l->owner = c;
    RET_BOOL(me.notified);
}

static int c_notify_n(lock_t *l, unsigned long c, int64_t n)
{
    if (l->count == 0 || l->owner != c)
        return mpr__error(MPR_ERUNTIME, "cannot notify on un-acquired lock");
    for (waiter_t *w = l->waiters; w != NULL && n > 0; w = w->next)
        if (!w->notified) {
            w->notified = 1;
            n--;
        }
    return 0;
}

static int c_notify(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                    unsigned long c, mpr_obj_t **out)
{
    int64_t n = 1;
    int rc;

    if (ARG(0, "n") && (rc = mpr_obj_as_int64(ARG(0, "n"), &n)) < 0)
        return rc;
    if ((rc = c_notify_n(LOCK(o), c, n)) < 0)
        return rc;
    RET_NONE();
}

static int c_notify_all(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                        unsigned long c, mpr_obj_t **out)
{
    int rc;

    (void)a, (void)kw;
    if ((rc = c_notify_n(LOCK(o), c, INT64_MAX)) < 0)
        return rc;
    RET_NONE();
}

/* acquire and release are the RLock's own (CPython binds them). */
static const mpr__mmeth_t cond_methods[] = {
    {"acquire", lock_acquire, MPR__OWNARGS},
    {"release",
     lock_release,
     {MPR__MARGS_NOARGS, 0, 0, 0, "RLock.release", NULL}},
    {"wait", c_wait, MPR__PYDEF(0, "timeout")},
    {"notify", c_notify, MPR__PYDEF(0, "n")},
    {"notify_all", c_notify_all, MPR__PYDEF(0, "")},
    {NULL, NULL, MPR__OWNARGS}};

static int cond_init(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw)
{
    if (ARG(0, "lock") != NULL && !mpr_obj_is_none(ARG(0, "lock")))
        return mpr__error(MPR_ETYPE, "a Condition over another lock "
                                     "cannot be made through a manager "
                                     "by libmpref");
    LOCK(o)->recursive = 1;
    return 0;
}

static int cond_repr(const mpr__mobj_t *o, mpr_obj_t **out)
{
    const lock_t *l = (const lock_t *)o;
    char buf[200];
    size_t n = 0;

    for (const waiter_t *w = l->waiters; w != NULL; w = w->next)
        n++;
    snprintf(buf, sizeof(buf),
             "<Condition(<%s _thread.RLock object owner=%lu count=%lld at "
             "%p>, %zu)>",
             l->count ? "locked" : "unlocked", l->owner, (long long)l->count,
             (const void *)&l->owner, n);
    return mpr__mstr_out(buf, out);
}

const mpr__mtype_t mpr__mtype_condition = {
    .typeid = "Condition",
    .proxytype = "ConditionProxy",
    .pyname = "Condition",
    .pyclass = "threading.Condition",
    .size = sizeof(lock_t),
    .init = cond_init,
    .init_args = MPR__PYDEF(0, "lock"),
    .repr = cond_repr,
    .methods = cond_methods,
};

/* ---- Barrier (threading.Barrier, states as its _state) -------------------
 */

static int b_not_changing(const mpr__mobj_t *o, unsigned long client)
{
    (void)client;
    return BARRIER(o)->state != -1 && BARRIER(o)->state != 1;
}

static int b_released(const mpr__mobj_t *o, unsigned long client)
{
    (void)client;
    return BARRIER(o)->state != 0;
}

static int broken(void)
{
    return mpr__error(MPR_EBROKENBARRIER, NULL);
}

/* Barrier._exit: the last one out of a draining/resetting barrier. */
static void b_exit(barrier_t *b)
{
    if (b->count == 0 && (b->state == -1 || b->state == 1))
        b->state = 0;
}

/* Barrier.wait(timeout=None): None takes the barrier's own timeout; as
 * _wait's Condition.wait_for, a negative one is a deadline already past
 * (one look, then the barrier breaks), not "for ever". */
static int b_timeout(const barrier_t *b, const mpr_obj_t *tobj, double *t)
{
    int rc;

    if (tobj == NULL || mpr_obj_is_none(tobj))
        tobj = b->timeout;
    if ((rc = mpr__mtimeout_arg(tobj, t)) < 0)
        return rc;
    if (tobj != NULL && !mpr_obj_is_none(tobj) && *t < 0)
        *t = 0;
    return 0;
}

/* _release's self._action(): fn(args, NULL) of the registered target the
 * value names, run without the server lock, as CPython's server runs the
 * action under the Barrier's own lock only (the action may call this
 * server, as an action appending to a manager list does); the other
 * parties keep waiting, the state still "filling". */
static int run_action(const mpr_obj_t *action)
{
    const mpr_obj_t *id =
        mpr_obj_len(action) == 3 ? mpr_obj_item(action, 1) : NULL;
    mpr_target_t fn = NULL;
    int rc;

    if (mpr_obj_type(action) == MPR_OBJ_TUPLE && id != NULL &&
        mpr_obj_type(id) == MPR_OBJ_STR)
        fn = (mpr_target_t)mpr__target_lookup(mpr_obj_str_utf8(id, NULL));
    if (fn == NULL)
        return mpr__error(MPR_ETYPE, "'%s' object is not callable",
                          mpr_obj_type_name(action));
    mpr__mobj_unlock();
    rc = fn(mpr_obj_item(action, 2), NULL);
    mpr__mobj_lock();
    return rc < 0 ? rc : 0;
}

static int b_wait(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                  unsigned long c, mpr_obj_t **out)
{
    barrier_t *b = BARRIER(o);
    int64_t index;
    double t;
    int rc;

    if ((rc = b_timeout(b, ARG(0, "timeout"), &t)) < 0)
        return rc;
    /* _enter: blocks while the barrier drains or resets, with no
     * timeout (CPython's self._cond.wait()) */
    mpr__mwait_until(o, c, b_not_changing, -1);
    if (b->state < 0)
        return broken();
    index = b->count++;
    if (index + 1 == b->parties) {
        if (b->action != NULL && (rc = run_action(b->action)) < 0) {
            b->state = -2; /* _release's except: _break(), then raise */
            b->count--;
            b_exit(b);
            return rc;
        }
        b->state = 1; /* _release */
    } else if (!mpr__mwait_until(o, c, b_released, t) || b->state < 0) {
        if (b->state == 0) /* timed out: _break */
            b->state = -2;
        b->count--;
        b_exit(b);
        return broken();
    }
    b->count--;
    b_exit(b);
    RET(mpr_obj_int(index));
}

static int b_abort(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                   unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw, (void)c;
    BARRIER(o)->state = -2;
    RET_NONE();
}

static int b_reset(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                   unsigned long c, mpr_obj_t **out)
{
    barrier_t *b = BARRIER(o);

    (void)a, (void)kw, (void)c;
    if (b->count > 0)
        b->state = b->state == 0 || b->state == -2 ? -1 : b->state;
    else
        b->state = 0;
    RET_NONE();
}

/* BarrierProxy's properties: parties, n_waiting, broken. */
static int b_getattr(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                     unsigned long c, mpr_obj_t **out)
{
    barrier_t *b = BARRIER(o);
    const mpr_obj_t *n = ARG(0, NULL);
    const char *s =
        mpr_obj_type(n) == MPR_OBJ_STR ? mpr_obj_str_utf8(n, NULL) : "";

    (void)c;
    if (strcmp(s, "parties") == 0)
        RET(mpr_obj_int(b->parties));
    if (strcmp(s, "n_waiting") == 0)
        RET(mpr_obj_int(b->state == 0 ? b->count : 0));
    if (strcmp(s, "broken") == 0)
        RET_BOOL(b->state == -2);
    return mpr__error(MPR_EATTR, "'Barrier' object has no attribute '%s'", s);
}

static const mpr__mmeth_t barrier_methods[] = {
    {"__getattribute__", b_getattr, MPR__WRAPPER(1)},
    {"wait", b_wait, MPR__PYDEF(0, "timeout")},
    {"abort", b_abort, MPR__PYDEF(0, "")},
    {"reset", b_reset, MPR__PYDEF(0, "")},
    {NULL, NULL, MPR__OWNARGS}};

/* Barrier(parties, action=None, timeout=None): an action is a value of
 * mpr_manager_action (a Python callable cannot reach a C server; anything
 * else fails when the barrier releases, as calling it would); timeout kept
 * as given and read by each wait() that has none, as CPython reads
 * self._timeout. */
static int barrier_init(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw)
{
    const mpr_obj_t *t = ARG(2, "timeout"), *action = ARG(1, "action");

    BARRIER(o)->timeout = t ? mpr_obj_incref((mpr_obj_t *)t) : NULL;
    if (action != NULL && !mpr_obj_is_none(action))
        BARRIER(o)->action = mpr_obj_incref((mpr_obj_t *)action);
    /* CPython 3.11's threading.Barrier does not check parties: with 0 or
     * fewer no wait() is ever the last, so each one breaks the barrier
     * when its timeout runs out (or waits for ever). */
    return mpr_obj_as_int64(ARG(0, "parties"), &BARRIER(o)->parties);
}

static void barrier_free(mpr__mobj_t *o)
{
    mpr_obj_decref(BARRIER(o)->timeout);
    mpr_obj_decref(BARRIER(o)->action);
}

static int barrier_repr(const mpr__mobj_t *o, mpr_obj_t **out)
{
    const barrier_t *b = (const barrier_t *)o;
    char buf[200];

    if (b->state == -2)
        snprintf(buf, sizeof(buf), "<threading.Barrier at %p: broken>",
                 (const void *)o);
    else
        snprintf(buf, sizeof(buf),
                 "<threading.Barrier at %p: waiters=%lld/%lld>",
                 (const void *)o, (long long)(b->state == 0 ? b->count : 0),
                 (long long)b->parties);
    return mpr__mstr_out(buf, out);
}

const mpr__mtype_t mpr__mtype_barrier = {
    .typeid = "Barrier",
    .proxytype = "BarrierProxy",
    .pyname = "Barrier",
    .pyclass = "threading.Barrier",
    .size = sizeof(barrier_t),
    .init = barrier_init,
    .init_args = MPR__PYDEF(1, "parties action timeout"),
    .free = barrier_free,
    .repr = barrier_repr,
    .methods = barrier_methods,
};
