/*
 * sharedctypes_conv.c - the ctypes half of sharedctypes: typecodes and
 * their ctypes types, ctypes' conversions with CPython 3.11's TypeErrors
 * and wrap-around, and the shared body of Value and Array (segment, lock,
 * tokens).
 *
 * Shared state: the elements' bytes only, little-endian as ctypes stores
 * them; no pointers.
 */
#include "shared/sharedctypes_internal.h"
#include "sync/semlock.h"
#include "base/internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const mpr__sct_type_t typecodes[] = {
    {'b', 1, MPR__K_SINT, "c_byte"},   {'B', 1, MPR__K_UINT, "c_ubyte"},
    {'h', 2, MPR__K_SINT, "c_short"},  {'H', 2, MPR__K_UINT, "c_ushort"},
    {'i', 4, MPR__K_SINT, "c_int"},    {'I', 4, MPR__K_UINT, "c_uint"},
    {'l', 8, MPR__K_SINT, "c_long"},   {'L', 8, MPR__K_UINT, "c_ulong"},
    {'q', 8, MPR__K_SINT, "c_long"},   {'Q', 8, MPR__K_UINT, "c_ulong"},
    {'f', 4, MPR__K_FLOAT, "c_float"}, {'d', 8, MPR__K_FLOAT, "c_double"},
    {'c', 1, MPR__K_CHAR, "c_char"},   {'u', 4, MPR__K_WCHAR, "c_wchar"},
};

/* What Value and Array share: an element type over a segment. */
const mpr__sct_type_t *mpr__sct_find_tc(const char *code)
{
    if (code != NULL && code[0] != '\0' && code[1] == '\0')
        for (size_t i = 0; i < sizeof(typecodes) / sizeof(typecodes[0]); i++)
            if (typecodes[i].code == code[0])
                return &typecodes[i];
    return NULL;
}

/* ---- element conversions (ctypes' setfunc/getfunc) ---------------------- */

size_t mpr__sct_utf8_decode1(const char *s, size_t n, uint32_t *cp)
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

size_t mpr__sct_utf8_encode1(uint32_t cp, char *out)
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

static void store_int(const mpr__sct_type_t *tc, void *p, uint64_t v)
{
    /* Little-endian: the low bytes are the value wrapped, as ctypes
     * stores an out-of-range int. */
    memcpy(p, &v, tc->size);
}

int mpr__sct_put_elem(const mpr__sct_type_t *tc, void *p, const mpr_obj_t *o)
{
    mpr_obj_type_t t = mpr_obj_type(o);
    int64_t i;
    double d;

    switch (tc->kind) {
    case MPR__K_SINT:
    case MPR__K_UINT:
        if (mpr_obj_as_int64(o, &i) < 0)
            return mpr__error(MPR_ETYPE,
                              "'%s' object cannot be interpreted as an "
                              "integer",
                              mpr_obj_type_name(o));
        store_int(tc, p, (uint64_t)i);
        return 0;
    case MPR__K_FLOAT:
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
    case MPR__K_CHAR:
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
    default: /* MPR__K_WCHAR */
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
            mpr__sct_utf8_decode1(s, n, &cp);
            memcpy(p, &cp, 4);
        }
        return 0;
    }
}

/*
 * The integer of a SINT or UINT element, sign-extended.  A UINT above
 * INT64_MAX is OverflowError (libmpref's ints are 64-bit).  The getters
 * that return a C number read through this, without boxing an mpr_obj_t:
 * Value.value += 1 under a lock must not allocate inside the lock.
 */
static int load_int(const mpr__sct_type_t *tc, const void *p, int64_t *out)
{
    uint64_t u = 0;

    memcpy(&u, p, tc->size);
    if (tc->kind == MPR__K_UINT) {
        if (u > INT64_MAX)
            return mpr__error(MPR_EOVERFLOW, "int too large for libmpref");
        *out = (int64_t)u;
    } else {
        *out = tc->size == 8
                   ? (int64_t)u
                   : (int64_t)(u << (64 - 8 * tc->size)) >> (64 - 8 * tc->size);
    }
    return 0;
}

