/*
 * mobj_builtins_dict.c - the builtins.dict a manager's server holds
 * (SyncManager's 'dict' typeid), with the methods CPython 3.11's
 * DictProxy exposes (keys/values/items return lists, as through a proxy)
 * and builtins' messages; the helpers list and Namespace share (the box
 * holding one value, dict and list copies).  Runs under the server lock.
 * State: the dict (mpr__mbox_t).
 */
#include "manager/manager_internal.h"

#include <stdio.h>
#include <string.h>

#define V(o) (((mpr__mbox_t *)(o))->v)

void mpr__mbox_free(mpr__mobj_t *o)
{
    mpr_obj_decref(V(o));
}

/* KeyError(k): str() is repr(k). */
static int key_error(const mpr_obj_t *k)
{
    char *r;
    int rc;

    if ((rc = mpr_obj_repr(k, &r, NULL)) < 0)
        return rc;
    mpr__mexc_key(k); /* the '#ERROR' reply's KeyError(k) */
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
    if ((rc = mpr_obj_dict_get(V(o), ARG(0, NULL), &v)) < 0)
        return rc;
    if (rc == 0)
        return key_error(ARG(0, NULL));
    *out = mpr_obj_incref(v);
    return 0;
}

static int d_get(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                 unsigned long c, mpr_obj_t **out)
{
    const mpr_obj_t *dflt = ARG(1, NULL);
    int rc;

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
    if ((rc = mpr_obj_dict_set(V(o), (mpr_obj_t *)ARG(0, NULL),
                               (mpr_obj_t *)ARG(1, NULL))) < 0)
        return rc;
    RET_NONE();
}

static int d_delitem(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                     unsigned long c, mpr_obj_t **out)
{
    int rc;

    (void)c;
    if ((rc = mpr_obj_dict_del(V(o), ARG(0, NULL))) < 0)
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
    if ((rc = mpr_obj_dict_get(V(o), k, &v)) < 0)
        return rc;
    if (rc == 0) {
        if (ARG(1, NULL) == NULL)
            return key_error(k);
        *out = mpr_obj_incref((mpr_obj_t *)ARG(1, NULL));
        return 0;
    }
    *out = mpr_obj_incref(v);
    mpr_obj_dict_del(V(o), k);
    return 0;
}

static int d_popitem(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                     unsigned long c, mpr_obj_t **out)
{
    mpr_obj_t *k = NULL, *v = NULL, *t;
    size_t pos = 0;

    (void)a, (void)kw, (void)c;
    while (mpr_obj_dict_next(V(o), &pos, &k, &v))
        ; /* LIFO: the last inserted pair */
    if (k == NULL)
        return mpr__error(MPR_EKEY, "'popitem(): dictionary is empty'");
    if ((t = mpr_obj_tuple(2, k, v)) == NULL)
        return mpr_last_error();
    mpr_obj_dict_del(V(o), k);
    *out = t;
    return 0;
}

static int d_len(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                 unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw, (void)c;
    RET(mpr_obj_int((int64_t)mpr_obj_len(V(o))));
}

static int d_contains(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                      unsigned long c, mpr_obj_t **out)
{
    mpr_obj_t *v;
    int rc;

    (void)c;
    if ((rc = mpr_obj_dict_get(V(o), ARG(0, NULL), &v)) < 0)
        return rc;
    RET_BOOL(rc);
}

/* keys/values/items: lists (the proxy's copies, as CPython returns). */
static int d_view(mpr__mobj_t *o, int which, mpr_obj_t **out)
{
    mpr_obj_t *l = mpr_obj_list(), *k, *v;
    size_t pos = 0;

    while (l != NULL && mpr_obj_dict_next(V(o), &pos, &k, &v)) {
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
        (rc = mpr__mdict_update(V(o), mpr_obj_item(a, 0))) < 0)
        return rc;
    if (kw != NULL && (rc = mpr__mdict_update(V(o), kw)) < 0)
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
    mpr_obj_decref(V(o));
    V(o) = d;
    RET_NONE();
}

static int d_copy(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                  unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw, (void)c;
    RET(mpr__mdict_copy(V(o)));
}

static int d_setdefault(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                        unsigned long c, mpr_obj_t **out)
{
    const mpr_obj_t *dflt = ARG(1, NULL);
    mpr_obj_t *none = mpr_obj_none();
    int rc;

    if ((rc = d_getitem(o, a, kw, c, out)) != MPR_EKEY)
        return rc;
    rc = mpr_obj_dict_set(V(o), (mpr_obj_t *)ARG(0, NULL),
                          dflt ? (mpr_obj_t *)dflt : none);
    if (rc < 0)
        return rc;
    *out = dflt ? mpr_obj_incref((mpr_obj_t *)dflt) : none;
    return 0;
}

static int d_init(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw)
{
    if ((V(o) = mpr_obj_dict()) == NULL)
        return mpr_last_error();
    if (ARG(0, NULL) != NULL && mpr__mdict_update(V(o), ARG(0, NULL)) < 0)
        return mpr_last_error();
    if (kw != NULL && mpr__mdict_update(V(o), kw) < 0)
        return mpr_last_error();
    return 0;
}

