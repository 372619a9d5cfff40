/*
 * mobj_builtins_list.c - the builtins.list a manager's server holds
 * (SyncManager's 'list' typeid), with the methods CPython 3.11's
 * ListProxy exposes (integer indices and slices, with list_subscript's
 * and list_ass_subscript's rules; +, * and *=) and builtins' messages.  sort()
 * is a stable merge sort with Python's `<` for numbers, str, bytes, tuples and
 * lists.  Runs under the server lock.  State: the list (mpr__mbox_t).
 */
#include "manager/manager_internal.h"
#include "obj/objimpl.h"

#include <stdlib.h>
#include <string.h>

#define V(o) (((mpr__mbox_t *)(o))->v)

/* l[i]'s index: an int normalised against n (msg: the IndexError's). */
static int index_arg(const mpr_obj_t *i, size_t n, const char *msg, size_t *out)
{
    if (mpr_obj_type(i) != MPR_OBJ_INT && mpr_obj_type(i) != MPR_OBJ_BOOL)
        return mpr__error(MPR_ETYPE,
                          "list indices must be integers or slices, not %s",
                          mpr_obj_type_name(i));
    return mpr__mindex(i, n, msg, out);
}

/* The end of building a new list l with rc (0: built): the list's value
 * becomes l (install) or *out gets it; on an error l is dropped.
 * Returns rc. */
static int install(mpr__mobj_t *o, mpr_obj_t *l, int rc)
{
    if (rc < 0) {
        mpr_obj_decref(l);
        return rc;
    }
    mpr_obj_decref(V(o));
    V(o) = l;
    return 0;
}

static int give(mpr_obj_t *l, int rc, mpr_obj_t **out)
{
    if (rc < 0) {
        mpr_obj_decref(l);
        return rc;
    }
    *out = l;
    return 0;
}

/* A new list: l without item `skip` (SIZE_MAX: none), with v inserted
 * before position `at` (v NULL: nothing). */
static int rebuild(mpr__mobj_t *o, size_t skip, size_t at, const mpr_obj_t *v)
{
    mpr_obj_t *l = mpr_obj_list();
    size_t n = mpr_obj_len(V(o));

    for (size_t i = 0; l != NULL && i <= n; i++) {
        if (v != NULL && i == at && mpr_obj_list_append(l, (mpr_obj_t *)v) < 0)
            break;
        if (i < n && i != skip &&
            mpr_obj_list_append(l, mpr_obj_item(V(o), i)) < 0)
            break;
        if (i == n) {
            mpr_obj_decref(V(o));
            V(o) = l;
            return 0;
        }
    }
    mpr_obj_decref(l);
    return mpr_last_error();
}

/* ---- slices (Objects/listobject.c, 3.11) -------------------------------- */

typedef struct {
    int64_t start, stop, step;
    size_t count;
} span_t;

/* The items of an iterable value (list(v)) in a new tuple; a value that
 * does not iterate is TypeError msg (PySequence_Fast's). */
static int items_of(const mpr_obj_t *v, const char *msg, mpr_obj_t **out)
{
    switch (mpr_obj_type(v)) {
    case MPR_OBJ_TUPLE:
    case MPR_OBJ_LIST:
    case MPR_OBJ_DICT:
    case MPR_OBJ_STR:
    case MPR_OBJ_BYTES:
        return mpr__obj_to_tuple(v, out);
    default:
        return mpr__error(MPR_ETYPE, "%s", msg);
    }
}

/* l[s]: a new list of the items the slice selects. */
static int slice_get(mpr__mobj_t *o, const span_t *sp, mpr_obj_t **out)
{
    mpr_obj_t *l = mpr_obj_list();
    int rc = l ? 0 : mpr_last_error();

    for (size_t k = 0; rc == 0 && k < sp->count; k++)
        rc = mpr_obj_list_append(
            l, mpr_obj_item(V(o), (size_t)(sp->start + (int64_t)k * sp->step)));
    return give(l, rc, out);
}

/* Replaces the list by its items outside [lo, hi) with seq's in between
 * (seq NULL: none), as list_ass_slice. */
