/*
 * pool_result.c - ApplyResult, MapResult and the imap iterators of
 * CPython 3.11's multiprocessing.pool: set by the parent's result-handler
 * thread, waited on by the caller.  Per-process objects (never shared).
 *
 * As in CPython, a result runs its callback (or error_callback) before it
 * becomes ready, so get() returns after the callback has run; a MapResult
 * is ready only when every chunk is back, with the first failure it
 * received as its exception.
 */
#include "pool/pool_internal.h"
#include "base/internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- exceptions ------------------------------------------------------- */

/*
 * A result keeps its exception as one block: the message, then, for a
 * MaybeEncodingError, its exc and value, each NUL-terminated.  exc is the
 * exception as the worker sent it, (code, message) or (code, message,
 * exc, value), or NULL.  Returns the block (malloc'd) or NULL.
 */
static char *exc_dup(int code, const char *msg, const mpr_obj_t *exc)
{
    const char *part[3] = {msg ? msg : "", "", ""};
    size_t len[3], total = 0;
    char *out, *q;

    if (code == MPR_EENCODING && exc != NULL && mpr_obj_len(exc) == 4)
        for (int k = 1; k < 3; k++)
            if (mpr_obj_type(mpr_obj_item(exc, (size_t)k + 1)) == MPR_OBJ_STR)
                part[k] =
                    mpr_obj_str_utf8(mpr_obj_item(exc, (size_t)k + 1), NULL);
    for (int k = 0; k < 3; k++)
        total += (len[k] = strlen(part[k]) + 1);
    if ((q = out = mpr__sys.malloc(total)) == NULL)
        return NULL;
    for (int k = 0; k < 3; k++) {
        memcpy(q, part[k], len[k]);
        q += len[k];
    }
    return out;
}

/* This thread's MaybeEncodingError's exc and value, one block
 * (mpr_maybe_encoding_error_attrs); freed with the thread. */
static _Thread_local char *attrs;
static pthread_key_t attrs_key;
static pthread_once_t attrs_once = PTHREAD_ONCE_INIT;

static void make_attrs_key(void)
{
    pthread_key_create(&attrs_key, free);
}

/* Raises the exception of block exc (exc_dup) in this thread: its code
 * and message, and a MaybeEncodingError's exc and value.  Returns code. */
static int raise_exc(int code, const char *exc)
{
    const char *msg = exc != NULL ? exc : "";

    free(attrs);
    attrs = NULL;
    if (code == MPR_EENCODING && exc != NULL) {
        const char *a = exc + strlen(exc) + 1;
        size_t n = strlen(a) + 1;

        n += strlen(a + n) + 1;
        if ((attrs = mpr__sys.malloc(n)) != NULL)
            memcpy(attrs, a, n);
    }
    pthread_once(&attrs_once, make_attrs_key);
    pthread_setspecific(attrs_key, attrs);
    return mpr__error(code, "%s", msg);
}

int mpr_maybe_encoding_error_attrs(const char **exc, const char **value)
{
    if (mpr_last_error() != MPR_EENCODING || attrs == NULL)
        return mpr__error(MPR_EVALUE, "the last error of this thread is "
                                      "not a MaybeEncodingError");
    *exc = attrs;
    *value = attrs + strlen(attrs) + 1;
    return 0;
}

/* error_callback(e), with e raised in this thread meanwhile, so that the
 * callback can read a MaybeEncodingError's attributes. */
static void call_ecb(mpr_asyncresult_t *r, int code, const char *exc)
{
    raise_exc(code, exc);
    r->ecb(code, exc != NULL ? exc : "", r->cb_arg);
}

mpr_asyncresult_t *mpr__res_new(int kind, long job)
{
    mpr_asyncresult_t *r = mpr__sys.calloc(1, sizeof(*r));
    pthread_condattr_t ca;

    if (r == NULL) {
        mpr__error(MPR__ERR(ENOMEM), NULL);
        return NULL;
    }
    atomic_init(&r->refs, 1);
    r->kind = kind;
    r->job = job;
    r->success = 1;
    pthread_mutex_init(&r->mu, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&r->cv, &ca);
    pthread_condattr_destroy(&ca);
    return r;
}

mpr_asyncresult_t *mpr__res_ref(mpr_asyncresult_t *r)
{
    atomic_fetch_add(&r->refs, 1);
    return r;
}

void mpr_asyncresult_free(mpr_asyncresult_t *r)
{
    if (r == NULL || atomic_fetch_sub(&r->refs, 1) != 1)
        return;
    mpr_obj_decref(r->value);
    mpr_obj_decref(r->cur);
    free(r->msg);
    for (size_t i = 0; i < r->n_slots; i++) {
        mpr_obj_decref(r->slots[i].v);
        free(r->slots[i].msg);
    }
    free(r->slots);
    free(r->arrived);
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv);
    free(r);
}

/* Marks r ready (with r->mu held) and wakes its waiters. */
static void make_ready(mpr_asyncresult_t *r)
{
    r->ready = 1;
    pthread_cond_broadcast(&r->cv);
}

