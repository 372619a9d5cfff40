/*
 * manager_objects.c - the objects a manager's server holds (CPython 3.11
 * SyncManager's registry): dict, list, managers.Namespace, managers.Value,
 * with the methods DictProxy, ListProxy, NamespaceProxy and ValueProxy
 * expose and CPython's messages; the server's one lock and condition.
 * Per-server-process state only (no shared memory).
 */
#include "manager/manager_internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv;
static pthread_once_t cv_once = PTHREAD_ONCE_INIT;

static void cv_init(void)
{
    pthread_condattr_t a;

    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(&cv, &a);
    pthread_condattr_destroy(&a);
}

void mpr__mobj_lock(void)
{
    pthread_once(&cv_once, cv_init);
    pthread_mutex_lock(&mu);
}

void mpr__mobj_unlock(void)
{
    pthread_mutex_unlock(&mu);
}

void mpr__mobj_broadcast(void)
{
    pthread_cond_broadcast(&cv);
}

int mpr__mobj_wait(double timeout, const struct timespec *start)
{
    struct timespec t = *start;

    if (timeout < 0) {
        pthread_cond_wait(&cv, &mu);
        return 0;
    }
    t.tv_sec += (time_t)timeout;
    t.tv_nsec += (long)((timeout - (double)(time_t)timeout) * 1e9);
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return pthread_cond_timedwait(&cv, &mu, &t) == ETIMEDOUT;
}

const mpr_obj_t *mpr__marg(const mpr_obj_t *args, const mpr_obj_t *kw, size_t i,
                           const char *name)
{
    mpr_obj_t *v = NULL;

    if (i < mpr_obj_len(args))
        return mpr_obj_item(args, i);
    if (name != NULL && kw != NULL && mpr_obj_dict_get_str(kw, name, &v) == 1)
        return v;
    return NULL;
}

/* ---- Namespace and Value (managers.Namespace, managers.Value) ------------ */

static int attr_error(const char *type, const mpr_obj_t *name)
{
    return mpr__error(
        MPR_EATTR, "'%s' object has no attribute '%s'", type,
        mpr_obj_type(name) == MPR_OBJ_STR ? mpr_obj_str_utf8(name, NULL) : "?");
}

/* The name argument of __getattribute__/__setattr__/__delattr__, with
 * the messages of CPython's slot wrappers (n arguments wanted). */
static int name_arg(const mpr_obj_t *a, size_t n)
{
    const mpr_obj_t *name;

    if (mpr_obj_len(a) < n)
        return mpr__error(MPR_ETYPE, "%sexpected %zu argument%s, got %zu",
                          n > 1 ? " " : "", n, n > 1 ? "s" : "",
                          mpr_obj_len(a));
    name = mpr_obj_item(a, 0);
    if (mpr_obj_type(name) != MPR_OBJ_STR)
        return mpr__error(MPR_ETYPE, "attribute name must be string, not '%s'",
                          mpr_obj_type_name(name));
    return 0;
}

static int ns_get(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                  unsigned long c, mpr_obj_t **out)
{
    mpr_obj_t *v;
    int rc;

    (void)c;
    if ((rc = name_arg(a, 1)) < 0)
        return rc;
    if (mpr_obj_dict_get(o->v, ARG(0, NULL), &v) != 1)
        return attr_error("Namespace", ARG(0, NULL));
    RET(mpr_obj_incref(v));
}

static int ns_set(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                  unsigned long c, mpr_obj_t **out)
{
    int rc;

    (void)c;
    if ((rc = name_arg(a, 2)) < 0)
        return rc;
    if ((rc = mpr_obj_dict_set(o->v, (mpr_obj_t *)ARG(0, NULL),
                               (mpr_obj_t *)ARG(1, NULL))) < 0)
        return rc;
    RET_NONE();
}

static int ns_del(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                  unsigned long c, mpr_obj_t **out)
{
    int rc;

    (void)c;
    if ((rc = name_arg(a, 1)) < 0)
        return rc;
    if (mpr_obj_dict_del(o->v, ARG(0, NULL)) < 0)
        return attr_error("Namespace", ARG(0, NULL));
    RET_NONE();
}

static const mpr__mmeth_t ns_methods[] = {{"__getattribute__", ns_get},
                                          {"__setattr__", ns_set},
                                          {"__delattr__", ns_del},
                                          {NULL, NULL}};