int mpr__mbox_repr(const mpr__mobj_t *o, mpr_obj_t **out)
{
    char *r;
    int rc;

    if ((rc = mpr_obj_repr(V(o), &r, NULL)) < 0)
        return rc;
    rc = mpr__mstr_out(r, out);
    mpr_free(r);
    return rc;
}

/* __iter__ never runs here: the server answers it with an Iterator over
 * the dict (iter_type), as DictProxy's method_to_typeid says. */
static int d_iter(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                  unsigned long c, mpr_obj_t **out)
{
    (void)o, (void)a, (void)kw, (void)c, (void)out;
    return mpr__error(MPR_ETYPE, "__iter__ is answered by the server");
}

static const mpr__mmeth_t methods[] = {
    {"__contains__", d_contains, MPR__ONEARG},
    {"__delitem__", d_delitem, MPR__WRAPPER(1)},
    {"__getitem__", d_getitem, MPR__ONEARG},
    {"__iter__", d_iter, MPR__WRAPPER(0)},
    {"__len__", d_len, MPR__WRAPPER(0)},
    {"__setitem__", d_setitem, MPR__UNPACK(2)},
    {"clear", d_clear, MPR__NOARGS},
    {"copy", d_copy, MPR__NOARGS},
    {"get", d_get, MPR__CLINIC(1, 2)},
    {"items", d_items, MPR__NOARGS},
    {"keys", d_keys, MPR__NOARGS},
    {"pop", d_pop, MPR__CLINIC(1, 2)},
    {"popitem", d_popitem, MPR__NOARGS},
    {"setdefault", d_setdefault, MPR__CLINIC(1, 2)},
    {"update", d_update, {MPR__MARGS_CLINIC, 0, 1, MPR__MARGS_KW, NULL, NULL}},
    {"values", d_values, MPR__NOARGS},
    {NULL, NULL, MPR__OWNARGS}};

/* dict(*args, **kwds): "dict expected at most 1 argument, got 2". */
const mpr__mtype_t mpr__mtype_dict = {
    .typeid = "dict",
    .proxytype = "DictProxy",
    .pyname = "dict",
    .size = sizeof(mpr__mbox_t),
    .init = d_init,
    .init_args = {MPR__MARGS_CLINIC, 0, 1, MPR__MARGS_KW, "dict", NULL},
    .free = mpr__mbox_free,
    .repr = mpr__mbox_repr,
    .methods = methods,
    .iter_type = &mpr__mtype_iterator,
};

/* ---- iter(dict): a dict_keyiterator (SyncManager's 'Iterator') --------- */

typedef struct {
    mpr__mobj_t head;
    mpr__mobj_t *dict; /* NULL once exhausted (di_dict) */
    size_t pos;
    int64_t used; /* len(dict) when made; -1 after a size change (sticky) */
} iter_t;

#define IT(o) ((iter_t *)(o))

static int it_over(mpr__mobj_t *o, mpr__mobj_t *src)
{
    IT(o)->dict = src;
    IT(o)->used = (int64_t)mpr_obj_len(V(src));
    return 0;
}

/* create('Iterator') from a client: CPython's create() asserts one
 * argument, the object itself, which no client can send. */
static int it_init(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw)
{
    (void)o, (void)a, (void)kw;
    return mpr__error(MPR_EASSERT, "%s", "");
}

/* dictiter_iternextkey: the size check first, then the end */
static int it_next(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                   unsigned long c, mpr_obj_t **out)
{
    iter_t *it = IT(o);
    mpr_obj_t *k = NULL;

    (void)a, (void)kw, (void)c;
    if (it->dict == NULL)
        return mpr__error(MPR_ESTOPITERATION, "%s", "");
    if (it->used != (int64_t)mpr_obj_len(V(it->dict))) {
        it->used = -1;
        return mpr__error(MPR_ERUNTIME,
                          "dictionary changed size during iteration");
    }
    if (!mpr_obj_dict_next(V(it->dict), &it->pos, &k, NULL)) {
        it->dict = NULL;
        return mpr__error(MPR_ESTOPITERATION, "%s", "");
    }
    RET(mpr_obj_incref(k));
}

static int it_repr(const mpr__mobj_t *o, mpr_obj_t **out)
{
    char buf[64];

    snprintf(buf, sizeof(buf), "<dict_keyiterator object at %p>",
             (const void *)o);
    return mpr__mstr_out(buf, out);
}

static const mpr__mmeth_t it_methods[] = {
    {"__next__", it_next, MPR__WRAPPER(0)}, {NULL, NULL, MPR__OWNARGS}};

const mpr__mtype_t mpr__mtype_iterator = {
    .typeid = "Iterator",
    .proxytype = "IteratorProxy",
    .pyname = "dict_keyiterator",
    .size = sizeof(iter_t),
    .init = it_init,
    .init_args = {MPR__MARGS_OWN, 0, 0, 0, NULL, NULL},
    .repr = it_repr,
    .methods = it_methods,
    .init_over = it_over,
};