/* The value of a FLOAT element. */
static double load_float(const mpr__sct_type_t *tc, const void *p)
{
    if (tc->size == 4) {
        float f;
        memcpy(&f, p, 4);
        return f;
    }
    double d;
    memcpy(&d, p, 8);
    return d;
}

int mpr__sct_get_elem(const mpr__sct_type_t *tc, const void *p, mpr_obj_t **out)
{
    int64_t i;
    int r;

    switch (tc->kind) {
    case MPR__K_SINT:
    case MPR__K_UINT:
        if ((r = load_int(tc, p, &i)) < 0)
            return r;
        *out = mpr_obj_int(i);
        break;
    case MPR__K_FLOAT:
        *out = mpr_obj_float(load_float(tc, p));
        break;
    case MPR__K_CHAR:
        *out = mpr_obj_bytes(p, 1);
        break;
    default: {
        uint32_t cp;
        char buf[4];
        memcpy(&cp, p, 4);
        *out = mpr_obj_strn(buf, mpr__sct_utf8_encode1(cp, buf));
    }
    }
    return *out != NULL ? 0 : mpr__error(MPR__ERR(ENOMEM), NULL);
}

int mpr__sct_get_i64(const mpr__sct_type_t *tc, const void *p, int64_t *out)
{
    uint64_t u = 0;

    if (tc->kind == MPR__K_FLOAT)
        return mpr__error(MPR_ETYPE, "%s is not an integer type", tc->ctype);
    if (tc->kind == MPR__K_SINT || tc->kind == MPR__K_UINT)
        return load_int(tc, p, out);
    memcpy(&u, p, tc->size);
    *out = (int64_t)u;
    return 0;
}

int mpr__sct_set_i64(const mpr__sct_type_t *tc, void *p, int64_t v)
{
    uint32_t cp = (uint32_t)v;

    if (tc->kind == MPR__K_FLOAT)
        return mpr__error(MPR_ETYPE, "%s is not an integer type", tc->ctype);
    if (tc->kind == MPR__K_WCHAR)
        memcpy(p, &cp, 4);
    else
        store_int(tc, p, (uint64_t)v);
    return 0;
}

int mpr__sct_get_dbl(const mpr__sct_type_t *tc, const void *p, double *out)
{
    int64_t i;
    int r;

    if (tc->kind == MPR__K_CHAR || tc->kind == MPR__K_WCHAR)
        return mpr__error(MPR_ETYPE, "%s is not a number type", tc->ctype);
    if (tc->kind == MPR__K_FLOAT) {
        *out = load_float(tc, p);
        return 0;
    }
    if ((r = load_int(tc, p, &i)) < 0)
        return r;
    *out = (double)i;
    return 0;
}

