/*
 * sharedctypes.c - multiprocessing.Value and RawValue (CPython 3.11
 * sharedctypes: Synchronized, or the raw ctypes object).  Array is in
 * sharedctypes_array.c, the typecodes and ctypes' conversions in
 * sharedctypes_conv.c.
 *
 * Shared state: the one element's bytes, in a segment of its own; the
 * lock is a separate Lock/RLock object.  Typecode and lock live in the
 * per-process object.
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

int mpr_value_new(mpr_value_t **out, const char *typecode,
                  const mpr_obj_t *init, const mpr_sync_options_t *opts)
{
    const mpr__sct_type_t *tc = mpr__sct_find_tc(typecode);
    mpr_value_t *v;
    int r;

    if (tc == NULL)
        return mpr__error(MPR_ETYPE, "this type has no size");
    if ((v = mpr__sys.calloc(1, sizeof(*v))) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    if ((r = mpr__sct_body_init(&v->b, tc, 1)) < 0)
        goto fail;
    if (init != NULL && (r = mpr__sct_put_elem(tc, v->b.data, init)) < 0)
        goto fail;
    if ((r = mpr__sct_body_lock(&v->b, opts)) < 0)
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
    mpr_value_free(v->obj);
    mpr__sct_body_free(&v->b);
    free(v);
}

int mpr_value_get(mpr_value_t *v, mpr_obj_t **out)
{
    int r;

    mpr__sct_lock_body(&v->b);
    r = mpr__sct_get_elem(v->b.tc, v->b.data, out);
    mpr__sct_unlock_body(&v->b);
    return r;
}

int mpr_value_set(mpr_value_t *v, const mpr_obj_t *value)
{
    int r;

    mpr__sct_lock_body(&v->b);
    r = mpr__sct_put_elem(v->b.tc, v->b.data, value);
    mpr__sct_unlock_body(&v->b);
    return r;
}

int mpr_value_get_int64(mpr_value_t *v, int64_t *out)
{
    int r;

    mpr__sct_lock_body(&v->b);
    r = mpr__sct_get_i64(v->b.tc, v->b.data, out);
    mpr__sct_unlock_body(&v->b);
    return r;
}

int mpr_value_set_int64(mpr_value_t *v, int64_t value)
{
    int r;

    mpr__sct_lock_body(&v->b);
    r = mpr__sct_set_i64(v->b.tc, v->b.data, value);
    mpr__sct_unlock_body(&v->b);
    return r;
}

int mpr_value_get_double(mpr_value_t *v, double *out)
{
    int r;

    mpr__sct_lock_body(&v->b);
    r = mpr__sct_get_dbl(v->b.tc, v->b.data, out);
    mpr__sct_unlock_body(&v->b);
    return r;
}

int mpr_value_set_double(mpr_value_t *v, double value)
{
    int r;

    mpr__sct_lock_body(&v->b);
    r = mpr__sct_set_dbl(v->b.tc, v->b.data, value);
    mpr__sct_unlock_body(&v->b);
    return r;
}

mpr_semlock_t *mpr_value_get_lock(mpr_value_t *v)
{
    if (v->b.lock == NULL)
        mpr__sct_no_lock(&v->b, "get_lock");
    return v->b.lock;
}

/* A raw view of the same segment: what the wrapper wraps. */
int mpr_value_get_obj(mpr_value_t *v, mpr_value_t **out)
{
    *out = NULL;
    if (v->b.lock == NULL)
        return mpr__sct_no_lock(&v->b, "get_obj");
    if (v->obj == NULL) {
        mpr_value_t *o = mpr__sys.calloc(1, sizeof(*o));
        if (o == NULL)
            return mpr__error(MPR__ERR(ENOMEM), NULL);
        o->b = v->b;
        o->b.lock = NULL;
        o->b.shm = mpr__shm_ref(v->b.shm);
        v->obj = o;
    }
    *out = v->obj;
    return 0;
}

int mpr_value_acquire(mpr_value_t *v, int block, double timeout)
{
    if (v->b.lock == NULL)
        return mpr__sct_no_lock(&v->b, "acquire");
    return mpr_semlock_acquire(v->b.lock, block, timeout);
}

int mpr_value_release(mpr_value_t *v)
{
    if (v->b.lock == NULL)
        return mpr__sct_no_lock(&v->b, "release");
    return mpr_semlock_release(v->b.lock);
}

int mpr_value_obj_repr(mpr_value_t *v, char **out, size_t *len)
{
    mpr_obj_t *o;
    char *inner;
    int r;

    /* ctypes' repr reads the memory without the lock.  An unsigned value
     * above INT64_MAX has no mpr_obj_t: print it as ctypes does. */
    if (v->b.tc->kind == MPR__K_UINT) {
        uint64_t u = 0;
        memcpy(&u, v->b.data, v->b.tc->size);
        return mpr__sprintf(out, len, "%s(%llu)", v->b.tc->ctype,
                            (unsigned long long)u);
    }
    if ((r = mpr__sct_get_elem(v->b.tc, v->b.data, &o)) < 0)
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

const char *mpr_value_obj_type_name(const mpr_value_t *v)
{
    return v->b.tc->ctype;
}

int mpr_value_reduce(const mpr_value_t *v, mpr_obj_t **out)
{
    return mpr__sct_body_token(&v->b, 'V', out);
}

int mpr_value_rebuild(mpr_value_t **out, const mpr_obj_t *tok)
{
    mpr_value_t *v = mpr__sys.calloc(1, sizeof(*v));
    int r;

    if (v == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    if ((r = mpr__sct_body_from_token(&v->b, 'V', tok)) < 0) {
        free(v);
        return r;
    }
    *out = v;
    return 0;
}

/* ---- as a handle value (obj.h): what obj/ and the process layer use ---- */

/* type(v).__name__: the wrapper's class, or the raw ctypes type */
static const char *value_type_name(const void *p)
{
    const mpr_value_t *v = p;

    return v->b.lock != NULL ? "Synchronized" : mpr_value_obj_type_name(v);
}

static int value_repr_h(void *p, char **out, size_t *len)
{
    return mpr_value_repr(p, out, len);
}

static int value_reduce_h(const void *p, mpr_obj_t **tok)
{
    return mpr_value_reduce(p, tok);
}

static int value_rebuild_h(const mpr_obj_t *tok, void **out)
{
    mpr_value_t *o = NULL;
    int rc = mpr_value_rebuild(&o, tok);

    *out = o;
    return rc;
}

static void value_free_h(void *p)
{
    mpr_value_free(p);
}

/* A raw value is a ctypes object over an mmap, which does not pickle;
 * a synchronized one is SynchronizedBase.__reduce__'s assert_spawning. */
static int value_refuse(const void *p)
{
    const mpr_value_t *v = p;

    if (v->b.lock == NULL)
        return mpr__error(MPR_ETYPE, "cannot pickle 'mmap.mmap' object");
    return mpr__error(MPR_ERUNTIME, "Synchronized objects should only be "
                                    "shared between processes through "
                                    "inheritance");
}

MPR__HANDLE_INIT static void value_handle_init(void)
{
    static const mpr__handle_ops_t ops = {
        .name = "Value",
        .type_name = value_type_name,
        .repr = value_repr_h,
        .reduce = value_reduce_h,
        .rebuild = value_rebuild_h,
        .free = value_free_h,
        .refuse = value_refuse,
    };
    mpr__handle_register(MPR_HANDLE_VALUE, &ops);
}
