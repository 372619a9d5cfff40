/*
 * sharedctypes_array.c - multiprocessing.Array and RawArray (CPython 3.11
 * sharedctypes: SynchronizedArray, SynchronizedString, raw ctypes
 * arrays): indexing and slicing with Python's rules, char arrays' value
 * and raw, reprs.
 *
 * Shared state: len elements of the typecode's ctypes type, in a segment
 * of their own (sharedctypes_conv.c); the lock is a separate object.
 */
#include "mpr/sharedctypes.h"
#include "shared/sharedctypes_internal.h"
#include "sync/semlock.h"
#include "base/buf.h"
#include "base/internal.h"
#include "obj/objimpl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Item i of a list, tuple, bytes (an int) or str (a one-character str), as
 * iterating it in Python gives; a new reference. */
static int seq_item(const mpr_obj_t *seq, size_t i, mpr_obj_t **out)
{
    mpr_obj_type_t t = mpr_obj_type(seq);
    size_t n, off = 0, k;
    const char *s;
    uint32_t cp;

    if (t == MPR_OBJ_LIST || t == MPR_OBJ_TUPLE)
        *out = mpr_obj_incref(mpr_obj_item(seq, i));
    else if (t == MPR_OBJ_BYTES)
        *out = mpr_obj_int(mpr_obj_bytes_data(seq, NULL)[i]);
    else {
        s = mpr_obj_str_utf8(seq, &n);
        for (k = 0; k < i; k++)
            off += mpr__sct_utf8_decode1(s + off, n - off, &cp);
        *out =
            mpr_obj_strn(s + off, mpr__sct_utf8_decode1(s + off, n - off, &cp));
    }
    return *out != NULL ? 0 : mpr__error(MPR__ERR(ENOMEM), NULL);
}

static int is_seq(const mpr_obj_t *o)
{
    mpr_obj_type_t t = mpr_obj_type(o);

    return t == MPR_OBJ_LIST || t == MPR_OBJ_TUPLE || t == MPR_OBJ_BYTES ||
           t == MPR_OBJ_STR;
}

static int fill_from(mpr__sct_body_t *b, size_t start, size_t step, size_t n,
                     const mpr_obj_t *seq)
{
    mpr_obj_t *item;
    int r;

    for (size_t i = 0; i < n; i++) {
        if ((r = seq_item(seq, i, &item)) < 0)
            return r;
        r = mpr__sct_put_elem(b->tc, b->data + (start + i * step) * b->tc->size,
                              item);
        mpr_obj_decref(item);
        if (r < 0)
            return r;
    }
    return 0;
}

/* type(a.get_obj()).__name__, kept in the object so that the getter is a
 * plain borrowed string like the others. */
static void name_type(mpr_array_t *a)
{
    snprintf(a->obj_type_name, sizeof(a->obj_type_name), "%s_Array_%zu",
             a->b.tc->ctype, a->b.len);
}