int mpr__sct_set_dbl(const mpr__sct_type_t *tc, void *p, double v)
{
    mpr_obj_t *o;
    int r;

    if (tc->kind != MPR__K_FLOAT)
        return mpr__error(MPR_ETYPE, "'float' object cannot be interpreted as "
                                     "an integer");
    o = mpr_obj_float(v);
    if (o == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    r = mpr__sct_put_elem(tc, p, o);
    mpr_obj_decref(o);
    return r;
}

/* ---- bodies: segment, lock, tokens ------------------------------------ */

void mpr__sct_lock_body(mpr__sct_body_t *b)
{
    if (b->lock != NULL)
        mpr_semlock_acquire(b->lock, 1, MPR_TIMEOUT_NONE);
}

void mpr__sct_unlock_body(mpr__sct_body_t *b)
{
    if (b->lock != NULL)
        mpr_semlock_release(b->lock);
}

/* Allocates the segment. */
int mpr__sct_body_init(mpr__sct_body_t *b, const mpr__sct_type_t *tc,
                       size_t len)
{
    int r;

    b->tc = tc;
    b->len = len;
    if (len > SIZE_MAX / tc->size)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    if ((r = mpr__shm_new(len * tc->size, &b->shm)) < 0)
        return r;
    b->data = b->shm->base;
    return 0;
}

/*
 * The lock= keyword, once the raw object is made and filled, as
 * sharedctypes.Value and Array decide it after RawValue/RawArray (so a
 * bad initializer is reported before a bad lock): False (or raw) leaves
 * the object raw, True or None makes an RLock, a lock is kept, and a
 * value without acquire() is AttributeError "%r has no method 'acquire'".
 */
int mpr__sct_body_lock(mpr__sct_body_t *b, const mpr_sync_options_t *opts)
{
    const mpr_obj_t *v = opts != NULL ? opts->lock_value : NULL;

    if (v != NULL) {
        mpr_obj_t *t = mpr_obj_bool(1);
        int is_true = mpr_obj_eq(v, t);
        char *text = NULL;
        int r;

        mpr_obj_decref(t);
        if (mpr_obj_type(v) == MPR_OBJ_BOOL && !mpr_obj_truth(v))
            return 0; /* lock is False */
        if (is_true == 1 || mpr_obj_is_none(v))
            return mpr_rlock_new(&b->lock);
        mpr_semlock_t *lock = mpr_obj_handle_ptr(v, MPR_HANDLE_SEMLOCK);
        if (lock != NULL) {
            b->lock = mpr_semlock_ref(lock);
            return 0;
        }
        if ((r = mpr_obj_repr(v, &text, NULL)) < 0)
            return r;
        r = mpr__error(MPR_EATTR, "%s has no method 'acquire'", text);
        mpr_free(text);
        return r;
    }
    if (opts != NULL && opts->raw)
        return 0;
    if (opts != NULL && opts->lock != NULL) {
        b->lock = mpr_semlock_ref(opts->lock);
        return 0;
    }
    return mpr_rlock_new(&b->lock);
}

void mpr__sct_body_free(mpr__sct_body_t *b)
{
    mpr_semlock_free(b->lock);
    mpr__shm_unref(b->shm);
}

int mpr__sct_no_lock(mpr__sct_body_t *b, const char *what)
{
    return mpr__error(MPR_EATTR, "'%s' object has no attribute '%s'",
                      b->tc->ctype, what);
}

int mpr__sct_body_token(const mpr__sct_body_t *b, char type, mpr_obj_t **out)
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

int mpr__sct_body_from_token(mpr__sct_body_t *b, char type,
                             const mpr_obj_t *tok)
{
    char code[2] = {0, 0};
    const char *s;
    uint64_t len;
    int r;

    memset(b, 0, sizeof(*b));
    if (mpr_obj_type(tok) != MPR_OBJ_STR ||
        *(s = mpr_obj_str_utf8(tok, NULL)) != type)
        goto bad;
    code[0] = s[1];
    if ((b->tc = mpr__sct_find_tc(code)) == NULL)
        goto bad;
    /* A Value holds one element; an Array's length must fit its segment,
     * checked by division so that len * size cannot wrap. */
    if (mpr__parse_dec(s + 2, &s, SIZE_MAX / b->tc->size, &len) < 0 ||
        *s != '|' || (type == 'V' && len != 1))
        goto bad;
    b->len = (size_t)len;
    s++;
    if (*s == '-')
        s++;
    else if ((r = mpr__semlock_from_token(s, &s, &b->lock)) < 0)
        return r;
    if (*s != '|') {
        r = mpr__error(MPR_EVALUE, "bad shared handle");
        goto fail;
    }
    if ((r = mpr__shm_attach(s + 1, &s, &b->shm)) < 0)
        goto fail;
    b->data = b->shm->base;
    if (*s != '\0' || b->shm->size < b->len * b->tc->size) {
        r = mpr__error(MPR_EVALUE, "bad shared handle");
        goto fail;
    }
    return 0;
fail:
    mpr__sct_body_free(b);
    memset(b, 0, sizeof(*b));
    return r;
bad:
    return mpr__error(MPR_EVALUE, "bad shared handle");
}
