/*
 * pool_map.c - the submission calls of CPython 3.11's Pool: apply,
 * apply_async, map, map_async, starmap, starmap_async, imap and
 * imap_unordered, with CPython's default chunksize (pool.py _map_async).
 */
#include "base/internal.h"
#include "obj/objimpl.h"
#include "pool/pool_internal.h"

#include <errno.h>
#include <stdlib.h>

static int check_iterable(const mpr_obj_t *it)
{
    mpr_obj_type_t t = mpr_obj_type(it);

    if (t != MPR_OBJ_LIST && t != MPR_OBJ_TUPLE)
        return mpr__error(MPR_ETYPE, "'%s' object is not iterable",
                          mpr_obj_type_name(it));
    return 0;
}

int mpr_pool_apply_async(mpr_pool_t *pool, mpr_pool_func_t func,
                         const mpr_obj_t *args, const mpr_obj_t *kwargs,
                         mpr_pool_callback_t callback,
                         mpr_pool_error_callback_t error_callback, void *cb_arg,
                         mpr_asyncresult_t **out)
{
    mpr_obj_t *a = NULL, *k = NULL, *payload;
    mpr_asyncresult_t *r;
    int rc;

    if ((rc = mpr__pool_check_running(pool)) < 0)
        return rc;
    if ((rc = args ? mpr__obj_to_tuple(args, &a)
                   : ((a = mpr_obj_tuple(0)) ? 0 : mpr_last_error())) < 0)
        return rc;
    if ((rc = kwargs ? mpr__obj_to_dict(kwargs, &k)
                     : ((k = mpr_obj_dict()) ? 0 : mpr_last_error())) < 0) {
        mpr_obj_decref(a);
        return rc;
    }
    if ((payload = mpr_obj_tuple_steal(2, a, k)) == NULL)
        return mpr_last_error();
    if ((r = mpr__res_new(MPR__RES_APPLY, mpr__pool_next_job())) == NULL) {
        mpr_obj_decref(payload);
        return mpr_last_error();
    }
    r->cb = callback;
    r->ecb = error_callback;
    r->cb_arg = cb_arg;
    rc = mpr__pool_submit(pool, func, MPR__TASK_APPLY, payload, 0, 1, r);
    mpr_obj_decref(payload);
    if (rc < 0) {
        mpr_asyncresult_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

int mpr_pool_apply(mpr_pool_t *pool, mpr_pool_func_t func,
                   const mpr_obj_t *args, const mpr_obj_t *kwargs,
                   mpr_obj_t **out)
{
    mpr_asyncresult_t *r;
    int rc;

    if ((rc = mpr_pool_apply_async(pool, func, args, kwargs, NULL, NULL, NULL,
                                   &r)) < 0)
        return rc;
    rc = mpr_asyncresult_get(r, MPR_TIMEOUT_NONE, out);
    mpr_asyncresult_free(r);
    return rc;
}

/* What an input iterable gave: its items, and the exception its
 * __next__ raised after them (code 0: none). */
typedef struct {
    const mpr_obj_t *items; /* a list or tuple */
    size_t len;             /* len(iterable): the default chunksize's */
    int fail;               /* the exception's code, or 0 */
    const char *msg;        /* its message */
} input_t;

/* The tasks of n items in chunks of chunksize: all of them, or, when the
 * iterable raised, only the whole chunks before the failing item
 * (Pool._get_tasks drops the chunk it was filling). */
static size_t count_tasks(const input_t *in, size_t n, size_t chunksize)
{
    return in->fail ? n / chunksize : n / chunksize + (n % chunksize != 0);
}

/* _map_async */
static int map_input(mpr_pool_t *pool, mpr_pool_func_t func, int kind,
                     const input_t *in, int chunksize,
                     mpr_pool_callback_t callback,
                     mpr_pool_error_callback_t error_callback, void *cb_arg,
                     mpr_asyncresult_t **out)
{
    mpr_asyncresult_t *r;
    size_t len = in->len, n_tasks = 0;
    int rc;

    if ((rc = mpr__pool_check_running(pool)) < 0)
        return rc;
    if (chunksize == MPR_CHUNKSIZE_NONE) {
        size_t d = 4 * (size_t)mpr__pool_processes(pool);
        chunksize = (int)(len / d + (len % d != 0));
    }
    if (len == 0)
        chunksize = 0;
    if ((r = mpr__res_new(MPR__RES_MAP, mpr__pool_next_job())) == NULL)
        return mpr_last_error();
    r->cb = callback;
    r->ecb = error_callback;
    r->cb_arg = cb_arg;
    r->length = len;
    if (chunksize <= 0) {
        /* MapResult with chunksize <= 0: ready at once, [None] * len, no
         * task runs and, as in every CPython from 3.9 to 3.15, the
         * callback is never called (only _set() calls it). */
        mpr__res_set_empty(r);
        if (r->value == NULL) {
            mpr_asyncresult_free(r);
            return mpr__error(MPR__ERR(ENOMEM), NULL);
        }
        *out = r;
        return 0;
    }
    r->chunksize = (size_t)chunksize;
    n_tasks = count_tasks(in, mpr_obj_len(in->items), r->chunksize);
    if (in->fail) /* the result gets the items of those tasks only */
        r->length = len = n_tasks * r->chunksize;
    r->number_left = n_tasks + (in->fail != 0);
    r->value = mpr_obj_list();
    for (size_t i = 0; r->value != NULL && i < len; i++)
        if (mpr_obj_list_append(r->value, mpr_obj_none()) < 0)
            break;
    if (r->value == NULL || mpr_obj_len(r->value) != len)
        rc = mpr__error(MPR__ERR(ENOMEM), NULL);
    else
        rc = mpr__pool_submit_failing(pool, func, kind, in->items, r->chunksize,
                                      n_tasks, r, in->fail, in->msg);
    if (rc < 0) {
        mpr_asyncresult_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

static int map_async(mpr_pool_t *pool, mpr_pool_func_t func, int kind,
                     const mpr_obj_t *iterable, int chunksize,
                     mpr_pool_callback_t callback,
                     mpr_pool_error_callback_t error_callback, void *cb_arg,
                     mpr_asyncresult_t **out)
{
    input_t in = {iterable, 0, 0, NULL};
    int rc;

    if ((rc = mpr__pool_check_running(pool)) < 0 ||
        (rc = check_iterable(iterable)) < 0)
        return rc;
    in.len = mpr_obj_len(iterable);
    return map_input(pool, func, kind, &in, chunksize, callback, error_callback,
                     cb_arg, out);
}

int mpr_pool_map_async(mpr_pool_t *pool, mpr_pool_func_t func,
                       const mpr_obj_t *iterable, int chunksize,
                       mpr_pool_callback_t callback,
                       mpr_pool_error_callback_t error_callback, void *cb_arg,
                       mpr_asyncresult_t **out)
{
    return map_async(pool, func, MPR__TASK_MAP, iterable, chunksize, callback,
                     error_callback, cb_arg, out);
}

int mpr_pool_starmap_async(mpr_pool_t *pool, mpr_pool_func_t func,
                           const mpr_obj_t *iterable, int chunksize,
                           mpr_pool_callback_t callback,
                           mpr_pool_error_callback_t error_callback,
                           void *cb_arg, mpr_asyncresult_t **out)
{
    return map_async(pool, func, MPR__TASK_STARMAP, iterable, chunksize,
                     callback, error_callback, cb_arg, out);
}

static int map_wait(mpr_asyncresult_t *r, int rc, mpr_obj_t **out)
{
    if (rc < 0)
        return rc;
    rc = mpr_asyncresult_get(r, MPR_TIMEOUT_NONE, out);
    mpr_asyncresult_free(r);
    return rc;
}

int mpr_pool_map(mpr_pool_t *pool, mpr_pool_func_t func,
                 const mpr_obj_t *iterable, int chunksize, mpr_obj_t **out)
{
    mpr_asyncresult_t *r = NULL;
    /* Not map_wait(r, map_async(..., &r), out): the order in which a
     * call's arguments are evaluated is unspecified (clang reads r
     * first, still NULL). */
    int rc = map_async(pool, func, MPR__TASK_MAP, iterable, chunksize, NULL,
                       NULL, NULL, &r);

    return map_wait(r, rc, out);
}

int mpr_pool_starmap(mpr_pool_t *pool, mpr_pool_func_t func,
                     const mpr_obj_t *iterable, int chunksize, mpr_obj_t **out)
{
    mpr_asyncresult_t *r = NULL;
    int rc = map_async(pool, func, MPR__TASK_STARMAP, iterable, chunksize, NULL,
                       NULL, NULL, &r);

    return map_wait(r, rc, out);
}

/* imap's checks, in CPython's order */
static int check_imap(mpr_pool_t *pool, int chunksize)
{
    int rc;

    if ((rc = mpr__pool_check_running(pool)) < 0)
        return rc;
    if (chunksize < 1)
        return mpr__error(MPR_EVALUE, "Chunksize must be 1+, not %d",
                          chunksize);
    return 0;
}

static int imap_input(mpr_pool_t *pool, mpr_pool_func_t func, int kind,
                      const input_t *in, int chunksize, mpr_imap_t **out)
{
    mpr_imap_t *it;
    mpr_asyncresult_t *r;
    size_t len = mpr_obj_len(in->items), n, n_tasks;
    int rc = 0;

    n_tasks = count_tasks(in, len, (size_t)chunksize);
    n = n_tasks + (in->fail != 0); /* _set_length: the failing task too */
    if ((it = mpr__sys.calloc(1, sizeof(*it))) == NULL ||
        (r = it->r = mpr__res_new(kind, mpr__pool_next_job())) == NULL) {
        free(it);
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    }
    r->chunksize = (size_t)chunksize;
    r->length = len;
    r->number_left = n;
    r->slots = mpr__sys.calloc(n ? n : 1, sizeof(*r->slots));
    r->arrived = mpr__sys.calloc(n ? n : 1, sizeof(*r->arrived));
    /* n_slots only once slots exist: mpr_asyncresult_free walks them. */
    if (r->slots == NULL || r->arrived == NULL)
        rc = mpr__error(MPR__ERR(ENOMEM), NULL);
    else if ((r->n_slots = n) == 0)
        r->ready = 1;
    else
        rc = mpr__pool_submit_failing(pool, func, MPR__TASK_MAP, in->items,
                                      (size_t)chunksize, n_tasks, r, in->fail,
                                      in->msg);
    if (rc < 0) {
        mpr_imap_free(it);
        return rc;
    }
    *out = it;
    return 0;
}

static int imap(mpr_pool_t *pool, mpr_pool_func_t func, int kind,
                const mpr_obj_t *iterable, int chunksize, mpr_imap_t **out)
{
    input_t in = {iterable, 0, 0, NULL};
    int rc;

    if ((rc = check_imap(pool, chunksize)) < 0 ||
        (rc = check_iterable(iterable)) < 0)
        return rc;
    return imap_input(pool, func, kind, &in, chunksize, out);
}

int mpr_pool_imap(mpr_pool_t *pool, mpr_pool_func_t func,
                  const mpr_obj_t *iterable, int chunksize, mpr_imap_t **out)
{
    return imap(pool, func, MPR__RES_IMAP, iterable, chunksize, out);
}

int mpr_pool_imap_unordered(mpr_pool_t *pool, mpr_pool_func_t func,
                            const mpr_obj_t *iterable, int chunksize,
                            mpr_imap_t **out)
{
    return imap(pool, func, MPR__RES_IMAP_UNORDERED, iterable, chunksize, out);
}

/* ---- iterators as inputs ---------------------------------------------------
 */

/* Draws every item of it into in->items (a new list); when __next__
 * raises, in->fail and in->msg (a copy) keep its exception.  Returns 0,
 * or an error of building the list. */
static int drain(const mpr_pool_iter_t *it, input_t *in, char **msg)
{
    mpr_obj_t *l = mpr_obj_list(), *x = NULL;
    int rc;

    *msg = NULL;
    if (l == NULL)
        return mpr_last_error();
    while ((rc = it->next(it->arg, &x)) > 0)
        if ((rc = mpr_obj_list_append_steal(l, x)) < 0) {
            mpr_obj_decref(l);
            return rc;
        }
    if (rc < 0) {
        in->fail = rc;
        *msg = mpr__strdup(mpr_last_error() == rc ? mpr_last_error_detail()
                                                  : mpr_strerror(rc));
        if (*msg == NULL) {
            mpr_obj_decref(l);
            return mpr__error(MPR__ERR(ENOMEM), NULL);
        }
    }
    in->items = l;
    in->msg = *msg;
    in->len = it->len >= 0 ? (size_t)it->len : mpr_obj_len(l);
    return 0;
}

static void drop(input_t *in, char *msg)
{
    mpr_obj_decref((mpr_obj_t *)in->items);
    free(msg);
}

int mpr_pool_map_iter(mpr_pool_t *pool, mpr_pool_func_t func,
                      const mpr_pool_iter_t *it, int chunksize, mpr_obj_t **out)
{
    mpr_asyncresult_t *r = NULL;
    input_t in = {NULL, 0, 0, NULL};
    char *msg;
    int rc;

    if ((rc = mpr__pool_check_running(pool)) < 0 ||
        (rc = drain(it, &in, &msg)) < 0)
        return rc;
    if (in.fail && it->len < 0) {
        /* no __len__: _map_async's list(iterable) raises in the caller */
        rc = mpr__error(in.fail, "%s", msg);
    } else {
        rc = map_input(pool, func, MPR__TASK_MAP, &in, chunksize, NULL, NULL,
                       NULL, &r);
        rc = map_wait(r, rc, out);
    }
    drop(&in, msg);
    return rc;
}

static int imap_iter(mpr_pool_t *pool, mpr_pool_func_t func, int kind,
                     const mpr_pool_iter_t *it, int chunksize, mpr_imap_t **out)
{
    input_t in = {NULL, 0, 0, NULL};
    char *msg;
    int rc;

    if ((rc = check_imap(pool, chunksize)) < 0 ||
        (rc = drain(it, &in, &msg)) < 0)
        return rc;
    rc = imap_input(pool, func, kind, &in, chunksize, out);
    drop(&in, msg);
    return rc;
}

int mpr_pool_imap_iter(mpr_pool_t *pool, mpr_pool_func_t func,
                       const mpr_pool_iter_t *it, int chunksize,
                       mpr_imap_t **out)
{
    return imap_iter(pool, func, MPR__RES_IMAP, it, chunksize, out);
}

int mpr_pool_imap_unordered_iter(mpr_pool_t *pool, mpr_pool_func_t func,
                                 const mpr_pool_iter_t *it, int chunksize,
                                 mpr_imap_t **out)
{
    return imap_iter(pool, func, MPR__RES_IMAP_UNORDERED, it, chunksize, out);
}
