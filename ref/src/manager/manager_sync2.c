/*
 * manager_sync2.c - threading.Condition (over an RLock), threading.Barrier
 * (without action) and array.array (integer indices only: slices cannot be
 * carried by mpr_obj_t) of CPython 3.11, as a manager's server holds them
 * behind ConditionProxy, BarrierProxy and ArrayProxy.  Conditions keep
 * their waiters in a list of nodes on the waiting threads' stacks; all
 * state is under the server lock.
 */
#include "manager/manager_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Condition ------------------------------------------------------------
 */

typedef struct waiter_s {
    struct waiter_s *next;
    int notified;
} waiter_t;

static int lock_free(const mpr__mobj_t *o, unsigned long client)
{
    return o->count == 0 || o->owner == client;
}

static int c_wait(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                  unsigned long c, mpr_obj_t **out)
{
    waiter_t me = {NULL, 0}, **pp;
    struct timespec start;
    int64_t saved = o->count;
    double t;
    int rc;

    if ((rc = mpr__mtimeout_arg(ARG(0, "timeout"), &t)) < 0)
        return rc;
    if (o->count == 0 || o->owner != c)
        return mpr__error(MPR_ERUNTIME, "cannot wait on un-acquired lock");
    if (ARG(0, "timeout") && !mpr_obj_is_none(ARG(0, "timeout")) && t < 0)
        t = 0;
    for (pp = (waiter_t **)&o->waiters; *pp != NULL; pp = &(*pp)->next)
        ;
    *pp = &me;    /* appended: notify wakes the oldest first */
    o->count = 0; /* _release_save: the whole recursion level */
    o->owner = 0;
    mpr__mobj_broadcast();
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (!me.notified && t != 0 && !mpr__mobj_wait(t, &start))
        ;
    for (pp = (waiter_t **)&o->waiters; *pp != &me; pp = &(*pp)->next)
        ;
    *pp = me.next;
    mpr__mwait_until(o, c, lock_free, -1); /* _acquire_restore */
    o->count = saved;
    o->owner = c;
    RET_BOOL(me.notified);
}

static int c_notify_n(mpr__mobj_t *o, unsigned long c, int64_t n)
{
    if (o->count == 0 || o->owner != c)
        return mpr__error(MPR_ERUNTIME, "cannot notify on un-acquired lock");
    for (waiter_t *w = o->waiters; w != NULL && n > 0; w = w->next)
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
    if ((rc = c_notify_n(o, c, n)) < 0)
        return rc;
    RET_NONE();
}

static int c_notify_all(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                        unsigned long c, mpr_obj_t **out)
{
    int rc;

    (void)a, (void)kw;
    if ((rc = c_notify_n(o, c, INT64_MAX)) < 0)
        return rc;
    RET_NONE();
}

static const mpr__mmeth_t cond_methods[] = {{"acquire", mpr__mlock_acquire},
                                            {"release", mpr__mlock_release},
                                            {"wait", c_wait},
                                            {"notify", c_notify},
                                            {"notify_all", c_notify_all},
                                            {NULL, NULL}};

/* ---- Barrier (threading.Barrier, states as its _state) --------------- */

static int b_not_changing(const mpr__mobj_t *o, unsigned long client)
{
    (void)client;
    return o->state != -1 && o->state != 1;
}

static int b_released(const mpr__mobj_t *o, unsigned long client)
{
    (void)client;
    return o->state != 0;
}

static int broken(void)
{
    return mpr__error(MPR_EBROKENBARRIER, NULL);
}

/* Barrier._exit: the last one out of a draining/resetting barrier. */
static void b_exit(mpr__mobj_t *o)
{
    if (o->count == 0 && (o->state == -1 || o->state == 1))
        o->state = 0;
}

