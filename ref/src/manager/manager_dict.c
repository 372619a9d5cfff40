/*
 * manager_dict.c - the dict a manager's server holds, with the methods
 * CPython 3.11's DictProxy exposes (keys/values/items return lists, as
 * through a proxy) and builtins' messages.  Runs under the server lock.
 */
#include "manager/manager_internal.h"

#include <stdio.h>
#include <string.h>

/* KeyError(k): str() is repr(k). */
int mpr__mkey_error(const mpr_obj_t *k)
{
    char *r;
    int rc;

    if ((rc = mpr_obj_repr(k, &r, NULL)) < 0)
        return rc;
    rc = mpr__error(MPR_EKEY, "%s", r);
    mpr_free(r);
    return rc;
}

/* dict(src) for a dict or an iterable of pairs (dict.update's rules). */
int mpr__mdict_update(mpr_obj_t *d, const mpr_obj_t *src)
{
    mpr_obj_t *k, *v;
    size_t pos = 0;
    int rc;

    if (mpr_obj_type(src) == MPR_OBJ_DICT) {
        while (mpr_obj_dict_next(src, &pos, &k, &v))
            if ((rc = mpr_obj_dict_set(d, k, v)) < 0)
                return rc;
        return 0;
    }
    if (mpr_obj_type(src) != MPR_OBJ_LIST && mpr_obj_type(src) != MPR_OBJ_TUPLE)
        return mpr__error(MPR_ETYPE, "'%s' object is not iterable",
                          mpr_obj_type_name(src));
    for (size_t i = 0; i < mpr_obj_len(src); i++) {
        mpr_obj_t *e = mpr_obj_item(src, i);
        if (mpr_obj_type(e) != MPR_OBJ_LIST && mpr_obj_type(e) != MPR_OBJ_TUPLE)
            return mpr__error(MPR_ETYPE,
                              "cannot convert dictionary update sequence "
                              "element #%zu to a sequence",
                              i);
        if (mpr_obj_len(e) != 2)
            return mpr__error(MPR_EVALUE,
                              "dictionary update sequence element #%zu has "
                              "length %zu; 2 is required",
                              i, mpr_obj_len(e));
        if ((rc = mpr_obj_dict_set(d, mpr_obj_item(e, 0), mpr_obj_item(e, 1))) <
            0)
            return rc;
    }
    return 0;
}

mpr_obj_t *mpr__mdict_copy(const mpr_obj_t *src)
{
    mpr_obj_t *d = mpr_obj_dict();

    if (d != NULL && mpr__mdict_update(d, src) < 0) {
        mpr_obj_decref(d);
        return NULL;
    }
    return d;
}

/* list(src) for a list or tuple (count items from start, n of them). */
static mpr_obj_t *list_slice(const mpr_obj_t *src, size_t start, size_t n)
{
    mpr_obj_t *l = mpr_obj_list();

    for (size_t i = start; l != NULL && i < start + n; i++)
        if (mpr_obj_list_append(l, mpr_obj_item(src, i)) < 0) {
            mpr_obj_decref(l);
            return NULL;
        }
    return l;
}

mpr_obj_t *mpr__mlist_copy(const mpr_obj_t *src)
{
    if (mpr_obj_type(src) != MPR_OBJ_LIST &&
        mpr_obj_type(src) != MPR_OBJ_TUPLE) {
        mpr__error(MPR_ETYPE, "'%s' object is not iterable",
                   mpr_obj_type_name(src));
        return NULL;
    }
    return list_slice(src, 0, mpr_obj_len(src));
}

/* ---- dict ---------------------------------------------------------------- */

static int d_getitem(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                     unsigned long c, mpr_obj_t **out)
{
    mpr_obj_t *v;
    int rc;

    (void)c;
    if (!ARG(0, NULL))
        return mpr__error(MPR_ETYPE, "dict.__getitem__() takes exactly one "
                                     "argument (0 given)");
    if ((rc = mpr_obj_dict_get(o->v, ARG(0, NULL), &v)) < 0)
        return rc;
    if (rc == 0)
        return mpr__mkey_error(ARG(0, NULL));
    *out = mpr_obj_incref(v);
    return 0;
}

static int d_get(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                 unsigned long c, mpr_obj_t **out)
{
    const mpr_obj_t *dflt = ARG(1, NULL);
    int rc;

    if (!ARG(0, NULL))
        return mpr__error(MPR_ETYPE, "get expected at least 1 argument, got 0");
    if ((rc = d_getitem(o, a, kw, c, out)) != MPR_EKEY)
        return rc;
    *out = dflt ? mpr_obj_incref((mpr_obj_t *)dflt) : mpr_obj_none();
    return 0;
}

static int d_setitem(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                     unsigned long c, mpr_obj_t **out)
{
    int rc;

    (void)c;
    if (!ARG(1, NULL)) /* CPython's wrapper names no function here */
        return mpr__error(MPR_ETYPE, " expected 2 arguments, got %zu",
                          mpr_obj_len(a));
    if ((rc = mpr_obj_dict_set(o->v, (mpr_obj_t *)ARG(0, NULL),
                               (mpr_obj_t *)ARG(1, NULL))) < 0)
        return rc;
    RET_NONE();
}

static int d_delitem(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                     unsigned long c, mpr_obj_t **out)
{
    int rc;

    (void)c;
    if (!ARG(0, NULL))
        return mpr__error(MPR_ETYPE, "expected 1 argument, got 0");
    if ((rc = mpr_obj_dict_del(o->v, ARG(0, NULL))) < 0)
        return rc;
    RET_NONE();
}