int mpr_array_new(mpr_array_t **out, const char *typecode,
                  const mpr_obj_t *size_or_init, const mpr_sync_options_t *opts)
{
    const mpr__sct_type_t *tc = mpr__sct_find_tc(typecode);
    mpr_obj_type_t t = mpr_obj_type(size_or_init);
    mpr_array_t *a;
    int64_t n;
    int r;

    if (tc == NULL)
        return mpr__error(MPR_ETYPE, "this type has no size");
    if (t == MPR_OBJ_INT || t == MPR_OBJ_BOOL) {
        n = mpr_obj_int_value(size_or_init);
        if (n < 0)
            return mpr__error(MPR_EVALUE, "Array length must be >= 0, not %lld",
                              (long long)n);
    } else if (is_seq(size_or_init)) {
        n = (int64_t)mpr_obj_len(size_or_init);
    } else {
        return mpr__error(MPR_ETYPE, "object of type '%s' has no len()",
                          mpr_obj_type_name(size_or_init));
    }
    if ((a = mpr__sys.calloc(1, sizeof(*a))) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    if ((r = mpr__sct_body_init(&a->b, tc, (size_t)n)) < 0)
        goto fail;
    name_type(a);
    if (is_seq(size_or_init) &&
        (r = fill_from(&a->b, 0, 1, (size_t)n, size_or_init)) < 0)
        goto fail;
    if ((r = mpr__sct_body_lock(&a->b, opts)) < 0)
        goto fail;
    *out = a;
    return 0;
fail:
    mpr_array_free(a);
    return r;
}

int mpr_rawarray_new(mpr_array_t **out, const char *typecode,
                     const mpr_obj_t *size_or_init)
{
    mpr_sync_options_t raw = {.raw = 1, .lock = NULL};

    return mpr_array_new(out, typecode, size_or_init, &raw);
}

void mpr_array_free(mpr_array_t *a)
{
    if (a == NULL)
        return;
    mpr_array_free(a->obj);
    mpr__sct_body_free(&a->b);
    free(a);
}

size_t mpr_array_len(const mpr_array_t *a)
{
    return a->b.len;
}

/* Python's index rules: negative counts from the end. */
static int index_of(const mpr_array_t *a, ptrdiff_t i, unsigned char **p)
{
    if (i < 0)
        i += (ptrdiff_t)a->b.len;
    if (i < 0 || (size_t)i >= a->b.len)
        return mpr__error(MPR_EINDEX, "invalid index");
    *p = a->b.data + (size_t)i * a->b.tc->size;
    return 0;
}

#define ARRAY_ELEM_OP(a, i, expr)                                              \
    do {                                                                       \
        unsigned char *p = NULL;                                               \
        int r_ = index_of((a), (i), &p);                                       \
        if (r_ < 0)                                                            \
            return r_;                                                         \
        mpr__sct_lock_body(&(a)->b);                                           \
        r_ = (expr);                                                           \
        mpr__sct_unlock_body(&(a)->b);                                         \
        return r_;                                                             \
    } while (0)

int mpr_array_get_item(mpr_array_t *a, ptrdiff_t i, mpr_obj_t **out)
{
    ARRAY_ELEM_OP(a, i, mpr__sct_get_elem(a->b.tc, p, out));
}

int mpr_array_set_item(mpr_array_t *a, ptrdiff_t i, const mpr_obj_t *value)
{
    ARRAY_ELEM_OP(a, i, mpr__sct_put_elem(a->b.tc, p, value));
}

int mpr_array_get_int64(mpr_array_t *a, ptrdiff_t i, int64_t *out)
{
    ARRAY_ELEM_OP(a, i, mpr__sct_get_i64(a->b.tc, p, out));
}

int mpr_array_set_int64(mpr_array_t *a, ptrdiff_t i, int64_t v)
{
    ARRAY_ELEM_OP(a, i, mpr__sct_set_i64(a->b.tc, p, v));
}

int mpr_array_get_double(mpr_array_t *a, ptrdiff_t i, double *out)
{
    ARRAY_ELEM_OP(a, i, mpr__sct_get_dbl(a->b.tc, p, out));
}

int mpr_array_set_double(mpr_array_t *a, ptrdiff_t i, double v)
{
    ARRAY_ELEM_OP(a, i, mpr__sct_set_dbl(a->b.tc, p, v));
}

/* PySlice_Unpack + PySlice_AdjustIndices: the slice's start, step and
 * length for a sequence of len items. */
static int slice_indices(ptrdiff_t len, ptrdiff_t *start, ptrdiff_t *stop,
                         ptrdiff_t *step, size_t *n)
{
    ptrdiff_t *bounds[2] = {start, stop};

    if (*step == MPR_SLICE_NONE)
        *step = 1;
    if (*step == 0)
        return mpr__error(MPR_EVALUE, "slice step cannot be zero");
    if (*start == MPR_SLICE_NONE)
        *start = *step < 0 ? PTRDIFF_MAX : 0;
    if (*stop == MPR_SLICE_NONE)
        *stop = *step < 0 ? PTRDIFF_MIN + 1 : PTRDIFF_MAX;
    for (int k = 0; k < 2; k++) {
        ptrdiff_t *x = bounds[k];
        if (*x < 0) {
            *x += len;
            if (*x < 0)
                *x = *step < 0 ? -1 : 0;
        } else if (*x >= len) {
            *x = *step < 0 ? len - 1 : len;
        }
    }
    if (*step < 0)
        *n = *stop < *start ? (size_t)((*start - *stop - 1) / -*step + 1) : 0;
    else
        *n = *start < *stop ? (size_t)((*stop - *start - 1) / *step + 1) : 0;
    return 0;
}

static int collect(mpr_array_t *a, ptrdiff_t start, ptrdiff_t step, size_t n,
                   mpr_obj_t **out)
{
    const mpr__sct_type_t *tc = a->b.tc;
    mpr_obj_t *item, *list;
    int r;

    if (tc->kind == MPR__K_CHAR || tc->kind == MPR__K_WCHAR) {
        char *buf = mpr__sys.malloc(n * 4 + 1);
        size_t m = 0;
        if (buf == NULL)
            return mpr__error(MPR__ERR(ENOMEM), NULL);
        for (size_t i = 0; i < n; i++) {
            unsigned char *p =
                a->b.data + (size_t)(start + (ptrdiff_t)i * step) * tc->size;
            uint32_t cp;
            if (tc->kind == MPR__K_CHAR) {
                buf[m++] = (char)*p;
                continue;
            }
            memcpy(&cp, p, 4);
            m += mpr__sct_utf8_encode1(cp, buf + m);
        }
        *out = tc->kind == MPR__K_CHAR ? mpr_obj_bytes(buf, m)
                                       : mpr_obj_strn(buf, m);
        free(buf);
        return *out != NULL ? 0 : mpr__error(MPR__ERR(ENOMEM), NULL);
    }
    if ((list = mpr_obj_list()) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    for (size_t i = 0; i < n; i++) {
        size_t at = (size_t)(start + (ptrdiff_t)i * step);
        if ((r = mpr__sct_get_elem(tc, a->b.data + at * tc->size, &item)) < 0 ||
            (r = mpr_obj_list_append_steal(list, item)) < 0) {
            mpr_obj_decref(list);
            return r;
        }
    }
    *out = list;
    return 0;
}

int mpr_array_get_slice(mpr_array_t *a, ptrdiff_t start, ptrdiff_t stop,
                        ptrdiff_t step, mpr_obj_t **out)
{
    size_t n;
    int r;

    if ((r = slice_indices((ptrdiff_t)a->b.len, &start, &stop, &step, &n)) < 0)
        return r;
    mpr__sct_lock_body(&a->b);
    r = collect(a, start, step, n, out);
    mpr__sct_unlock_body(&a->b);
    return r;
}

int mpr_array_set_slice(mpr_array_t *a, ptrdiff_t start, ptrdiff_t stop,
                        ptrdiff_t step, const mpr_obj_t *seq)
{
    size_t n;
    int r;

    if ((r = slice_indices((ptrdiff_t)a->b.len, &start, &stop, &step, &n)) < 0)
        return r;
    /* ctypes says the same for a value that is no sequence (a[0:3] = 5). */
    if (!is_seq(seq) || mpr_obj_len(seq) != n)
        return mpr__error(MPR_EVALUE, "Can only assign sequence of same size");
    mpr__sct_lock_body(&a->b);
    /* A negative step walks backwards: fill_from takes an unsigned
     * stride, so do it item by item. */
    if (step > 0) {
        r = fill_from(&a->b, (size_t)start, (size_t)step, n, seq);
    } else {
        mpr_obj_t *item;
        r = 0;
        for (size_t i = 0; i < n && r == 0; i++) {
            if ((r = seq_item(seq, i, &item)) < 0)
                break;
            r = mpr__sct_put_elem(a->b.tc,
                                  a->b.data +
                                      (size_t)(start + (ptrdiff_t)i * step) *
                                          a->b.tc->size,
                                  item);
            mpr_obj_decref(item);
        }
    }
    mpr__sct_unlock_body(&a->b);
    return r;
}

static int not_string(mpr_array_t *a, const char *attr)
{
    if (a->b.lock != NULL)
        return mpr__error(MPR_EATTR,
                          "'SynchronizedArray' object has no attribute '%s'",
                          attr);
    return mpr__error(MPR_EATTR, "'%s_Array_%zu' object has no attribute '%s'",
                      a->b.tc->ctype, a->b.len, attr);
}

int mpr_array_get_value(mpr_array_t *a, mpr_obj_t **out)
{
    if (a->b.tc->kind != MPR__K_CHAR)
        return not_string(a, "value");
    mpr__sct_lock_body(&a->b);
    *out = mpr_obj_bytes(a->b.data, strnlen((char *)a->b.data, a->b.len));
    mpr__sct_unlock_body(&a->b);
    return *out != NULL ? 0 : mpr__error(MPR__ERR(ENOMEM), NULL);
}

int mpr_array_get_raw(mpr_array_t *a, mpr_obj_t **out)
{
    if (a->b.tc->kind != MPR__K_CHAR)
        return not_string(a, "raw");
    mpr__sct_lock_body(&a->b);
    *out = mpr_obj_bytes(a->b.data, a->b.len);
    mpr__sct_unlock_body(&a->b);
    return *out != NULL ? 0 : mpr__error(MPR__ERR(ENOMEM), NULL);
}

static int put_bytes(mpr_array_t *a, const mpr_obj_t *bytes, int nul,
                     const char *attr)
{
    const unsigned char *d;
    size_t n;

    if (a->b.tc->kind != MPR__K_CHAR)
        return not_string(a, attr);
    if (mpr_obj_type(bytes) != MPR_OBJ_BYTES) /* c_char_Array's setters */
        return nul ? mpr__error(MPR_ETYPE,
                                "bytes expected instead of %s instance",
                                mpr_obj_type_name(bytes))
                   : mpr__error(MPR_ETYPE,
                                "a bytes-like object is required, not '%s'",
                                mpr_obj_type_name(bytes));
    d = mpr_obj_bytes_data(bytes, &n);
    if (n > a->b.len)
        return mpr__error(MPR_EVALUE, "byte string too long");
    mpr__sct_lock_body(&a->b);
    memcpy(a->b.data, d, n);
    if (nul && n < a->b.len)
        a->b.data[n] = 0;
    mpr__sct_unlock_body(&a->b);
    return 0;
}

int mpr_array_set_value(mpr_array_t *a, const mpr_obj_t *bytes)
{
    return put_bytes(a, bytes, 1, "value");
}

int mpr_array_set_raw(mpr_array_t *a, const mpr_obj_t *bytes)
{
    return put_bytes(a, bytes, 0, "raw");
}

void *mpr_array_buffer(mpr_array_t *a)
{
    return a->b.data;
}

mpr_semlock_t *mpr_array_get_lock(mpr_array_t *a)
{
    if (a->b.lock == NULL)
        mpr__error(MPR_EATTR,
                   "'%s_Array_%zu' object has no attribute "
                   "'get_lock'",
                   a->b.tc->ctype, a->b.len);
    return a->b.lock;
}

/* A raw view of the same segment: what the wrapper wraps. */
int mpr_array_get_obj(mpr_array_t *a, mpr_array_t **out)
{
    *out = NULL;
    if (a->b.lock == NULL)
        return mpr__error(MPR_EATTR, "'%s' object has no attribute 'get_obj'",
                          a->obj_type_name);
    if (a->obj == NULL) {
        mpr_array_t *o = mpr__sys.calloc(1, sizeof(*o));
        if (o == NULL)
            return mpr__error(MPR__ERR(ENOMEM), NULL);
        *o = *a;
        o->obj = NULL;
        o->b.lock = NULL;
        o->b.shm = mpr__shm_ref(a->b.shm);
        a->obj = o;
    }
    *out = a->obj;
    return 0;
}

int mpr_array_acquire(mpr_array_t *a, int block, double timeout)
{
    if (a->b.lock == NULL)
        return mpr__error(MPR_EATTR,
                          "'%s_Array_%zu' object has no attribute "
                          "'acquire'",
                          a->b.tc->ctype, a->b.len);
    return mpr_semlock_acquire(a->b.lock, block, timeout);
}

int mpr_array_release(mpr_array_t *a)
{
    if (a->b.lock == NULL)
        return mpr__error(MPR_EATTR,
                          "'%s_Array_%zu' object has no attribute "
                          "'release'",
                          a->b.tc->ctype, a->b.len);
    return mpr_semlock_release(a->b.lock);
}

int mpr_array_obj_repr(mpr_array_t *a, char **out, size_t *len)
{
    return mpr__sprintf(out, len,
                        "<multiprocessing.sharedctypes.%s_Array_%zu object "
                        "at %p>",
                        a->b.tc->ctype, a->b.len, (void *)a);
}

int mpr_array_repr(mpr_array_t *a, char **out, size_t *len)
{
    char *inner;
    int r;

    if ((r = mpr_array_obj_repr(a, &inner, len)) < 0 || a->b.lock == NULL) {
        if (r == 0)
            *out = inner;
        return r;
    }
    r = mpr__sprintf(out, len, "<%s wrapper for %s>",
                     a->b.tc->kind == MPR__K_CHAR ? "SynchronizedString"
                                                  : "SynchronizedArray",
                     inner);
    free(inner);
    return r;
}

char mpr_array_typecode(const mpr_array_t *a)
{
    return a->b.tc->code;
}

const char *mpr_array_obj_type_name(const mpr_array_t *a)
{
    return a->obj_type_name;
}

int mpr_array_reduce(const mpr_array_t *a, mpr_obj_t **out)
{
    return mpr__sct_body_token(&a->b, 'A', out);
}

int mpr_array_rebuild(mpr_array_t **out, const mpr_obj_t *tok)
{
    mpr_array_t *a = mpr__sys.calloc(1, sizeof(*a));
    int r;

    if (a == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    if ((r = mpr__sct_body_from_token(&a->b, 'A', tok)) < 0) {
        free(a);
        return r;
    }
    name_type(a);
    *out = a;
    return 0;
}

/* ---- as a handle value (obj.h): what obj/ and the process layer use ---- */

/* type(a).__name__: the wrapper's class, or the raw ctypes array type */
static const char *array_type_name(const void *p)
{
    const mpr_array_t *a = p;

    if (a->b.lock == NULL)
        return a->obj_type_name;
    return mpr_array_typecode(a) == 'c' ? "SynchronizedString"
                                        : "SynchronizedArray";
}

static int array_repr_h(void *p, char **out, size_t *len)
{
    return mpr_array_repr(p, out, len);
}

static int array_reduce_h(const void *p, mpr_obj_t **tok)
{
    return mpr_array_reduce(p, tok);
}

static int array_rebuild_h(const mpr_obj_t *tok, void **out)
{
    mpr_array_t *o = NULL;
    int rc = mpr_array_rebuild(&o, tok);

    *out = o;
    return rc;
}

static void array_free_h(void *p)
{
    mpr_array_free(p);
}

/* A raw array's class is made on the fly, so pickle cannot look it up;
 * a synchronized one is SynchronizedBase.__reduce__'s assert_spawning. */
static int array_refuse(const void *p)
{
    const mpr_array_t *a = p;

    if (a->b.lock == NULL)
        return mpr__error(MPR_EPICKLE,
                          "Can't pickle <class "
                          "'multiprocessing.sharedctypes.%s'>: attribute "
                          "lookup %s on multiprocessing.sharedctypes failed",
                          a->obj_type_name, a->obj_type_name);
    return mpr__error(MPR_ERUNTIME,
                      "%s objects should only be shared between "
                      "processes through inheritance",
                      array_type_name(p));
}

MPR__HANDLE_INIT static void array_handle_init(void)
{
    static const mpr__handle_ops_t ops = {
        .name = "Array",
        .type_name = array_type_name,
        .repr = array_repr_h,
        .reduce = array_reduce_h,
        .rebuild = array_rebuild_h,
        .free = array_free_h,
        .refuse = array_refuse,
    };
    mpr__handle_register(MPR_HANDLE_ARRAY, &ops);
}