static int v_get(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                 unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw, (void)c;
    RET(mpr_obj_incref(o->v));
}

static int v_set(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                 unsigned long c, mpr_obj_t **out)
{
    (void)c;
    if (ARG(0, "value") == NULL)
        return mpr__error(MPR_ETYPE, "Value.set() missing 1 required "
                                     "positional argument: 'value'");
    mpr_obj_decref(o->v);
    o->v = mpr_obj_incref((mpr_obj_t *)ARG(0, "value"));
    RET_NONE();
}

static const mpr__mmeth_t value_methods[] = {
    {"get", v_get}, {"set", v_set}, {NULL, NULL}};

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* repr(Namespace): non-underscore attributes, "name=repr" sorted. */
static int ns_repr(const mpr__mobj_t *o, mpr_obj_t **out)
{
    size_t n = mpr_obj_len(o->v), pos = 0, k = 0, len = 12;
    char **parts = mpr__sys.calloc(n + 1, sizeof(*parts)), *buf = NULL;
    mpr_obj_t *key, *val;
    int rc = 0;

    if (parts == NULL)
        return MPR__ERR(ENOMEM);
    while (rc == 0 && mpr_obj_dict_next(o->v, &pos, &key, &val)) {
        const char *s = mpr_obj_str_utf8(key, NULL);
        char *r;
        if (s[0] == '_')
            continue;
        if ((rc = mpr_obj_repr(val, &r, NULL)) < 0)
            break;
        if (mpr__asprintf(&parts[k], "%s=%s", s, r) < 0)
            rc = MPR__ERR(ENOMEM);
        else
            len += strlen(parts[k++]) + 2;
        mpr_free(r);
    }
    qsort(parts, k, sizeof(*parts), cmp_str);
    if (rc == 0 && (buf = mpr__sys.malloc(len)) == NULL)
        rc = MPR__ERR(ENOMEM);
    if (rc == 0) {
        strcpy(buf, "Namespace(");
        for (size_t i = 0; i < k; i++) {
            if (i > 0)
                strcat(buf, ", ");
            strcat(buf, parts[i]);
        }
        strcat(buf, ")");
        if ((*out = mpr_obj_str(buf)) == NULL)
            rc = mpr_last_error();
    }
    for (size_t i = 0; i < k; i++)
        free(parts[i]);
    free(parts);
    free(buf);
    return rc;
}

static int value_repr(const mpr__mobj_t *o, mpr_obj_t **out)
{
    char *t = NULL, *v = NULL, *s = NULL;
    int rc;

    if ((rc = mpr_obj_repr(o->typecode, &t, NULL)) == 0 &&
        (rc = mpr_obj_repr(o->v, &v, NULL)) == 0) {
        if (mpr__asprintf(&s, "Value(%s, %s)", t, v) < 0)
            rc = MPR__ERR(ENOMEM);
        else if ((*out = mpr_obj_str(s)) == NULL)
            rc = mpr_last_error();
    }
    mpr_free(t);
    mpr_free(v);
    free(s);
    return rc;
}

/* ---- the registry ----------------------------------------------------------
 */

static const struct {
    const char *typeid;
    int kind;
} types[] = {
    {"dict", MPR__M_DICT},           {"list", MPR__M_LIST},
    {"Namespace", MPR__M_NAMESPACE}, {"Value", MPR__M_VALUE},
    {"Lock", MPR__M_LOCK},           {"RLock", MPR__M_RLOCK},
    {"Semaphore", MPR__M_SEMAPHORE}, {"BoundedSemaphore", MPR__M_BSEMAPHORE},
    {"Event", MPR__M_EVENT},         {"Queue", MPR__M_QUEUE},
    {"Condition", MPR__M_CONDITION}, {"Barrier", MPR__M_BARRIER},
    {"Array", MPR__M_ARRAY},
};

static const mpr__mmeth_t *methods(int kind)
{
    switch (kind) {
    case MPR__M_DICT:
        return mpr__mdict_methods;
    case MPR__M_LIST:
        return mpr__mlist_methods;
    case MPR__M_NAMESPACE:
        return ns_methods;
    case MPR__M_VALUE:
        return value_methods;
    default:
        return mpr__msync_methods(kind);
    }
}