void mpr__res_set_empty(mpr_asyncresult_t *r)
{
    pthread_mutex_lock(&r->mu);
    if (r->kind == MPR__RES_MAP) {
        r->value = mpr_obj_list();
        for (size_t i = 0; r->value != NULL && i < r->length; i++)
            mpr_obj_list_append(r->value, mpr_obj_none());
    }
    make_ready(r);
    pthread_mutex_unlock(&r->mu);
}

/* ApplyResult._set */
static int set_apply(mpr_asyncresult_t *r, int ok, mpr_obj_t *v, int code,
                     const char *msg)
{
    r->success = ok;
    if (ok)
        r->value = mpr_obj_incref(v);
    else {
        r->code = code;
        r->msg = exc_dup(code, msg, v);
    }
    if (ok && r->cb != NULL)
        r->cb(v, r->cb_arg);
    if (!ok && r->ecb != NULL)
        call_ecb(r, code, r->msg);
    pthread_mutex_lock(&r->mu);
    make_ready(r);
    pthread_mutex_unlock(&r->mu);
    return 1;
}

/* MapResult._set: chunk i's list goes to value[i*chunksize:...]. */
static int set_map(mpr_asyncresult_t *r, size_t i, int ok, mpr_obj_t *v,
                   int code, const char *msg)
{
    r->number_left--;
    if (ok && r->success && v != NULL) {
        for (size_t k = 0; k < mpr_obj_len(v); k++) {
            size_t at = i * r->chunksize + k;
            if (at < r->length)
                mpr_obj_list_set(r->value, at, mpr_obj_item(v, k));
        }
    } else if (!ok && r->success) {
        r->success = 0; /* only the first exception is kept */
        r->code = code;
        r->msg = exc_dup(code, msg, v);
    }
    if (r->number_left > 0)
        return 0;
    if (r->success && r->cb != NULL)
        r->cb(r->value, r->cb_arg);
    if (!r->success && r->ecb != NULL)
        call_ecb(r, r->code, r->msg);
    pthread_mutex_lock(&r->mu);
    make_ready(r);
    pthread_mutex_unlock(&r->mu);
    return 1;
}

/* IMapIterator._set / IMapUnorderedIterator._set */
static int set_imap(mpr_asyncresult_t *r, size_t i, int ok, mpr_obj_t *v,
                    int code, const char *msg)
{
    int done;

    pthread_mutex_lock(&r->mu);
    if (i < r->n_slots && r->slots[i].state == 0) {
        r->slots[i].state = ok ? 1 : 2;
        if (ok)
            r->slots[i].v = mpr_obj_incref(v);
        else {
            r->slots[i].code = code;
            r->slots[i].msg = exc_dup(code, msg, v);
        }
        r->arrived[r->n_arrived++] = i;
        r->number_left--;
    }
    done = r->number_left == 0;
    if (done)
        r->ready = 1;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    return done;
}

int mpr__res_set(mpr_asyncresult_t *r, size_t i, int ok, mpr_obj_t *v, int code,
                 const char *msg)
{
    switch (r->kind) {
    case MPR__RES_APPLY:
        return set_apply(r, ok, v, code, msg);
    case MPR__RES_MAP:
        return set_map(r, i, ok, v, code, msg);
    default:
        return set_imap(r, i, ok, v, code, msg);
    }
}

/* A packed chunk as the list the generic path would have received. */
static mpr_obj_t *list_of_i64(const unsigned char *v, size_t n)
{
    mpr_obj_t *l = mpr_obj_list();

    for (size_t k = 0; l != NULL && k < n; k++) {
        int64_t x;

        memcpy(&x, v + 8 * k, 8);
        if (mpr_obj_list_append_steal(l, mpr_obj_int(x)) < 0) {
            mpr_obj_decref(l);
            l = NULL;
        }
    }
    return l;
}

int mpr__res_set_i64(mpr_asyncresult_t *r, size_t i, const unsigned char *v,
                     size_t n)
{
    mpr_obj_t *l;
    int done;

    if (r->kind == MPR__RES_MAP) {
        /* The ints go straight into their places in value (which holds
         * None there): one object per item, the one map() returns. */
        for (size_t k = 0; r->success && k < n; k++) {
            size_t at = i * r->chunksize + k;
            mpr_obj_t *o;
            int64_t x;

            if (at >= r->length)
                break;
            memcpy(&x, v + 8 * k, 8);
            if ((o = mpr_obj_int(x)) == NULL)
                return mpr__res_set(r, i, 0, NULL, mpr_last_error(),
                                    mpr_last_error_detail());
            mpr_obj_list_set_steal(r->value, at, o);
        }
        return set_map(r, i, 1, NULL, 0, NULL);
    }
    if ((l = list_of_i64(v, n)) == NULL)
        return mpr__res_set(r, i, 0, NULL, mpr_last_error(),
                            mpr_last_error_detail());
    done = mpr__res_set(r, i, 1, l, 0, NULL);
    mpr_obj_decref(l);
    return done;
}

/* ---- AsyncResult --------------------------------------------------------- */