static int b_wait(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                  unsigned long c, mpr_obj_t **out)
{
    int64_t index;
    double t;
    int rc;

    if ((rc = mpr__mtimeout_arg(ARG(0, "timeout"), &t)) < 0)
        return rc;
    if (!mpr__mwait_until(o, c, b_not_changing, t)) /* _enter */
        return broken();
    if (o->state < 0)
        return broken();
    index = o->count++;
    if (index + 1 == o->limit) {
        o->state = 1; /* _release: the action would run here */
    } else if (!mpr__mwait_until(o, c, b_released, t) || o->state < 0) {
        if (o->state == 0) /* timed out: _break */
            o->state = -2;
        o->count--;
        b_exit(o);
        return broken();
    }
    o->count--;
    b_exit(o);
    RET(mpr_obj_int(index));
}

static int b_abort(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                   unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw, (void)c;
    o->state = -2;
    RET_NONE();
}

static int b_reset(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                   unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw, (void)c;
    if (o->count > 0)
        o->state = o->state == 0 || o->state == -2 ? -1 : o->state;
    else
        o->state = 0;
    RET_NONE();
}

static int b_getattr(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                     unsigned long c, mpr_obj_t **out)
{
    const mpr_obj_t *n = ARG(0, NULL);
    const char *s =
        n && mpr_obj_type(n) == MPR_OBJ_STR ? mpr_obj_str_utf8(n, NULL) : "";

    (void)c;
    if (strcmp(s, "parties") == 0)
        RET(mpr_obj_int(o->limit));
    if (strcmp(s, "n_waiting") == 0)
        RET(mpr_obj_int(o->state == 0 ? o->count : 0));
    if (strcmp(s, "broken") == 0)
        RET_BOOL(o->state == -2);
    return mpr__error(MPR_EATTR, "'Barrier' object has no attribute '%s'", s);
}

static const mpr__mmeth_t barrier_methods[] = {{"__getattribute__", b_getattr},
                                               {"wait", b_wait},
                                               {"abort", b_abort},
                                               {"reset", b_reset},
                                               {NULL, NULL}};

/* ---- array.array ----------------------------------------------------------
 */

static const struct {
    char code;
    int64_t lo1, hi1; /* first conversion (PyArg format) */
    const char *lo1m, *hi1m;
    int64_t lo, hi; /* the item's own range */
    const char *lom, *him;
} codes[] = {
    {'b', -32768, 32767, "signed short integer is less than minimum",
     "signed short integer is greater than maximum", -128, 127,
     "signed char is less than minimum", "signed char is greater than maximum"},
    {'B', 0, 255, "unsigned byte integer is less than minimum",
     "unsigned byte integer is greater than maximum", 0, 255, "", ""},
    {'h', -32768, 32767, "signed short integer is less than minimum",
     "signed short integer is greater than maximum", -32768, 32767, "", ""},
    {'H', INT32_MIN, INT32_MAX, "signed integer is less than minimum",
     "signed integer is greater than maximum", 0, 65535,
     "unsigned short is less than minimum",
     "unsigned short is greater than maximum"},
    {'i', INT32_MIN, INT32_MAX, "signed integer is less than minimum",
     "signed integer is greater than maximum", INT32_MIN, INT32_MAX, "", ""},
    {'I', 0, UINT32_MAX, "can't convert negative value to unsigned int",
     "unsigned int is greater than maximum", 0, UINT32_MAX, "", ""},
    {'l', INT64_MIN, INT64_MAX, "", "", INT64_MIN, INT64_MAX, "", ""},
    {'L', 0, INT64_MAX, "can't convert negative value to unsigned int", "", 0,
     INT64_MAX, "", ""},
    {'q', INT64_MIN, INT64_MAX, "", "", INT64_MIN, INT64_MAX, "", ""},
    {'Q', 0, INT64_MAX, "can't convert negative int to unsigned", "", 0,
     INT64_MAX, "", ""},
};