static int splice(mpr__mobj_t *o, size_t lo, size_t hi, const mpr_obj_t *seq)
{
    mpr_obj_t *l = mpr_obj_list();
    size_t n = mpr_obj_len(V(o)), m = seq ? mpr_obj_len(seq) : 0;
    int rc = l ? 0 : mpr_last_error();

    for (size_t i = 0; rc == 0 && i < lo; i++)
        rc = mpr_obj_list_append(l, mpr_obj_item(V(o), i));
    for (size_t i = 0; rc == 0 && i < m; i++)
        rc = mpr_obj_list_append(l, mpr_obj_item(seq, i));
    for (size_t i = hi; rc == 0 && i < n; i++)
        rc = mpr_obj_list_append(l, mpr_obj_item(V(o), i));
    return install(o, l, rc);
}

/* del l[s] for an extended slice: every selected item goes. */
static int slice_del_extended(mpr__mobj_t *o, const span_t *sp)
{
    size_t n = mpr_obj_len(V(o));
    unsigned char *gone = mpr__sys.calloc(n + 1, 1);
    mpr_obj_t *l = mpr_obj_list();
    int rc = l && gone ? 0 : MPR__ERR(12);

    for (size_t k = 0; rc == 0 && k < sp->count; k++)
        gone[sp->start + (int64_t)k * sp->step] = 1;
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (!gone[i])
            rc = mpr_obj_list_append(l, mpr_obj_item(V(o), i));
    free(gone);
    return install(o, l, rc);
}

/* l[s] = v (v NULL: del l[s]), as list_ass_subscript: a step of 1 splices
 * any iterable in (the list grows or shrinks); another step needs as many
 * items as it selects. */
static int slice_set(mpr__mobj_t *o, const span_t *sp, const mpr_obj_t *v)
{
    mpr_obj_t *seq = NULL;
    int rc;

    if (sp->step == 1) {
        if (v != NULL &&
            (rc = items_of(v, "can only assign an iterable", &seq)) < 0)
            return rc;
        rc = splice(o, (size_t)sp->start,
                    (size_t)(sp->stop < sp->start ? sp->start : sp->stop), seq);
        mpr_obj_decref(seq);
        return rc;
    }
    if (v == NULL)
        return slice_del_extended(o, sp);
    if ((rc = items_of(v, "must assign iterable to extended slice", &seq)) < 0)
        return rc;
    if (mpr_obj_len(seq) != sp->count)
        rc = mpr__error(MPR_EVALUE,
                        "attempt to assign sequence of size %zu to extended "
                        "slice of size %zu",
                        mpr_obj_len(seq), sp->count);
    for (size_t k = 0; rc == 0 && k < sp->count; k++)
        rc = mpr_obj_list_set(V(o), (size_t)(sp->start + (int64_t)k * sp->step),
                              mpr_obj_item(seq, k));
    mpr_obj_decref(seq);
    return rc;
}

/* Is i a slice?  Returns 1 with its span over the list, 0 when it is not
 * one, or the error of its indices. */
static int span_of(mpr__mobj_t *o, const mpr_obj_t *i, span_t *sp)
{
    int rc;

    if (mpr_obj_type(i) != MPR_OBJ_SLICE)
        return 0;
    rc = mpr_obj_slice_indices(i, mpr_obj_len(V(o)), &sp->start, &sp->stop,
                               &sp->step, &sp->count);
    return rc < 0 ? rc : 1;
}

static int l_getitem(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                     unsigned long c, mpr_obj_t **out)
{
    span_t sp;
    size_t i;
    int rc;

    (void)c;
    if ((rc = span_of(o, ARG(0, NULL), &sp)) != 0)
        return rc < 0 ? rc : slice_get(o, &sp, out);
    if ((rc = index_arg(ARG(0, NULL), mpr_obj_len(V(o)),
                        "list index out of range", &i)) < 0)
        return rc;
    RET(mpr_obj_incref(mpr_obj_item(V(o), i)));
}

