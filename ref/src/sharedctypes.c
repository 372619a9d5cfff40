/*
 * sharedctypes.c - multiprocessing.Value, Array, RawValue and RawArray
 * (CPython 3.11 sharedctypes with ctypes' conversions and reprs).
 *
 * Shared state: the ctypes object's bytes only (one element for a Value,
 * len elements for an Array), in a segment of their own; the lock is a
 * separate Lock/RLock object.  Typecode, length and lock live in the
 * per-process object.
 */
#include "mpr/sharedctypes.h"
#include "semlock.h"
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { K_SINT, K_UINT, K_FLOAT, K_CHAR, K_WCHAR };

typedef struct {
    char code;
    unsigned char size;
    unsigned char kind;
    const char *ctype;
} tc_t;

static const tc_t typecodes[] = {
    {'b', 1, K_SINT, "c_byte"},   {'B', 1, K_UINT, "c_ubyte"},
    {'h', 2, K_SINT, "c_short"},  {'H', 2, K_UINT, "c_ushort"},
    {'i', 4, K_SINT, "c_int"},    {'I', 4, K_UINT, "c_uint"},
    {'l', 8, K_SINT, "c_long"},   {'L', 8, K_UINT, "c_ulong"},
    {'q', 8, K_SINT, "c_long"},   {'Q', 8, K_UINT, "c_ulong"},
    {'f', 4, K_FLOAT, "c_float"}, {'d', 8, K_FLOAT, "c_double"},
    {'c', 1, K_CHAR, "c_char"},   {'u', 4, K_WCHAR, "c_wchar"},
};

/* What Value and Array share: an element type over a segment. */
typedef struct {
    const tc_t *tc;
    mpr__shm_t *shm;
    unsigned char *data;
    size_t len;          /* elements (1 for a Value) */
    mpr_semlock_t *lock; /* NULL: raw */
} body_t;

struct mpr_value_s {
    body_t b;
};
struct mpr_array_s {
    body_t b;
};

static const tc_t *find_tc(const char *code)
{
    if (code != NULL && code[0] != '\0' && code[1] == '\0')
        for (size_t i = 0; i < sizeof(typecodes) / sizeof(typecodes[0]); i++)
            if (typecodes[i].code == code[0])
                return &typecodes[i];
    return NULL;
}

/* ---- element conversions (ctypes' setfunc/getfunc) ---------------------- */

static size_t utf8_decode1(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t k = u[0] < 0x80 ? 1 : u[0] < 0xe0 ? 2 : u[0] < 0xf0 ? 3 : 4;

    if (k > n)
        k = n;
    *cp = k == 1 ? u[0] : (u[0] & (0x7f >> k));
    for (size_t i = 1; i < k; i++)
        *cp = (*cp << 6) | (u[i] & 0x3f);
    return k;
}