static int d_pop(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                 unsigned long c, mpr_obj_t **out)
{
    const mpr_obj_t *k = ARG(0, NULL);
    mpr_obj_t *v;
    int rc;

    (void)c;
    if (k == NULL)
        return mpr__error(MPR_ETYPE, "pop expected at least 1 argument, got 0");
    if ((rc = mpr_obj_dict_get(o->v, k, &v)) < 0)
        return rc;
    if (rc == 0) {
        if (ARG(1, NULL) == NULL)
            return mpr__mkey_error(k);
        *out = mpr_obj_incref((mpr_obj_t *)ARG(1, NULL));
        return 0;
    }
    *out = mpr_obj_incref(v);
    mpr_obj_dict_del(o->v, k);
    return 0;
}

static int d_popitem(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                     unsigned long c, mpr_obj_t **out)
{
    mpr_obj_t *k = NULL, *v = NULL, *t;
    size_t pos = 0;

    (void)a, (void)kw, (void)c;
    while (mpr_obj_dict_next(o->v, &pos, &k, &v))
        ; /* LIFO: the last inserted pair */
    if (k == NULL)
        return mpr__error(MPR_EKEY, "'popitem(): dictionary is empty'");
    if ((t = mpr_obj_tuple(2, k, v)) == NULL)
        return mpr_last_error();
    mpr_obj_dict_del(o->v, k);
    *out = t;
    return 0;
}

static int d_len(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                 unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw, (void)c;
    RET(mpr_obj_int((int64_t)mpr_obj_len(o->v)));
}

static int d_contains(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                      unsigned long c, mpr_obj_t **out)
{
    mpr_obj_t *v;
    int rc;

    (void)c;
    if (!ARG(0, NULL))
        return mpr__error(MPR_ETYPE, "dict.__contains__() takes exactly one "
                                     "argument (0 given)");
    if ((rc = mpr_obj_dict_get(o->v, ARG(0, NULL), &v)) < 0)
        return rc;
    RET_BOOL(rc);
}

/* keys/values/items: lists (the proxy's copies, as CPython returns). */
static int d_view(mpr__mobj_t *o, int which, mpr_obj_t **out)
{
    mpr_obj_t *l = mpr_obj_list(), *k, *v;
    size_t pos = 0;

    while (l != NULL && mpr_obj_dict_next(o->v, &pos, &k, &v)) {
        mpr_obj_t *e = which == 0   ? mpr_obj_incref(k)
                       : which == 1 ? mpr_obj_incref(v)
                                    : mpr_obj_tuple(2, k, v);
        if (mpr_obj_list_append_steal(l, e) < 0) {
            mpr_obj_decref(l);
            l = NULL;
        }
    }
    RET(l);
}

static int d_keys(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                  unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw, (void)c;
    return d_view(o, 0, out);
}

static int d_values(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                    unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw, (void)c;
    return d_view(o, 1, out);
}

static int d_items(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                   unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw, (void)c;
    return d_view(o, 2, out);
}

static int d_update(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                    unsigned long c, mpr_obj_t **out)
{
    int rc;

    (void)c;
    if (mpr_obj_len(a) > 0 &&
        (rc = mpr__mdict_update(o->v, mpr_obj_item(a, 0))) < 0)
        return rc;
    if (kw != NULL && (rc = mpr__mdict_update(o->v, kw)) < 0)
        return rc;
    RET_NONE();
}

static int d_clear(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                   unsigned long c, mpr_obj_t **out)
{
    mpr_obj_t *d = mpr_obj_dict();

    (void)a, (void)kw, (void)c;
    if (d == NULL)
        return mpr_last_error();
    mpr_obj_decref(o->v);
    o->v = d;
    RET_NONE();
}

static int d_copy(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                  unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw, (void)c;
    RET(mpr__mdict_copy(o->v));
}

static int d_setdefault(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                        unsigned long c, mpr_obj_t **out)
{
    const mpr_obj_t *dflt = ARG(1, NULL);
    mpr_obj_t *none = mpr_obj_none();
    int rc;

    if (!ARG(0, NULL))
        return mpr__error(MPR_ETYPE,
                          "setdefault expected at least 1 argument, got 0");
    if ((rc = d_getitem(o, a, kw, c, out)) != MPR_EKEY)
        return rc;
    rc = mpr_obj_dict_set(o->v, (mpr_obj_t *)ARG(0, NULL),
                          dflt ? (mpr_obj_t *)dflt : none);
    if (rc < 0)
        return rc;
    *out = dflt ? mpr_obj_incref((mpr_obj_t *)dflt) : none;
    return 0;
}

const mpr__mmeth_t mpr__mdict_methods[] = {{"__contains__", d_contains},
                                           {"__delitem__", d_delitem},
                                           {"__getitem__", d_getitem},
                                           {"__len__", d_len},
                                           {"__setitem__", d_setitem},
                                           {"clear", d_clear},
                                           {"copy", d_copy},
                                           {"get", d_get},
                                           {"items", d_items},
                                           {"keys", d_keys},
                                           {"pop", d_pop},
                                           {"popitem", d_popitem},
                                           {"setdefault", d_setdefault},
                                           {"update", d_update},
                                           {"values", d_values},
                                           {NULL, NULL}};
