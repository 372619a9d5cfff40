/*
 * pool_worker.c - the worker process of a Pool (CPython 3.11's
 * multiprocessing.pool.worker): runs the initializer once, then takes
 * tasks from the inqueue and puts (job, i, (success, value)) on the
 * outqueue until it gets None or has done maxtasksperchild tasks.
 *
 * Messages between the pool and its workers use the Connection framing
 * and protocol-4 pickles of plain values:
 *   task    (job, i, func, kind, payload)   func: registered name (str),
 *                                           or an address (int, fork only)
 *   result  (job, i, (True, value)) | (job, i, (False, (code, message)))
 *           | (job, i, (False, (MPR_EENCODING, message, exc, value)))
 *   stop    None
 * A map chunk of ints only travels packed: kind MPR__TASK_MAP_I64 and a
 * bytes payload of int64s; its result, while every value is an int, is
 * (job, i, (MPR__RESULT_I64, bytes)) the same way.  The worker then
 * makes no object per item beyond what func makes (run_map_i64).
 * CPython pickles the function itself and its exception objects; a C
 * worker names them instead (documented in pool.h).
 */
#include "pool/pool_internal.h"
#include "base/internal.h"
#include "obj/objimpl.h"
#include "process/target.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

mpr_obj_t *mpr__pool_func_id(void (*fn)(void), int fork)
{
    const char *name = mpr__target_name(fn);

    if (name != NULL)
        return mpr_obj_str(name);
    if (fork)
        return mpr_obj_int((int64_t)(intptr_t)fn);
    mpr__error(MPR_EPICKLE,
               "Can't pickle <function at %p>: it is not registered "
               "(MPR_TARGET)",
               (void *)(intptr_t)fn);
    return NULL;
}

/* _helper_reraises_exception(ex): raises, in a worker, the exception
 * (code, message) the input iterable raised in the parent. */
static int mpr__pool_reraise(mpr_obj_t *args, mpr_obj_t *kwargs,
                             mpr_obj_t **result)
{
    (void)kwargs;
    (void)result;
    return mpr__error((int)mpr_obj_int_value(mpr_obj_item(args, 0)), "%s",
                      mpr_obj_str_utf8(mpr_obj_item(args, 1), NULL));
}
MPR_TARGET(mpr__pool_reraise)

mpr_obj_t *mpr__pool_reraise_task(long job, size_t i, int code, const char *msg)
{
    mpr_obj_t *args =
        mpr_obj_tuple_steal(2, mpr_obj_int(code), mpr_obj_str(msg));

    return mpr_obj_tuple_steal(
        5, mpr_obj_int(job), mpr_obj_int((int64_t)i),
        mpr__pool_func_id((void (*)(void))mpr__pool_reraise, 0),
        mpr_obj_int(MPR__TASK_APPLY),
        mpr_obj_tuple_steal(2, args, mpr_obj_dict()));
}

static void (*func_of(const mpr_obj_t *id))(void)
{
    if (id == NULL || mpr_obj_is_none(id))
        return NULL;
    if (mpr_obj_type(id) == MPR_OBJ_STR)
        return mpr__target_lookup(mpr_obj_str_utf8(id, NULL));
    return (void (*)(void))(intptr_t)mpr_obj_int_value(id);
}

/* The exception a call returned: (code, message). */
static mpr_obj_t *exception_of(int rc)
{
    const char *msg =
        mpr_last_error() == rc ? mpr_last_error_detail() : mpr_strerror(rc);

    return mpr_obj_tuple_steal(2, mpr_obj_int(rc), mpr_obj_str(msg));
}

/* The args tuple (x,) for the next item of a packed chunk: the previous
 * one is reused when func kept no reference to it or to its int (nobody
 * can see the change then), so a chunk of ints costs no allocation per
 * item beyond what func itself makes.  Returns a borrowed tuple (owned
 * by *args), or NULL. */
