/*
 * mobj_array.c - the array.array a manager's server holds (SyncManager's
 * 'Array' typeid, CPython 3.11's `def Array(typecode, sequence,
 * lock=True): return array.array(typecode, sequence)`), behind
 * ArrayProxy, with integer indices only (slices cannot be carried by
 * mpr_obj_t) and array's range checks and messages.  State, under the
 * server lock: the typecode (a one-character str) and the items (a list of
 * int or float, each already in the typecode's range).
 */
#include "manager/manager_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    mpr__mobj_t head;
    mpr_obj_t *typecode; /* 'b', 'B', ... 'd' */
    mpr_obj_t *items;    /* a list */
} marray_t;

#define ARR(o) ((marray_t *)(o))

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
    return mpr_obj_str_utf8(ARR(o)->typecode, NULL)[0];
}

static int a_index(const mpr__mobj_t *o, const mpr_obj_t *i, const char *msg,
                   size_t *out)
{
    if (mpr_obj_type(i) != MPR_OBJ_INT && mpr_obj_type(i) != MPR_OBJ_BOOL)
        return mpr__error(MPR_ETYPE, "array indices must be integers");
    return mpr__mindex(i, mpr_obj_len(ARR(o)->items), msg, out);
}

static int a_getitem(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                     unsigned long c, mpr_obj_t **out)
{
    size_t i;
    int rc;

    (void)c;
    if ((rc = a_index(o, ARG(0, NULL), "array index out of range", &i)) < 0)
        return rc;
    RET(mpr_obj_incref(mpr_obj_item(ARR(o)->items, i)));
}

static int a_setitem(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                     unsigned long c, mpr_obj_t **out)
{
    mpr_obj_t *v;
    size_t i;
    int rc;

    (void)c;
    if ((rc = a_index(o, ARG(0, NULL), "array assignment index out of range",
                      &i)) < 0)
        return rc;
    if ((v = a_item(a_code(o), ARG(1, NULL))) == NULL)
        return mpr_last_error();
    if ((rc = mpr_obj_list_set_steal(ARR(o)->items, i, v)) < 0)
        return rc;
    RET_NONE();
}

static int a_len(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                 unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw, (void)c;
    RET(mpr_obj_int((int64_t)mpr_obj_len(ARR(o)->items)));
}

static const mpr__mmeth_t methods[] = {
    {"__len__", a_len, MPR__WRAPPER(0)},
    {"__getitem__", a_getitem, MPR__WRAPPER(1)},
    {"__setitem__", a_setitem, MPR__UNPACK(2)},
    {NULL, NULL, MPR__OWNARGS}};

static int array_init(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw)
{
    const mpr_obj_t *tc = ARG(0, "typecode"), *seq = ARG(1, "sequence");
    const char *s;

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
    ARR(o)->typecode = mpr_obj_incref((mpr_obj_t *)tc);
    if ((ARR(o)->items = mpr_obj_list()) == NULL)
        return mpr_last_error();
    for (size_t i = 0; i < mpr_obj_len(seq); i++) {
        mpr_obj_t *v = a_item(s[0], mpr_obj_item(seq, i));
        if (v == NULL || mpr_obj_list_append_steal(ARR(o)->items, v) < 0)
            return mpr_last_error();
    }
    return 0;
}

static void array_free(mpr__mobj_t *o)
{
    mpr_obj_decref(ARR(o)->typecode);
    mpr_obj_decref(ARR(o)->items);
}

/* "array('i')", "array('i', [1, 2])" */
static int array_repr(const mpr__mobj_t *o, mpr_obj_t **out)
{
    char *r = NULL, *s = NULL;
    int rc;

    if (mpr_obj_len(ARR(o)->items) == 0) {
        char buf[16];
        snprintf(buf, sizeof(buf), "array('%c')", a_code(o));
        return mpr__mstr_out(buf, out);
    }
    if ((rc = mpr_obj_repr(ARR(o)->items, &r, NULL)) < 0)
        return rc;
    if (mpr__asprintf(&s, "array('%c', %s)", a_code(o), r) < 0)
        rc = MPR__ERR(ENOMEM);
    else
        rc = mpr__mstr_out(s, out);
    mpr_free(r);
    free(s);
    return rc;
}

/* A function, not a class: "Array() missing 1 required positional
 * argument: 'sequence'". */
const mpr__mtype_t mpr__mtype_array = {
    .typeid = "Array",
    .proxytype = "ArrayProxy",
    .pyname = "array",
    .pyclass = "array.array",
    .size = sizeof(marray_t),
    .init = array_init,
    .init_args = {MPR__MARGS_PYTHON, 2, 0, MPR__MARGS_NOSELF, "Array",
                  "typecode sequence lock"},
    .free = array_free,
    .repr = array_repr,
    .methods = methods,
};