/* Waits (r->mu held) until pred or the deadline; returns pred. */
static int wait_until(mpr_asyncresult_t *r, const mpr_deadline_t *d,
                      int (*pred)(mpr_asyncresult_t *))
{
    while (!pred(r)) {
        if (d->infinite)
            pthread_cond_wait(&r->cv, &r->mu);
        else if (pthread_cond_timedwait(&r->cv, &r->mu, &d->at) == ETIMEDOUT)
            return pred(r);
    }
    return 1;
}

static int is_ready(mpr_asyncresult_t *r)
{
    return r->ready;
}

int mpr_asyncresult_wait(mpr_asyncresult_t *r, double timeout)
{
    mpr_deadline_t d;
    int rc;

    if ((rc = mpr_deadline_init(&d, 1, timeout)) < 0)
        return rc;
    pthread_mutex_lock(&r->mu);
    wait_until(r, &d, is_ready);
    pthread_mutex_unlock(&r->mu);
    return 0;
}

int mpr_asyncresult_get(mpr_asyncresult_t *r, double timeout, mpr_obj_t **out)
{
    int rc;

    if ((rc = mpr_asyncresult_wait(r, timeout)) < 0)
        return rc;
    if (!mpr_asyncresult_ready(r))
        return mpr__error(MPR_ETIMEOUT, NULL);
    if (!r->success)
        return raise_exc(r->code, r->msg);
    *out = mpr_obj_incref(r->value);
    return 0;
}

int mpr_asyncresult_ready(mpr_asyncresult_t *r)
{
    int ready;

    pthread_mutex_lock(&r->mu);
    ready = r->ready;
    pthread_mutex_unlock(&r->mu);
    return ready;
}

const char *mpr_asyncresult_type_name(const mpr_asyncresult_t *r)
{
    return r->kind == MPR__RES_MAP ? "MapResult" : "ApplyResult";
}

int mpr_asyncresult_successful(mpr_asyncresult_t *r)
{
    if (!mpr_asyncresult_ready(r))
        return mpr__error(MPR_EVALUE,
                          "<multiprocessing.pool.%s object at %p> not ready",
                          mpr_asyncresult_type_name(r), (void *)r);
    return r->success;
}

int mpr_asyncresult_repr(const mpr_asyncresult_t *r, char **out, size_t *len)
{
    char tmp[128];
    int n = snprintf(tmp, sizeof(tmp), "<multiprocessing.pool.%s object at %p>",
                     mpr_asyncresult_type_name(r), (const void *)r);

    if ((*out = mpr__strdup(tmp)) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    if (len != NULL)
        *len = (size_t)n;
    return 0;
}

/* ---- imap iterators ------------------------------------------------------ */

/* The chunk that comes next, or n_slots when it has not arrived. */
static size_t next_chunk(mpr_asyncresult_t *r)
{
    if (r->kind == MPR__RES_IMAP_UNORDERED)
        return r->next_slot < r->n_arrived ? r->arrived[r->next_slot]
                                           : r->n_slots;
    return r->slots[r->next_slot].state != 0 ? r->next_slot : r->n_slots;
}

static int has_next(mpr_asyncresult_t *r)
{
    return r->cur != NULL || r->next_slot >= r->n_slots ||
           next_chunk(r) < r->n_slots;
}

/* Takes the next item (r->mu held, has_next true). */
static int take(mpr_asyncresult_t *r, mpr_obj_t **out)
{
    for (;;) {
        size_t c;

        if (r->cur != NULL) {
            if (r->pos < mpr_obj_len(r->cur)) {
                *out = mpr_obj_incref(mpr_obj_item(r->cur, r->pos++));
                return 1;
            }
            mpr_obj_decref(r->cur);
            r->cur = NULL;
        }
        if (r->next_slot >= r->n_slots)
            return 0; /* StopIteration */
        if ((c = next_chunk(r)) >= r->n_slots)
            return MPR_ETIMEOUT; /* caller waits again */
        r->next_slot++;
        if (r->slots[c].state == 2)
            return raise_exc(r->slots[c].code, r->slots[c].msg);
        r->cur = r->slots[c].v;
        r->slots[c].v = NULL;
        r->pos = 0;
    }
}

int mpr_imap_next(mpr_imap_t *it, double timeout, mpr_obj_t **out)
{
    mpr_asyncresult_t *r = it->r;
    mpr_deadline_t d;
    int rc;

    if ((rc = mpr_deadline_init(&d, 1, timeout)) < 0)
        return rc;
    pthread_mutex_lock(&r->mu);
    for (;;) {
        if (!wait_until(r, &d, has_next)) {
            rc = mpr__error(MPR_ETIMEOUT, NULL);
            break;
        }
        if ((rc = take(r, out)) != MPR_ETIMEOUT)
            break;
    }
    pthread_mutex_unlock(&r->mu);
    return rc;
}

void mpr_imap_free(mpr_imap_t *it)
{
    if (it == NULL)
        return;
    mpr_asyncresult_free(it->r);
    free(it);
}