/* The item array(code) stores for v (new reference), or NULL. */
static mpr_obj_t *a_item(char code, const mpr_obj_t *v)
{
    double d;
    int64_t i;

    if (code == 'f' || code == 'd') {
        if (mpr_obj_as_double(v, &d) < 0) {
            mpr__error(MPR_ETYPE, "must be real number, not %s",
                       mpr_obj_type_name(v));
            return NULL;
        }
        return mpr_obj_float(code == 'f' ? (double)(float)d : d);
    }
    if (mpr_obj_as_int64(v, &i) < 0)
        return NULL;
    for (size_t k = 0; k < sizeof(codes) / sizeof(codes[0]); k++) {
        if (codes[k].code != code)
            continue;
        if (i < codes[k].lo1 || i > codes[k].hi1 || i < codes[k].lo ||
            i > codes[k].hi) {
            mpr__error(MPR_EOVERFLOW, "%s",
                       i < codes[k].lo1   ? codes[k].lo1m
                       : i > codes[k].hi1 ? codes[k].hi1m
                       : i < codes[k].lo  ? codes[k].lom
                                          : codes[k].him);
            return NULL;
        }
    }
    return mpr_obj_int(i);
}

static char a_code(const mpr__mobj_t *o)
{
    return mpr_obj_str_utf8(o->typecode, NULL)[0];
}

static int a_index(const mpr__mobj_t *o, const mpr_obj_t *i, const char *msg,
                   size_t *out)
{
    int64_t v, n = (int64_t)mpr_obj_len(o->v);

    if (mpr_obj_type(i) != MPR_OBJ_INT && mpr_obj_type(i) != MPR_OBJ_BOOL)
        return mpr__error(MPR_ETYPE, "array indices must be integers");
    v = mpr_obj_int_value(i);
    if (v < 0)
        v += n;
    if (v < 0 || v >= n)
        return mpr__error(MPR_EINDEX, "%s", msg);
    *out = (size_t)v;
    return 0;
}

static int a_getitem(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                     unsigned long c, mpr_obj_t **out)
{
    size_t i;
    int rc;

    (void)c;
    if (ARG(0, NULL) == NULL)
        return mpr__error(MPR_ETYPE, "expected 1 argument, got 0");
    if ((rc = a_index(o, ARG(0, NULL), "array index out of range", &i)) < 0)
        return rc;
    RET(mpr_obj_incref(mpr_obj_item(o->v, i)));
}

static int a_setitem(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                     unsigned long c, mpr_obj_t **out)
{
    mpr_obj_t *v;
    size_t i;
    int rc;

    (void)c;
    if (ARG(1, NULL) == NULL) /* CPython's wrapper names no function */
        return mpr__error(MPR_ETYPE, " expected 2 arguments, got %zu",
                          mpr_obj_len(a));
    if ((rc = a_index(o, ARG(0, NULL), "array assignment index out of range",
                      &i)) < 0)
        return rc;
    if ((v = a_item(a_code(o), ARG(1, NULL))) == NULL)
        return mpr_last_error();
    if ((rc = mpr_obj_list_set_steal(o->v, i, v)) < 0)
        return rc;
    RET_NONE();
}

static int a_len(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                 unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw, (void)c;
    RET(mpr_obj_int((int64_t)mpr_obj_len(o->v)));
}

static const mpr__mmeth_t array_methods[] = {{"__len__", a_len},
                                             {"__getitem__", a_getitem},
                                             {"__setitem__", a_setitem},
                                             {NULL, NULL}};

/* ---- constructors and reprs ---------------------------------------------- */