static mpr_obj_t *args_for(mpr_obj_t **args, int64_t v)
{
    mpr_obj_t *a = *args, *x = a != NULL ? a->u.seq.items[0] : NULL;

    if (a != NULL && atomic_load(&a->refcnt) == 1 && a->u.seq.len == 1 &&
        x->type == MPR_OBJ_INT && atomic_load(&x->refcnt) == 1) {
        x->u.i = v;
        atomic_store(&a->hashed, 0); /* a tuple caches its hash */
        return a;
    }
    mpr_obj_decref(a);
    return *args = mpr_obj_tuple_steal(1, mpr_obj_int(v));
}

/* A packed chunk's results so far, as the list of the generic path. */
static mpr_obj_t *unpack(const int64_t *v, size_t n)
{
    mpr_obj_t *l = mpr_obj_list();

    for (size_t k = 0; l != NULL && k < n; k++)
        if (mpr_obj_list_append_steal(l, mpr_obj_int(v[k])) < 0) {
            mpr_obj_decref(l);
            return NULL;
        }
    return l;
}

/* [func(x) for x in chunk] over a packed chunk of ints.  While every
 * result is an int they are packed too, (MPR__RESULT_I64, bytes), each
 * freed as soon as it is stored; the first other result turns the rest
 * into the generic (True, list).  Returns a new reference or NULL. */
static mpr_obj_t *run_map_i64(mpr_pool_func_t fn, const mpr_obj_t *payload)
{
    size_t nbytes, n;
    const unsigned char *in = mpr_obj_bytes_data(payload, &nbytes);
    int64_t *out;
    mpr_obj_t *kw, *args = NULL, *list = NULL, *ret = NULL;
    int rc = 0;

    n = nbytes / 8;
    if ((out = mpr__sys.malloc(n ? n * 8 : 1)) == NULL) {
        mpr__error(MPR__ERR(ENOMEM), NULL);
        return NULL;
    }
    if ((kw = mpr_obj_dict()) == NULL)
        goto done;
    for (size_t k = 0; k < n && rc >= 0; k++) {
        mpr_obj_t *a, *res = NULL;
        int64_t v;

        memcpy(&v, in + 8 * k, 8);
        if ((a = args_for(&args, v)) == NULL)
            goto done;
        if ((rc = fn(a, kw, &res)) < 0)
            break;
        if (list == NULL && res != NULL && res->type == MPR_OBJ_INT) {
            out[k] = res->u.i;
            mpr_obj_decref(res);
            continue;
        }
        if (list == NULL && (list = unpack(out, k)) == NULL) {
            mpr_obj_decref(res);
            goto done;
        }
        rc = mpr_obj_list_append_steal(list, res);
    }
    if (rc < 0)
        ret = mpr_obj_tuple_steal(2, mpr_obj_bool(0), exception_of(rc));
    else if (list != NULL)
        ret = mpr_obj_tuple_steal(2, mpr_obj_bool(1), mpr_obj_incref(list));
    else
        ret = mpr_obj_tuple_steal(2, mpr_obj_int(MPR__RESULT_I64),
                                  mpr_obj_bytes(out, n * 8));
done:
    mpr_obj_decref(args);
    mpr_obj_decref(list);
    mpr_obj_decref(kw);
    free(out);
    return ret;
}