static int l_setitem(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                     unsigned long c, mpr_obj_t **out)
{
    span_t sp;
    size_t i;
    int rc;

    (void)c;
    if ((rc = span_of(o, ARG(0, NULL), &sp)) != 0) {
        if (rc < 0 || (rc = slice_set(o, &sp, ARG(1, NULL))) < 0)
            return rc;
        RET_NONE();
    }
    if ((rc = index_arg(ARG(0, NULL), mpr_obj_len(V(o)),
                        "list assignment index out of range", &i)) < 0)
        return rc;
    if ((rc = mpr_obj_list_set(V(o), i, (mpr_obj_t *)ARG(1, NULL))) < 0)
        return rc;
    RET_NONE();
}

static int l_delitem(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                     unsigned long c, mpr_obj_t **out)
{
    span_t sp;
    size_t i;
    int rc;

    (void)c;
    if ((rc = span_of(o, ARG(0, NULL), &sp)) != 0) {
        if (rc < 0 || (rc = slice_set(o, &sp, NULL)) < 0)
            return rc;
        RET_NONE();
    }
    if ((rc = index_arg(ARG(0, NULL), mpr_obj_len(V(o)),
                        "list assignment index out of range", &i)) < 0 ||
        (rc = rebuild(o, i, SIZE_MAX, NULL)) < 0)
        return rc;
    RET_NONE();
}

/* ---- +, * and *= (list_concat, list_repeat, list_inplace_repeat) ------- */

static int l_add(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                 unsigned long c, mpr_obj_t **out)
{
    const mpr_obj_t *x = ARG(0, NULL);
    mpr_obj_t *l;
    int rc = 0;

    (void)c;
    if (mpr_obj_type(x) != MPR_OBJ_LIST)
        return mpr__error(MPR_ETYPE,
                          "can only concatenate list (not \"%s\") to list",
                          mpr_obj_type_name(x));
    /* a copy of l, then x's items: l + l reads x before l changes */
    if ((l = mpr__mlist_copy(V(o))) == NULL)
        return mpr_last_error();
    for (size_t i = 0; rc == 0 && i < mpr_obj_len(x); i++)
        rc = mpr_obj_list_append(l, mpr_obj_item(x, i));
    return give(l, rc, out);
}

/* l * n as a new list (n <= 0: empty).  Errors: the int conversion's
 * TypeError; MemoryError past what can be addressed. */
static int repeat(const mpr_obj_t *l, const mpr_obj_t *n, mpr_obj_t **out)
{
    size_t len = mpr_obj_len(l);
    mpr_obj_t *r;
    int64_t k;
    int rc;

    if ((rc = mpr_obj_as_int64(n, &k)) < 0)
        return rc;
    if (k < 0)
        k = 0;
    if (len > 0 && (uint64_t)k > (SIZE_MAX / sizeof(void *)) / len)
        return MPR__ERR(12); /* list_repeat: PyErr_NoMemory */
    if ((r = mpr_obj_list()) == NULL)
        return mpr_last_error();
    for (int64_t j = 0; rc == 0 && j < k; j++)
        for (size_t i = 0; rc == 0 && i < len; i++)
            rc = mpr_obj_list_append(r, mpr_obj_item(l, i));
    return give(r, rc, out);
}

static int l_mul(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                 unsigned long c, mpr_obj_t **out)
{
    (void)kw, (void)c;
    return repeat(V(o), ARG(0, NULL), out);
}

/* l *= n: the list itself repeated, returned (the proxy keeps itself). */
static int l_imul(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                  unsigned long c, mpr_obj_t **out)
{
    mpr_obj_t *r;
    int rc;

    (void)kw, (void)c;
    if ((rc = repeat(V(o), ARG(0, NULL), &r)) < 0)
        return rc;
    mpr_obj_decref(V(o));
    V(o) = r;
    RET(mpr_obj_incref(r));
}

static int l_len(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                 unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw, (void)c;
    RET(mpr_obj_int((int64_t)mpr_obj_len(V(o))));
}

/* The first index of x from start on, or SIZE_MAX; < 0 on an error of ==. */
static int find(const mpr_obj_t *l, const mpr_obj_t *x, size_t start,
                size_t *at)
{
    *at = SIZE_MAX;
    for (size_t i = start; i < mpr_obj_len(l); i++) {
        int eq = mpr_obj_eq(mpr_obj_item(l, i), x);
        if (eq < 0)
            return eq;
        if (eq) {
            *at = i;
            break;
        }
    }
    return 0;
}