static int array_init(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw)
{
    const mpr_obj_t *tc = ARG(0, "typecode"), *seq = ARG(1, "sequence");
    const char *s;

    /* SyncManager's Array(typecode, sequence, lock=True) */
    if (tc == NULL && seq == NULL)
        return mpr__error(MPR_ETYPE, "Array() missing 2 required positional "
                                     "arguments: 'typecode' and 'sequence'");
    if (tc == NULL || seq == NULL)
        return mpr__error(MPR_ETYPE,
                          "Array() missing 1 required positional argument: "
                          "'%s'",
                          tc ? "sequence" : "typecode");
    if (mpr_obj_type(tc) != MPR_OBJ_STR || mpr_obj_len(tc) != 1)
        return mpr__error(MPR_ETYPE,
                          "array() argument 1 must be a unicode "
                          "character, not %s",
                          mpr_obj_type_name(tc));
    s = mpr_obj_str_utf8(tc, NULL);
    if (strchr("bBhHiIlLqQfd", s[0]) == NULL)
        return mpr__error(MPR_EVALUE, "bad typecode (must be b, B, u, h, H, i, "
                                      "I, l, L, q, Q, f or d)");
    if (mpr_obj_type(seq) != MPR_OBJ_LIST && mpr_obj_type(seq) != MPR_OBJ_TUPLE)
        return mpr__error(MPR_ETYPE, "'%s' object is not iterable",
                          mpr_obj_type_name(seq));
    o->typecode = mpr_obj_incref((mpr_obj_t *)tc);
    if ((o->v = mpr_obj_list()) == NULL)
        return mpr_last_error();
    for (size_t i = 0; i < mpr_obj_len(seq); i++) {
        mpr_obj_t *v = a_item(s[0], mpr_obj_item(seq, i));
        if (v == NULL || mpr_obj_list_append_steal(o->v, v) < 0)
            return mpr_last_error();
    }
    return 0;
}

int mpr__msync2_init(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw)
{
    int64_t parties;
    int rc;

    switch (o->kind) {
    case MPR__M_CONDITION:
        if (ARG(0, "lock") != NULL && !mpr_obj_is_none(ARG(0, "lock")))
            return mpr__error(MPR_ETYPE, "a Condition over another lock "
                                         "cannot be made through a manager "
                                         "by libmpref");
        return 0;
    case MPR__M_BARRIER:
        if (ARG(0, "parties") == NULL)
            return mpr__error(MPR_ETYPE, "Barrier.__init__() missing 1 "
                                         "required positional argument: "
                                         "'parties'");
        /* CPython 3.11's threading.Barrier does not check parties: with
         * 0 or fewer no wait() is ever the last, so each one breaks the
         * barrier when its timeout runs out (or waits for ever). */
        if ((rc = mpr_obj_as_int64(ARG(0, "parties"), &parties)) < 0)
            return rc;
        o->limit = parties;
        return 0;
    default:
        return array_init(o, a, kw);
    }
}

const mpr__mmeth_t *mpr__msync2_methods(int kind)
{
    return kind == MPR__M_CONDITION ? cond_methods
           : kind == MPR__M_BARRIER ? barrier_methods
                                    : array_methods;
}

int mpr__msync2_repr(const mpr__mobj_t *o, mpr_obj_t **out)
{
    char buf[200], *r = NULL;
    const void *p = o;
    size_t n = 0;
    int rc;

    switch (o->kind) {
    case MPR__M_CONDITION:
        for (const waiter_t *w = o->waiters; w != NULL; w = w->next)
            n++;
        snprintf(buf, sizeof(buf),
                 "<Condition(<%s _thread.RLock object owner=%lu count=%lld at "
                 "%p>, %zu)>",
                 o->count ? "locked" : "unlocked", o->owner,
                 (long long)o->count, (const void *)&o->owner, n);
        break;
    case MPR__M_BARRIER:
        if (o->state == -2)
            snprintf(buf, sizeof(buf), "<threading.Barrier at %p: broken>", p);
        else
            snprintf(buf, sizeof(buf),
                     "<threading.Barrier at %p: waiters=%lld/%lld>", p,
                     (long long)(o->state == 0 ? o->count : 0),
                     (long long)o->limit);
        break;
    default:
        if (mpr_obj_len(o->v) == 0) {
            snprintf(buf, sizeof(buf), "array('%c')", a_code(o));
            break;
        }
        if ((rc = mpr_obj_repr(o->v, &r, NULL)) < 0)
            return rc;
        {
            char *s = NULL;
            if (mpr__asprintf(&s, "array('%c', %s)", a_code(o), r) < 0) {
                mpr_free(r);
                return MPR__ERR(ENOMEM);
            }
            mpr_free(r);
            *out = mpr_obj_str(s);
            free(s);
            return *out ? 0 : mpr_last_error();
        }
    }
    return (*out = mpr_obj_str(buf)) ? 0 : mpr_last_error();
}