/* Runs one task; returns (success, value) (new reference) or NULL. */
static mpr_obj_t *run_task(mpr_pool_func_t fn, int kind, mpr_obj_t *payload)
{
    mpr_obj_t *kw = NULL, *res = NULL, *list = NULL;
    int rc = 0;

    if (fn == NULL)
        return mpr_obj_tuple_steal(
            2, mpr_obj_bool(0),
            mpr_obj_tuple_steal(2, mpr_obj_int(MPR_EATTR),
                                mpr_obj_str("pool function not found")));
    if (kind == MPR__TASK_MAP_I64)
        return run_map_i64(fn, payload);
    if (kind == MPR__TASK_APPLY) {
        rc = fn(mpr_obj_item(payload, 0), mpr_obj_item(payload, 1), &res);
        if (rc < 0)
            return mpr_obj_tuple_steal(2, mpr_obj_bool(0), exception_of(rc));
        return mpr_obj_tuple_steal(2, mpr_obj_bool(1), res);
    }
    if ((kw = mpr_obj_dict()) == NULL || (list = mpr_obj_list()) == NULL)
        goto fail;
    for (size_t i = 0; i < mpr_obj_len(payload) && rc >= 0; i++) {
        mpr_obj_t *x = mpr_obj_item(payload, i), *args;

        if (kind == MPR__TASK_MAP)
            args = mpr_obj_tuple(1, x);
        else if ((rc = mpr__obj_to_tuple(x, &args)) < 0)
            break;
        if (args == NULL)
            goto fail;
        res = NULL;
        if ((rc = fn(args, kw, &res)) >= 0)
            rc = mpr_obj_list_append_steal(list, res);
        mpr_obj_decref(args);
    }
    mpr_obj_decref(kw);
    if (rc < 0) {
        mpr_obj_decref(list);
        return mpr_obj_tuple_steal(2, mpr_obj_bool(0), exception_of(rc));
    }
    return mpr_obj_tuple_steal(2, mpr_obj_bool(1), list);
fail:
    mpr_obj_decref(kw);
    mpr_obj_decref(list);
    return NULL;
}

/* repr(e) of an exception (code, msg): "RuntimeError('msg')",
 * "EOFError()", "BrokenPipeError(32, 'Broken pipe')" (an OSError's args
 * are errno and strerror).  Returns a new str, or NULL. */
static mpr_obj_t *exception_repr(int code, const char *msg)
{
    const char *cls = mpr_err_pytype(code), *dot = strrchr(cls, '.');
    mpr_obj_t *s, *out = NULL;
    char *text = NULL, *r = NULL;
    int os = code < 0 && code > MPR_EVALUE; /* -errno, below the table */

    if (dot != NULL)
        cls = dot + 1; /* repr names the class by its __name__ */
    if (os)
        msg = strerror(-code);
    if ((s = mpr_obj_str(msg)) == NULL || mpr_obj_repr(s, &r, NULL) < 0)
        goto done;
    if (os)
        mpr__asprintf(&text, "%s(%d, %s)", cls, -code, r);
    else if (*msg == '\0')
        mpr__asprintf(&text, "%s()", cls);
    else
        mpr__asprintf(&text, "%s(%s)", cls, r);
    if (text == NULL)
        mpr__error(MPR__ERR(ENOMEM), NULL);
    else
        out = mpr_obj_str(text);
done:
    free(text);
    mpr_free(r);
    mpr_obj_decref(s);
    return out;
}

/*
 * The result of a put that failed with code (the pickling error of
 * result's value, usually): (False, MaybeEncodingError(e, result[1])),
 * as CPython's worker() wraps it, carried as (MPR_EENCODING, str(w),
 * w.exc, w.value), where exc is repr(e) and value repr(result[1]).
 * Returns a new reference, or NULL.
 */
static mpr_obj_t *encoding_error(int code, const char *msg,
                                 const mpr_obj_t *result)
{
    mpr_obj_t *exc = exception_repr(code, msg), *out = NULL;
    char *value = NULL, *text = NULL;
    size_t n;

    if (exc == NULL || mpr_obj_repr(mpr_obj_item(result, 1), &value, &n) < 0)
        goto done;
    if (mpr__asprintf(&text, "Error sending result: '%s'. Reason: '%s'", value,
                      mpr_obj_str_utf8(exc, NULL)) < 0) {
        mpr__error(MPR__ERR(ENOMEM), NULL);
        goto done;
    }
    out = mpr_obj_tuple_steal(
        2, mpr_obj_bool(0),
        mpr_obj_tuple_steal(4, mpr_obj_int(MPR_EENCODING), mpr_obj_str(text),
                            mpr_obj_incref(exc), mpr_obj_strn(value, n)));
done:
    free(text);
    mpr_free(value);
    mpr_obj_decref(exc);
    return out;
}