static size_t utf8_encode1(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

static void store_int(const tc_t *tc, void *p, uint64_t v)
{
    /* Little-endian: the low bytes are the value wrapped, as ctypes
     * stores an out-of-range int. */
    memcpy(p, &v, tc->size);
}

static int put_elem(const tc_t *tc, void *p, const mpr_obj_t *o)
{
    mpr_obj_type_t t = mpr_obj_type(o);
    int64_t i;
    double d;

    switch (tc->kind) {
    case K_SINT:
    case K_UINT:
        if (mpr_obj_as_int64(o, &i) < 0)
            return mpr__error(MPR_ETYPE,
                              "'%s' object cannot be interpreted as an "
                              "integer",
                              mpr_obj_type_name(o));
        store_int(tc, p, (uint64_t)i);
        return 0;
    case K_FLOAT:
        if (t != MPR_OBJ_INT && t != MPR_OBJ_BOOL && t != MPR_OBJ_FLOAT)
            return mpr__error(MPR_ETYPE, "must be real number, not %s",
                              mpr_obj_type_name(o));
        mpr_obj_as_double(o, &d);
        if (tc->size == 4) {
            float f = (float)d;
            memcpy(p, &f, 4);
        } else {
            memcpy(p, &d, 8);
        }
        return 0;
    case K_CHAR:
        if ((t == MPR_OBJ_INT || t == MPR_OBJ_BOOL) &&
            mpr_obj_int_value(o) >= 0 && mpr_obj_int_value(o) < 256) {
            *(unsigned char *)p = (unsigned char)mpr_obj_int_value(o);
            return 0;
        }
        if (t == MPR_OBJ_BYTES && mpr_obj_len(o) == 1) {
            *(unsigned char *)p = mpr_obj_bytes_data(o, NULL)[0];
            return 0;
        }
        return mpr__error(MPR_ETYPE,
                          "one character bytes, bytearray or integer expected");
    default: /* K_WCHAR */
        if (t != MPR_OBJ_STR)
            return mpr__error(MPR_ETYPE,
                              "unicode string expected instead of %s instance",
                              mpr_obj_type_name(o));
        if (mpr_obj_len(o) != 1)
            return mpr__error(MPR_ETYPE,
                              "one character unicode string expected");
        {
            size_t n;
            const char *s = mpr_obj_str_utf8(o, &n);
            uint32_t cp;
            utf8_decode1(s, n, &cp);
            memcpy(p, &cp, 4);
        }
        return 0;
    }
}

static int get_elem(const tc_t *tc, const void *p, mpr_obj_t **out)
{
    uint64_t u = 0;
    int64_t s;

    switch (tc->kind) {
    case K_SINT:
        memcpy(&u, p, tc->size);
        s = tc->size == 8
                ? (int64_t)u
                : (int64_t)(u << (64 - 8 * tc->size)) >> (64 - 8 * tc->size);
        *out = mpr_obj_int(s);
        break;
    case K_UINT:
        memcpy(&u, p, tc->size);
        if (u > INT64_MAX)
            return mpr__error(MPR_EOVERFLOW, "int too large for libmpref");
        *out = mpr_obj_int((int64_t)u);
        break;
    case K_FLOAT:
        if (tc->size == 4) {
            float f;
            memcpy(&f, p, 4);
            *out = mpr_obj_float(f);
        } else {
            double d;
            memcpy(&d, p, 8);
            *out = mpr_obj_float(d);
        }
        break;
    case K_CHAR:
        *out = mpr_obj_bytes(p, 1);
        break;
    default: {
        uint32_t cp;
        char buf[4];
        memcpy(&cp, p, 4);
        *out = mpr_obj_strn(buf, utf8_encode1(cp, buf));
    }
    }
    return *out != NULL ? 0 : mpr__error(MPR__ERR(ENOMEM), NULL);
}

static int get_i64(const tc_t *tc, const void *p, int64_t *out)
{
    uint64_t u = 0;
    int r;
    mpr_obj_t *o;

    if (tc->kind == K_FLOAT)
        return mpr__error(MPR_ETYPE, "%s is not an integer type", tc->ctype);
    if (tc->kind == K_SINT || tc->kind == K_UINT) {
        if ((r = get_elem(tc, p, &o)) < 0)
            return r;
        *out = mpr_obj_int_value(o);
        mpr_obj_decref(o);
        return 0;
    }
    memcpy(&u, p, tc->size);
    *out = (int64_t)u;
    return 0;
}

static int set_i64(const tc_t *tc, void *p, int64_t v)
{
    uint32_t cp = (uint32_t)v;

    if (tc->kind == K_FLOAT)
        return mpr__error(MPR_ETYPE, "%s is not an integer type", tc->ctype);
    if (tc->kind == K_WCHAR)
        memcpy(p, &cp, 4);
    else
        store_int(tc, p, (uint64_t)v);
    return 0;
}

static int get_dbl(const tc_t *tc, const void *p, double *out)
{
    mpr_obj_t *o;
    int r;

    if (tc->kind == K_CHAR || tc->kind == K_WCHAR)
        return mpr__error(MPR_ETYPE, "%s is not a number type", tc->ctype);
    if ((r = get_elem(tc, p, &o)) < 0)
        return r;
    mpr_obj_as_double(o, out);
    mpr_obj_decref(o);
    return 0;
}

static int set_dbl(const tc_t *tc, void *p, double v)
{
    mpr_obj_t *o;
    int r;

    if (tc->kind != K_FLOAT)
        return mpr__error(MPR_ETYPE, "'float' object cannot be interpreted as "
                                     "an integer");
    o = mpr_obj_float(v);
    if (o == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    r = put_elem(tc, p, o);
    mpr_obj_decref(o);
    return r;
}

/* ---- bodies ----------------------------------------------------------------
 */

static void lock_body(body_t *b)
{
    if (b->lock != NULL)
        mpr_semlock_acquire(b->lock, 1, MPR_TIMEOUT_NONE);
}

static void unlock_body(body_t *b)
{
    if (b->lock != NULL)
        mpr_semlock_release(b->lock);
}

/* Allocates the segment and the lock; lock=True makes an RLock. */
static int body_init(body_t *b, const tc_t *tc, size_t len,
                     const mpr_sync_options_t *opts)
{
    int r;

    b->tc = tc;
    b->len = len;
    if (len > SIZE_MAX / tc->size)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    if ((r = mpr__shm_new(len * tc->size, &b->shm)) < 0)
        return r;
    b->data = b->shm->base;
    if (opts != NULL && opts->raw)
        return 0;
    if (opts != NULL && opts->lock != NULL) {
        b->lock = mpr_semlock_ref(opts->lock);
        return 0;
    }
    return mpr_rlock_new(&b->lock);
}

static void body_free(body_t *b)
{
    mpr_semlock_free(b->lock);
    mpr__shm_unref(b->shm);
}

static int no_lock(body_t *b, const char *what)
{
    return mpr__error(MPR_EATTR, "'%s' object has no attribute '%s'",
                      b->tc->ctype, what);
}

static int body_token(body_t *b, char type, mpr_obj_t **out)
{
    char lock[128] = "-", seg[96], buf[256];

    if (b->lock != NULL)
        mpr__semlock_token(b->lock, lock, sizeof(lock));
    mpr__shm_token(b->shm, seg, sizeof(seg));
    snprintf(buf, sizeof(buf), "%c%c%zu|%s|%s", type, b->tc->code, b->len, lock,
             seg);
    if ((*out = mpr_obj_str(buf)) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    return 0;
}

static int body_from_token(body_t *b, char type, const mpr_obj_t *tok)
{
    char code[2] = {0, 0};
    const char *s;
    char *e;
    int r;

    memset(b, 0, sizeof(*b));
    if (mpr_obj_type(tok) != MPR_OBJ_STR ||
        *(s = mpr_obj_str_utf8(tok, NULL)) != type)
        goto bad;
    code[0] = s[1];
    if ((b->tc = find_tc(code)) == NULL)
        goto bad;
    b->len = strtoul(s + 2, &e, 10);
    if (*e != '|')
        goto bad;
    s = e + 1;
    if (*s == '-')
        s++;
    else if ((r = mpr__semlock_from_token(s, &s, &b->lock)) < 0)
        return r;
    if (*s != '|' || (r = mpr__shm_attach(s + 1, &s, &b->shm)) < 0) {
        mpr_semlock_free(b->lock);
        goto bad;
    }
    b->data = b->shm->base;
    if (*s != '\0' || b->shm->size < b->len * b->tc->size) {
        body_free(b);
        goto bad;
    }
    return 0;
bad:
    return mpr__error(MPR_EVALUE, "bad shared handle");
}

/* ---- Value ------------------------------------------------------------------
 */

int mpr_value_new(mpr_value_t **out, const char *typecode,
                  const mpr_obj_t *init, const mpr_sync_options_t *opts)
{
    const tc_t *tc = find_tc(typecode);
    mpr_value_t *v;
    int r;

    if (tc == NULL)
        return mpr__error(MPR_ETYPE, "this type has no size");
    if ((v = mpr__sys.calloc(1, sizeof(*v))) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    if ((r = body_init(&v->b, tc, 1, opts)) < 0)
        goto fail;
    if (init != NULL && (r = put_elem(tc, v->b.data, init)) < 0)
        goto fail;
    *out = v;
    return 0;
fail:
    mpr_value_free(v);
    return r;
}

int mpr_rawvalue_new(mpr_value_t **out, const char *typecode,
                     const mpr_obj_t *init)
{
    mpr_sync_options_t raw = {.raw = 1, .lock = NULL};

    return mpr_value_new(out, typecode, init, &raw);
}

void mpr_value_free(mpr_value_t *v)
{
    if (v == NULL)
        return;
    body_free(&v->b);
    free(v);
}

int mpr_value_get(mpr_value_t *v, mpr_obj_t **out)
{
    int r;

    lock_body(&v->b);
    r = get_elem(v->b.tc, v->b.data, out);
    unlock_body(&v->b);
    return r;
}

int mpr_value_set(mpr_value_t *v, const mpr_obj_t *value)
{
    int r;

    lock_body(&v->b);
    r = put_elem(v->b.tc, v->b.data, value);
    unlock_body(&v->b);
    return r;
}

int mpr_value_get_int64(mpr_value_t *v, int64_t *out)
{
    int r;

    lock_body(&v->b);
    r = get_i64(v->b.tc, v->b.data, out);
    unlock_body(&v->b);
    return r;
}

int mpr_value_set_int64(mpr_value_t *v, int64_t value)
{
    int r;

    lock_body(&v->b);
    r = set_i64(v->b.tc, v->b.data, value);
    unlock_body(&v->b);
    return r;
}

int mpr_value_get_double(mpr_value_t *v, double *out)
{
    int r;

    lock_body(&v->b);
    r = get_dbl(v->b.tc, v->b.data, out);
    unlock_body(&v->b);
    return r;
}

int mpr_value_set_double(mpr_value_t *v, double value)
{
    int r;

    lock_body(&v->b);
    r = set_dbl(v->b.tc, v->b.data, value);
    unlock_body(&v->b);
    return r;
}

mpr_semlock_t *mpr_value_get_lock(mpr_value_t *v)
{
    if (v->b.lock == NULL)
        no_lock(&v->b, "get_lock");
    return v->b.lock;
}

int mpr_value_acquire(mpr_value_t *v, int block, double timeout)
{
    if (v->b.lock == NULL)
        return no_lock(&v->b, "acquire");
    return mpr_semlock_acquire(v->b.lock, block, timeout);
}

int mpr_value_release(mpr_value_t *v)
{
    if (v->b.lock == NULL)
        return no_lock(&v->b, "release");
    return mpr_semlock_release(v->b.lock);
}

int mpr_value_obj_repr(mpr_value_t *v, char **out, size_t *len)
{
    mpr_obj_t *o;
    char *inner;
    int r;

    /* ctypes' repr reads the memory without the lock. */
    if ((r = get_elem(v->b.tc, v->b.data, &o)) < 0)
        return r;
    r = mpr_obj_repr(o, &inner, NULL);
    mpr_obj_decref(o);
    if (r < 0)
        return r;
    r = mpr__sprintf(out, len, "%s(%s)", v->b.tc->ctype, inner);
    mpr_free(inner);
    return r;
}

int mpr_value_repr(mpr_value_t *v, char **out, size_t *len)
{
    char *inner;
    int r;

    if ((r = mpr_value_obj_repr(v, &inner, NULL)) < 0 || v->b.lock == NULL) {
        if (r == 0) {
            *out = inner;
            if (len != NULL)
                *len = strlen(inner);
        }
        return r;
    }
    r = mpr__sprintf(out, len, "<Synchronized wrapper for %s>", inner);
    free(inner);
    return r;
}

char mpr_value_typecode(const mpr_value_t *v)
{
    return v->b.tc->code;
}

int mpr_value_reduce(mpr_value_t *v, mpr_obj_t **out)
{
    return body_token(&v->b, 'V', out);
}

int mpr_value_rebuild(mpr_value_t **out, const mpr_obj_t *tok)
{
    mpr_value_t *v = mpr__sys.calloc(1, sizeof(*v));
    int r;

    if (v == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    if ((r = body_from_token(&v->b, 'V', tok)) < 0) {
        free(v);
        return r;
    }
    *out = v;
    return 0;
}

/* ---- Array ------------------------------------------------------------------
 */

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
            off += utf8_decode1(s + off, n - off, &cp);
        *out = mpr_obj_strn(s + off, utf8_decode1(s + off, n - off, &cp));
    }
    return *out != NULL ? 0 : mpr__error(MPR__ERR(ENOMEM), NULL);
}

static int is_seq(const mpr_obj_t *o)
{
    mpr_obj_type_t t = mpr_obj_type(o);

    return t == MPR_OBJ_LIST || t == MPR_OBJ_TUPLE || t == MPR_OBJ_BYTES ||
           t == MPR_OBJ_STR;
}

static int fill_from(body_t *b, size_t start, size_t step, size_t n,
                     const mpr_obj_t *seq)
{
    mpr_obj_t *item;
    int r;

    for (size_t i = 0; i < n; i++) {
        if ((r = seq_item(seq, i, &item)) < 0)
            return r;
        r = put_elem(b->tc, b->data + (start + i * step) * b->tc->size, item);
        mpr_obj_decref(item);
        if (r < 0)
            return r;
    }
    return 0;
}

int mpr_array_new(mpr_array_t **out, const char *typecode,
                  const mpr_obj_t *size_or_init, const mpr_sync_options_t *opts)
{
    const tc_t *tc = find_tc(typecode);
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
    if ((r = body_init(&a->b, tc, (size_t)n, opts)) < 0)
        goto fail;
    if (is_seq(size_or_init) &&
        (r = fill_from(&a->b, 0, 1, (size_t)n, size_or_init)) < 0)
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
    body_free(&a->b);
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
        lock_body(&(a)->b);                                                    \
        r_ = (expr);                                                           \
        unlock_body(&(a)->b);                                                  \
        return r_;                                                             \
    } while (0)

int mpr_array_get_item(mpr_array_t *a, ptrdiff_t i, mpr_obj_t **out)
{
    ARRAY_ELEM_OP(a, i, get_elem(a->b.tc, p, out));
}

int mpr_array_set_item(mpr_array_t *a, ptrdiff_t i, const mpr_obj_t *value)
{
    ARRAY_ELEM_OP(a, i, put_elem(a->b.tc, p, value));
}

int mpr_array_get_int64(mpr_array_t *a, ptrdiff_t i, int64_t *out)
{
    ARRAY_ELEM_OP(a, i, get_i64(a->b.tc, p, out));
}

int mpr_array_set_int64(mpr_array_t *a, ptrdiff_t i, int64_t v)
{
    ARRAY_ELEM_OP(a, i, set_i64(a->b.tc, p, v));
}

int mpr_array_get_double(mpr_array_t *a, ptrdiff_t i, double *out)
{
    ARRAY_ELEM_OP(a, i, get_dbl(a->b.tc, p, out));
}

int mpr_array_set_double(mpr_array_t *a, ptrdiff_t i, double v)
{
    ARRAY_ELEM_OP(a, i, set_dbl(a->b.tc, p, v));
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
    const tc_t *tc = a->b.tc;
    mpr_obj_t *item, *list;
    int r;

    if (tc->kind == K_CHAR || tc->kind == K_WCHAR) {
        char *buf = malloc(n * 4 + 1);
        size_t m = 0;
        if (buf == NULL)
            return mpr__error(MPR__ERR(ENOMEM), NULL);
        for (size_t i = 0; i < n; i++) {
            unsigned char *p =
                a->b.data + (size_t)(start + (ptrdiff_t)i * step) * tc->size;
            uint32_t cp;
            if (tc->kind == K_CHAR) {
                buf[m++] = (char)*p;
                continue;
            }
            memcpy(&cp, p, 4);
            m += utf8_encode1(cp, buf + m);
        }
        *out =
            tc->kind == K_CHAR ? mpr_obj_bytes(buf, m) : mpr_obj_strn(buf, m);
        free(buf);
        return *out != NULL ? 0 : mpr__error(MPR__ERR(ENOMEM), NULL);
    }
    if ((list = mpr_obj_list()) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    for (size_t i = 0; i < n; i++) {
        size_t at = (size_t)(start + (ptrdiff_t)i * step);
        if ((r = get_elem(tc, a->b.data + at * tc->size, &item)) < 0 ||
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
    lock_body(&a->b);
    r = collect(a, start, step, n, out);
    unlock_body(&a->b);
    return r;
}

int mpr_array_set_slice(mpr_array_t *a, ptrdiff_t start, ptrdiff_t stop,
                        ptrdiff_t step, const mpr_obj_t *seq)
{
    size_t n;
    int r;

    if ((r = slice_indices((ptrdiff_t)a->b.len, &start, &stop, &step, &n)) < 0)
        return r;
    if (!is_seq(seq))
        return mpr__error(MPR_ETYPE, "can only assign iterable");
    if (mpr_obj_len(seq) != n)
        return mpr__error(MPR_EVALUE, "Can only assign sequence of same size");
    lock_body(&a->b);
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
            r = put_elem(a->b.tc,
                         a->b.data + (size_t)(start + (ptrdiff_t)i * step) *
                                         a->b.tc->size,
                         item);
            mpr_obj_decref(item);
        }
    }
    unlock_body(&a->b);
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
    if (a->b.tc->kind != K_CHAR)
        return not_string(a, "value");
    lock_body(&a->b);
    *out = mpr_obj_bytes(a->b.data, strnlen((char *)a->b.data, a->b.len));
    unlock_body(&a->b);
    return *out != NULL ? 0 : mpr__error(MPR__ERR(ENOMEM), NULL);
}

int mpr_array_get_raw(mpr_array_t *a, mpr_obj_t **out)
{
    if (a->b.tc->kind != K_CHAR)
        return not_string(a, "raw");
    lock_body(&a->b);
    *out = mpr_obj_bytes(a->b.data, a->b.len);
    unlock_body(&a->b);
    return *out != NULL ? 0 : mpr__error(MPR__ERR(ENOMEM), NULL);
}

static int put_bytes(mpr_array_t *a, const mpr_obj_t *bytes, int nul,
                     const char *attr)
{
    const unsigned char *d;
    size_t n;

    if (a->b.tc->kind != K_CHAR)
        return not_string(a, attr);
    if (mpr_obj_type(bytes) != MPR_OBJ_BYTES)
        return mpr__error(MPR_ETYPE, "bytes expected instead of %s instance",
                          mpr_obj_type_name(bytes));
    d = mpr_obj_bytes_data(bytes, &n);
    if (n > a->b.len)
        return mpr__error(MPR_EVALUE, "byte string too long");
    lock_body(&a->b);
    memcpy(a->b.data, d, n);
    if (nul && n < a->b.len)
        a->b.data[n] = 0;
    unlock_body(&a->b);
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
                     a->b.tc->kind == K_CHAR ? "SynchronizedString"
                                             : "SynchronizedArray",
                     inner);
    free(inner);
    return r;
}

char mpr_array_typecode(const mpr_array_t *a)
{
    return a->b.tc->code;
}

int mpr_array_reduce(mpr_array_t *a, mpr_obj_t **out)
{
    return body_token(&a->b, 'A', out);
}

int mpr_array_rebuild(mpr_array_t **out, const mpr_obj_t *tok)
{
    mpr_array_t *a = mpr__sys.calloc(1, sizeof(*a));
    int r;

    if (a == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    if ((r = body_from_token(&a->b, 'A', tok)) < 0) {
        free(a);
        return r;
    }
    *out = a;
    return 0;
}