static int l_contains(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                      unsigned long c, mpr_obj_t **out)
{
    size_t at;
    int rc;

    (void)c;
    if ((rc = find(V(o), ARG(0, NULL), 0, &at)) < 0)
        return rc;
    RET_BOOL(at != SIZE_MAX);
}

static int l_count(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                   unsigned long c, mpr_obj_t **out)
{
    int64_t n = 0;

    (void)c;
    for (size_t i = 0; i < mpr_obj_len(V(o)); i++) {
        int eq = mpr_obj_eq(mpr_obj_item(V(o), i), ARG(0, NULL));
        if (eq < 0)
            return eq;
        n += eq;
    }
    RET(mpr_obj_int(n));
}

static int l_index(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                   unsigned long c, mpr_obj_t **out)
{
    int64_t bound[2] = {0, INT64_MAX};
    char *r;
    size_t at;
    int rc;

    (void)c;
    /* start and stop (default 0, sys.maxsize) as slice indices: negative
     * ones count from the end, clamped to 0. */
    for (size_t i = 1; i < 3; i++) {
        const mpr_obj_t *x = ARG(i, NULL);
        if (x == NULL)
            continue;
        if (mpr_obj_type(x) != MPR_OBJ_INT && mpr_obj_type(x) != MPR_OBJ_BOOL)
            return mpr__error(MPR_ETYPE, "slice indices must be integers or "
                                         "have an __index__ method");
        bound[i - 1] = mpr_obj_int_value(x);
        if (bound[i - 1] < 0 &&
            (bound[i - 1] += (int64_t)mpr_obj_len(V(o))) < 0)
            bound[i - 1] = 0;
    }
    if ((rc = find(V(o), ARG(0, NULL), (size_t)bound[0], &at)) < 0)
        return rc;
    if (at != SIZE_MAX && (int64_t)at < bound[1])
        RET(mpr_obj_int((int64_t)at));
    if ((rc = mpr_obj_repr(ARG(0, NULL), &r, NULL)) < 0)
        return rc;
    rc = mpr__error(MPR_EVALUE, "%s is not in list", r);
    mpr_free(r);
    return rc;
}

static int l_remove(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                    unsigned long c, mpr_obj_t **out)
{
    size_t at;
    int rc;

    (void)c;
    if ((rc = find(V(o), ARG(0, NULL), 0, &at)) < 0)
        return rc;
    if (at == SIZE_MAX)
        return mpr__error(MPR_EVALUE, "list.remove(x): x not in list");
    if ((rc = rebuild(o, at, SIZE_MAX, NULL)) < 0)
        return rc;
    RET_NONE();
}

static int l_append(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                    unsigned long c, mpr_obj_t **out)
{
    int rc;

    (void)c;
    if ((rc = mpr_obj_list_append(V(o), (mpr_obj_t *)ARG(0, NULL))) < 0)
        return rc;
    RET_NONE();
}

static int l_extend(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                    unsigned long c, mpr_obj_t **out)
{
    const mpr_obj_t *src = ARG(0, NULL);
    mpr_obj_t *items;
    int rc = 0;

    (void)c;
    /* A copy first: l.extend(l) must not see its own growth. */
    if ((items = mpr__mlist_copy(src)) == NULL)
        return mpr_last_error();
    for (size_t i = 0; rc == 0 && i < mpr_obj_len(items); i++)
        rc = mpr_obj_list_append(V(o), mpr_obj_item(items, i));
    mpr_obj_decref(items);
    if (rc < 0)
        return rc;
    RET_NONE();
}

static int l_insert(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                    unsigned long c, mpr_obj_t **out)
{
    int64_t i, n = (int64_t)mpr_obj_len(V(o));
    int rc;

    (void)c;
    if ((rc = mpr_obj_as_int64(ARG(0, NULL), &i)) < 0)
        return rc;
    if (i < 0)
        i = i + n < 0 ? 0 : i + n;
    if (i > n)
        i = n;
    if ((rc = rebuild(o, SIZE_MAX, (size_t)i, ARG(1, NULL))) < 0)
        return rc;
    RET_NONE();
}