/* put((job, i, result)); when that raises, put((job, i, (False,
 * MaybeEncodingError(e, result[1])))), so that the job fails instead of
 * hanging and the worker lives on; an error of that second put ends the
 * worker, as in CPython.  Steals msg. */
static int put_result(mpr_squeue_t *outq, mpr_obj_t *msg)
{
    mpr_obj_t *wrapped;
    char *detail;
    int rc = mpr_squeue_put(outq, msg);

    if (rc >= 0) {
        mpr_obj_decref(msg);
        return rc;
    }
    /* the message first: repr() and the rest may fail and overwrite it */
    detail = mpr__strdup(mpr_last_error() == rc ? mpr_last_error_detail()
                                                : mpr_strerror(rc));
    wrapped = detail ? encoding_error(rc, detail, mpr_obj_item(msg, 2)) : NULL;
    free(detail);
    if (wrapped == NULL) {
        mpr_obj_decref(msg);
        return mpr_last_error();
    }
    /* the job and index stay; the result is replaced */
    mpr_obj_tuple_set_steal(msg, 2, wrapped);
    rc = mpr_squeue_put(outq, msg);
    mpr_obj_decref(msg);
    return rc;
}

/* The queue an argument names: inherited (fork: its address) or reduced. */
static int queue_of(const mpr_obj_t *v, mpr_squeue_t **q, int *owned)
{
    *owned = 0;
    if (mpr_obj_type(v) == MPR_OBJ_INT) {
        *q = (mpr_squeue_t *)(intptr_t)mpr_obj_int_value(v);
        return 0;
    }
    *owned = 1;
    return mpr_squeue_rebuild(q, v);
}

static int serve(mpr_squeue_t *inq, mpr_squeue_t *outq, int64_t maxtasks)
{
    for (int64_t done = 0; maxtasks == 0 || done < maxtasks; done++) {
        mpr_obj_t *task, *result, *msg;
        int64_t kind;
        int rc;

        if (mpr_squeue_get(inq, &task) < 0)
            return 0; /* EOFError/OSError: "worker got EOFError" */
        if (mpr_obj_is_none(task)) {
            mpr_obj_decref(task);
            return 0;
        }
        mpr_obj_as_int64(mpr_obj_item(task, 3), &kind);
        result = run_task((mpr_pool_func_t)func_of(mpr_obj_item(task, 2)),
                          (int)kind, mpr_obj_item(task, 4));
        msg =
            mpr_obj_tuple_steal(3, mpr_obj_incref(mpr_obj_item(task, 0)),
                                mpr_obj_incref(mpr_obj_item(task, 1)), result);
        mpr_obj_decref(task);
        if (msg == NULL)
            return mpr_last_error();
        if ((rc = put_result(outq, msg)) < 0)
            return rc;
    }
    return 0;
}

/* args: (inqueue, outqueue, initializer, initargs, maxtasks) */
int mpr__pool_worker(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_squeue_t *inq = NULL, *outq = NULL;
    int own_in = 0, own_out = 0, rc;
    mpr_target_t init;
    int64_t maxtasks = 0;

    if ((rc = queue_of(mpr_obj_item(args, 0), &inq, &own_in)) < 0 ||
        (rc = queue_of(mpr_obj_item(args, 1), &outq, &own_out)) < 0)
        goto out;
    mpr_obj_as_int64(mpr_obj_item(args, 4), &maxtasks);
    init = (mpr_target_t)func_of(mpr_obj_item(args, 2));
    if (init != NULL && (rc = init(mpr_obj_item(args, 3), kwargs)) < 0)
        goto out;
    rc = serve(inq, outq, maxtasks);
out:
    if (own_in)
        mpr_squeue_free(inq);
    if (own_out)
        mpr_squeue_free(outq);
    return rc;
}
MPR_TARGET(mpr__pool_worker)
