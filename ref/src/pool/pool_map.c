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

/* _map_async */
static int map_async(mpr_pool_t *pool, mpr_pool_func_t func, int kind,
                     const mpr_obj_t *iterable, int chunksize,
                     mpr_pool_callback_t callback,
                     mpr_pool_error_callback_t error_callback, void *cb_arg,
                     mpr_asyncresult_t **out)
{
    mpr_asyncresult_t *r;
    size_t len, n_tasks = 0;
    int rc;

    if ((rc = mpr__pool_check_running(pool)) < 0 ||
        (rc = check_iterable(iterable)) < 0)
        return rc;
    len = mpr_obj_len(iterable);
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
        /* MapResult with chunksize <= 0: ready at once, [None] * len, and
         * (as in CPython) no task runs. */
        mpr__res_set_empty(r);
        if (r->value == NULL) {
            mpr_asyncresult_free(r);
            return mpr__error(MPR__ERR(ENOMEM), NULL);
        }
        if (callback != NULL)
            callback(r->value, cb_arg);
        *out = r;
        return 0;
    }
    r->chunksize = (size_t)chunksize;
    n_tasks = len / r->chunksize + (len % r->chunksize != 0);
    r->number_left = n_tasks;
    r->value = mpr_obj_list();
    for (size_t i = 0; r->value != NULL && i < len; i++)
        if (mpr_obj_list_append(r->value, mpr_obj_none()) < 0)
            break;
    if (r->value == NULL || mpr_obj_len(r->value) != len)
        rc = mpr__error(MPR__ERR(ENOMEM), NULL);
    else
        rc = mpr__pool_submit(pool, func, kind, iterable, r->chunksize, n_tasks,
                              r);
    if (rc < 0) {
        mpr_asyncresult_free(r);
        return rc;
    }
    *out = r;
    return 0;
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

static int imap(mpr_pool_t *pool, mpr_pool_func_t func, int kind,
                const mpr_obj_t *iterable, int chunksize, mpr_imap_t **out)
{
    mpr_imap_t *it;
    mpr_asyncresult_t *r;
    size_t len, n;
    int rc;

    if ((rc = mpr__pool_check_running(pool)) < 0)
        return rc;
    if (chunksize < 1)
        return mpr__error(MPR_EVALUE, "Chunksize must be 1+, not %d",
                          chunksize);
    if ((rc = check_iterable(iterable)) < 0)
        return rc;
    len = mpr_obj_len(iterable);
    n = len / (size_t)chunksize + (len % (size_t)chunksize != 0);
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
        rc = mpr__pool_submit(pool, func, MPR__TASK_MAP, iterable,
                              (size_t)chunksize, n, r);
    if (rc < 0) {
        mpr_imap_free(it);
        return rc;
    }
    *out = it;
    return 0;
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