static int l_pop(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                 unsigned long c, mpr_obj_t **out)
{
    int64_t i = -1;
    int rc;

    (void)c;
    if (ARG(0, NULL) != NULL && (rc = mpr_obj_as_int64(ARG(0, NULL), &i)) < 0)
        return rc;
    return mpr_obj_list_pop(V(o), (ptrdiff_t)i, out);
}

static int l_reverse(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                     unsigned long c, mpr_obj_t **out)
{
    size_t n = mpr_obj_len(V(o));
    int rc;

    (void)a, (void)kw, (void)c;
    for (size_t i = 0; i < n / 2; i++) {
        mpr_obj_t *x = mpr_obj_incref(mpr_obj_item(V(o), i));
        if ((rc = mpr_obj_list_set(V(o), i, mpr_obj_item(V(o), n - 1 - i))) <
                0 ||
            (rc = mpr_obj_list_set_steal(V(o), n - 1 - i, x)) < 0)
            return rc;
    }
    RET_NONE();
}

/* ---- sort ---------------------------------------------------------------- */

static int is_num(const mpr_obj_t *x)
{
    mpr_obj_type_t t = mpr_obj_type(x);
    return t == MPR_OBJ_INT || t == MPR_OBJ_BOOL || t == MPR_OBJ_FLOAT;
}

/* x < y as Python evaluates it.  Returns 1 or 0; < 0 on TypeError. */
static int lt(const mpr_obj_t *x, const mpr_obj_t *y)
{
    mpr_obj_type_t tx = mpr_obj_type(x), ty = mpr_obj_type(y);
    double dx, dy;

    if (is_num(x) && is_num(y)) {
        if (tx != MPR_OBJ_FLOAT && ty != MPR_OBJ_FLOAT)
            return mpr_obj_int_value(x) < mpr_obj_int_value(y);
        mpr_obj_as_double(x, &dx);
        mpr_obj_as_double(y, &dy);
        return dx < dy;
    }
    if (tx == ty && (tx == MPR_OBJ_STR || tx == MPR_OBJ_BYTES)) {
        size_t nx, ny;
        const void *px = tx == MPR_OBJ_STR
                             ? (const void *)mpr_obj_str_utf8(x, &nx)
                             : mpr_obj_bytes_data(x, &nx);
        const void *py = ty == MPR_OBJ_STR
                             ? (const void *)mpr_obj_str_utf8(y, &ny)
                             : mpr_obj_bytes_data(y, &ny);
        int c = memcmp(px, py, nx < ny ? nx : ny);
        return c < 0 || (c == 0 && nx < ny);
    }
    if (tx == ty && (tx == MPR_OBJ_TUPLE || tx == MPR_OBJ_LIST)) {
        size_t n =
            mpr_obj_len(x) < mpr_obj_len(y) ? mpr_obj_len(x) : mpr_obj_len(y);
        for (size_t i = 0; i < n; i++) {
            int eq = mpr_obj_eq(mpr_obj_item(x, i), mpr_obj_item(y, i));
            if (eq < 0)
                return eq;
            if (!eq)
                return lt(mpr_obj_item(x, i), mpr_obj_item(y, i));
        }
        return mpr_obj_len(x) < mpr_obj_len(y);
    }
    return mpr__error(MPR_ETYPE,
                      "'<' not supported between instances of '%s' and '%s'",
                      mpr_obj_type_name(x), mpr_obj_type_name(y));
}

/* Stable merge sort of v[0..n) using tmp; < 0 on a comparison error. */
static int merge_sort(mpr_obj_t **v, mpr_obj_t **tmp, size_t n)
{
    size_t h = n / 2, i = 0, j = h, k = 0;
    int rc;

    if (n < 2)
        return 0;
    if ((rc = merge_sort(v, tmp, h)) < 0 ||
        (rc = merge_sort(v + h, tmp, n - h)) < 0)
        return rc;
    while (i < h && j < n) {
        if ((rc = lt(v[j], v[i])) < 0)
            return rc;
        tmp[k++] = rc ? v[j++] : v[i++];
    }
    while (i < h)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof(*v));
    return 0;
}