static int init(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw)
{
    switch (o->kind) {
    case MPR__M_DICT:
        o->v = mpr_obj_dict();
        if (o->v && ARG(0, NULL) && mpr__mdict_update(o->v, ARG(0, NULL)) < 0)
            return mpr_last_error();
        if (o->v && kw && mpr__mdict_update(o->v, kw) < 0)
            return mpr_last_error();
        break;
    case MPR__M_LIST:
        o->v = ARG(0, NULL) ? mpr__mlist_copy(ARG(0, NULL)) : mpr_obj_list();
        break;
    case MPR__M_NAMESPACE:
        o->v = kw ? mpr__mdict_copy(kw) : mpr_obj_dict();
        break;
    case MPR__M_VALUE:
        if (ARG(0, "typecode") == NULL && ARG(1, "value") == NULL)
            return mpr__error(MPR_ETYPE, "Value.__init__() missing 2 required "
                                         "positional arguments: 'typecode' "
                                         "and 'value'");
        if (ARG(0, "typecode") == NULL || ARG(1, "value") == NULL)
            return mpr__error(MPR_ETYPE,
                              "Value.__init__() missing 1 required "
                              "positional argument: '%s'",
                              ARG(0, "typecode") ? "value" : "typecode");
        o->typecode = mpr_obj_incref((mpr_obj_t *)ARG(0, "typecode"));
        o->v = mpr_obj_incref((mpr_obj_t *)ARG(1, "value"));
        return 0;
    default:
        return mpr__msync_init(o, a, kw);
    }
    return o->v ? 0 : mpr_last_error();
}

int mpr__mobj_create(const char *typeid, const mpr_obj_t *args,
                     const mpr_obj_t *kwds, mpr__mobj_t **out)
{
    mpr__mobj_t *o;
    int rc;

    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        if (strcmp(types[i].typeid, typeid) != 0)
            continue;
        if ((o = mpr__sys.calloc(1, sizeof(*o))) == NULL)
            return MPR__ERR(ENOMEM);
        o->kind = types[i].kind;
        mpr__mobj_lock();
        rc = init(o, args, kwds);
        mpr__mobj_unlock();
        if (rc < 0) {
            mpr__mobj_free(o);
            return rc;
        }
        *out = o;
        return 0;
    }
    return mpr__error(MPR_EKEY, "'%s'", typeid);
}

void mpr__mobj_free(mpr__mobj_t *o)
{
    if (o == NULL)
        return;
    mpr_obj_decref(o->v);
    mpr_obj_decref(o->typecode);
    free(o);
}

mpr_obj_t *mpr__mobj_exposed(const mpr__mobj_t *o)
{
    const mpr__mmeth_t *m = methods(o->kind);
    size_t n = 0;
    mpr_obj_t *t;

    while (m[n].name != NULL)
        n++;
    if ((t = mpr_obj_tuple_new(n)) == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (mpr_obj_tuple_set_steal(t, i, mpr_obj_str(m[i].name)) < 0) {
            mpr_obj_decref(t);
            return NULL;
        }
    return t;
}

int mpr__mobj_call(mpr__mobj_t *o, const char *method, const mpr_obj_t *args,
                   const mpr_obj_t *kwds, unsigned long client, mpr_obj_t **out)
{
    const mpr__mmeth_t *m = methods(o->kind);
    int rc;

    for (; m->name != NULL; m++) {
        if (strcmp(m->name, method) != 0)
            continue;
        *out = NULL;
        mpr__mobj_lock();
        rc = m->fn(o, args, kwds, client, out);
        /* Wake every waiter: any call may have changed what one waits for. */
        pthread_cond_broadcast(&cv);
        mpr__mobj_unlock();
        return rc;
    }
    return mpr__error(MPR_EATTR, "no method '%s'", method);
}

int mpr__mobj_repr(mpr__mobj_t *o, mpr_obj_t **out)
{
    char *r;
    int rc;

    mpr__mobj_lock();
    switch (o->kind) {
    case MPR__M_DICT:
    case MPR__M_LIST:
        if ((rc = mpr_obj_repr(o->v, &r, NULL)) == 0) {
            *out = mpr_obj_str(r);
            rc = *out ? 0 : mpr_last_error();
            mpr_free(r);
        }
        break;
    case MPR__M_NAMESPACE:
        rc = ns_repr(o, out);
        break;
    case MPR__M_VALUE:
        rc = value_repr(o, out);
        break;
    default:
        rc = mpr__msync_repr(o, out);
    }
    mpr__mobj_unlock();
    return rc;
}