static int l_sort(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                  unsigned long c, mpr_obj_t **out)
{
    const mpr_obj_t *rev = ARG(SIZE_MAX, "reverse");
    size_t n = mpr_obj_len(V(o));
    mpr_obj_t **v, *l = NULL, *none = mpr_obj_none(), *k, *x;
    int rc, r = rev != NULL && mpr_obj_truth(rev);

    if (mpr_obj_len(a) > 0)
        return mpr__error(MPR_ETYPE, "sort() takes no positional arguments");
    for (size_t pos = 0; kw != NULL && mpr_obj_dict_next(kw, &pos, &k, &x);)
        if (mpr_obj_type(k) != MPR_OBJ_STR)
            return mpr__error(MPR_ETYPE, "keywords must be strings");
        else if (strcmp(mpr_obj_str_utf8(k, NULL), "key") != 0 &&
                 strcmp(mpr_obj_str_utf8(k, NULL), "reverse") != 0)
            return mpr__error(MPR_ETYPE,
                              "'%s' is an invalid keyword argument for sort()",
                              mpr_obj_str_utf8(k, NULL));
    if (ARG(SIZE_MAX, "key") != NULL && !mpr_obj_is_none(ARG(SIZE_MAX, "key")))
        return mpr__error(MPR_ETYPE, "key functions cannot reach a manager");
    if ((v = mpr__sys.calloc(2 * n + 1, sizeof(*v))) == NULL)
        return MPR__ERR(12);
    /* reverse=True: reverse, sort, reverse, so equal items keep order. */
    for (size_t i = 0; i < n; i++)
        v[i] = mpr_obj_item(V(o), r ? n - 1 - i : i);
    if ((rc = merge_sort(v, v + n, n)) == 0 && (l = mpr_obj_list()) == NULL)
        rc = mpr_last_error();
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = mpr_obj_list_append(l, v[r ? n - 1 - i : i]);
    free(v);
    (void)c;
    if ((rc = install(o, l, rc)) < 0)
        return rc;
    *out = none;
    return 0;
}

static int l_init(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw)
{
    (void)kw;
    V(o) = ARG(0, NULL) ? mpr__mlist_copy(ARG(0, NULL)) : mpr_obj_list();
    return V(o) ? 0 : mpr_last_error();
}

static const mpr__mmeth_t methods[] = {
    {"__add__", l_add, MPR__WRAPPER(1)},
    {"__contains__", l_contains, MPR__WRAPPER(1)},
    {"__delitem__", l_delitem, MPR__WRAPPER(1)},
    {"__getitem__", l_getitem, MPR__ONEARG},
    {"__imul__", l_imul, MPR__WRAPPER(1)},
    {"__len__", l_len, MPR__WRAPPER(0)},
    {"__mul__", l_mul, MPR__WRAPPER(1)},
    {"__rmul__", l_mul, MPR__WRAPPER(1)},
    {"__setitem__", l_setitem, MPR__UNPACK(2)},
    {"append", l_append, MPR__ONEARG},
    {"count", l_count, MPR__ONEARG},
    {"extend", l_extend, MPR__ONEARG},
    {"index", l_index, MPR__CLINIC(1, 3)},
    {"insert", l_insert, MPR__CLINIC(2, 2)},
    {"pop", l_pop, MPR__CLINIC(0, 1)},
    {"remove", l_remove, MPR__ONEARG},
    {"reverse", l_reverse, MPR__NOARGS},
    {"sort", l_sort, MPR__OWNARGS}, /* keyword-only: its own messages */
    {NULL, NULL, MPR__OWNARGS}};

/* list(iterable=()): "list expected at most 1 argument, got 2". */
const mpr__mtype_t mpr__mtype_list = {
    .typeid = "list",
    .proxytype = "ListProxy",
    .pyname = "list",
    .size = sizeof(mpr__mbox_t),
    .init = l_init,
    .init_args = {MPR__MARGS_CLINIC, 0, 1, 0, "list", NULL},
    .free = mpr__mbox_free,
    .repr = mpr__mbox_repr,
    .methods = methods,
};
