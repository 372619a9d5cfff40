/*
 * mobj_pool.c - the multiprocessing.pool.Pool a manager's server holds
 * (SyncManager's 'Pool' typeid behind PoolProxy, CPython 3.11), run on
 * libmpref's own Pool (pool/), and what its methods of method_to_typeid
 * answer with: an ApplyResult or MapResult as 'AsyncResult'
 * (AutoProxy[AsyncResult]), an IMapIterator or IMapUnorderedIterator as
 * 'Iterator' (IteratorProxy).  Functions, the initializer and callbacks
 * reach the server as the values mpr_manager_func and mpr_manager_action
 * make, ("mpr.target", name, args): a C server cannot unpickle a Python
 * function, so it finds a registered one by name.  State (server process
 * only): the pool; a result's pool object and its callbacks.
 */
#include "manager/manager_internal.h"
#include "mpr/pool.h"
#include "process/target.h"

#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    mpr__mobj_t head;
    mpr_pool_t *pool;
} mpool_t;

/* The callbacks of one async call: the result object's reference and
 * the pending job's (dropped when the callback has run). */
typedef struct {
    _Atomic int refs;
    mpr_obj_t *cb, *ecb; /* action values, or NULL for None */
} mcb_t;

typedef struct {
    mpr__mobj_t head;
    mpr_asyncresult_t *r;
    mcb_t *cbs; /* NULL when no callback was given */
} mresult_t;

typedef struct {
    mpr__mobj_t head;
    mpr_imap_t *it;
} miter_t;

#define POOL(o) (((mpool_t *)(o))->pool)
#define RES(o)  ((mresult_t *)(o))
#define IMAP(o) (((miter_t *)(o))->it)

static const mpr__mtype_t applyresult_type, mapresult_type, imap_type,
    imap_unordered_type;

/* ---- the values that name C functions --------------------------------- */

/* ("mpr.target", name, args): the function registered as name, and args
 * (borrowed), or NULL with CPython's TypeError for what is not callable. */
static void (*target_of(const mpr_obj_t *v, const mpr_obj_t **bound))(void)
{
    const mpr_obj_t *tag = mpr_obj_item(v, 0), *name = mpr_obj_item(v, 1);
    void (*fn)(void);

    if (mpr_obj_type(v) != MPR_OBJ_TUPLE || mpr_obj_len(v) != 3 ||
        mpr_obj_type(tag) != MPR_OBJ_STR ||
        strcmp(mpr_obj_str_utf8(tag, NULL), "mpr.target") != 0 ||
        mpr_obj_type(name) != MPR_OBJ_STR ||
        mpr_obj_type(mpr_obj_item(v, 2)) != MPR_OBJ_TUPLE) {
        mpr__error(MPR_ETYPE, "'%s' object is not callable",
                   mpr_obj_type_name(v));
        return NULL;
    }
    /* CPython's unpickling of a function the server's __main__ lacks */
    if ((fn = mpr__target_lookup(mpr_obj_str_utf8(name, NULL))) == NULL) {
        mpr__error(MPR_EATTR, "Can't get attribute '%s' on <module '__main__'>",
                   mpr_obj_str_utf8(name, NULL));
        return NULL;
    }
    *bound = mpr_obj_item(v, 2);
    return fn;
}

/* A pool function or the initializer: a target with no bound arguments
 * (libmpref's pool sends a worker the function's name only). */
static int func_arg(const mpr_obj_t *v, void (**fn)(void))
{
    const mpr_obj_t *bound = NULL;

    if ((*fn = target_of(v, &bound)) == NULL)
        return mpr_last_error();
    if (mpr_obj_len(bound) != 0)
        return mpr__error(MPR_ETYPE, "a pool function takes no bound "
                                     "arguments (pass them in args)");
    return 0;
}

/* callback(value) in the server: fn(bound + (value,)).  An error it
 * returns is dropped (CPython's would end the result handler). */
static void run_action(const mpr_obj_t *action, mpr_obj_t *value)
{
    const mpr_obj_t *bound = NULL;
    mpr_target_t fn = (mpr_target_t)target_of(action, &bound);
    size_t n;
    mpr_obj_t *args;

    if (fn == NULL)
        return;
    n = mpr_obj_len(bound);
    if ((args = mpr_obj_tuple_new(n + 1)) == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        mpr_obj_tuple_set_steal(args, i,
                                mpr_obj_incref(mpr_obj_item(bound, i)));
    mpr_obj_tuple_set_steal(args, n, mpr_obj_incref(value));
    fn(args, NULL);
    mpr_obj_decref(args);
}

static void cbs_unref(mcb_t *c)
{
    if (c == NULL || atomic_fetch_sub(&c->refs, 1) != 1)
        return;
    mpr_obj_decref(c->cb);
    mpr_obj_decref(c->ecb);
    free(c);
}

/* The pool's callback and error_callback (its result handler thread):
 * each job calls one of them once, when it completes. */
static void on_value(mpr_obj_t *result, void *arg)
{
    mcb_t *c = arg;

    if (c->cb != NULL)
        run_action(c->cb, result);
    cbs_unref(c);
}

/* error_callback(exc): the exception as (code, message), as a pool
 * worker reports it. */
static void on_error(int code, const char *message, void *arg)
{
    mcb_t *c = arg;
    mpr_obj_t *exc;

    if (c->ecb != NULL &&
        (exc = mpr_obj_tuple_steal(2, mpr_obj_int(code),
                                   mpr_obj_str(message))) != NULL) {
        run_action(c->ecb, exc);
        mpr_obj_decref(exc);
    }
    cbs_unref(c);
}

/* callback= and error_callback= (None or an action); *out NULL when both
 * are None, else with two references (the result's, the job's). */
static int cbs_arg(const mpr_obj_t *cb, const mpr_obj_t *ecb, mcb_t **out)
{
    const mpr_obj_t *v[2] = {cb, ecb}, *bound;
    mcb_t *c;

    *out = NULL;
    for (int i = 0; i < 2; i++) {
        if (v[i] != NULL && mpr_obj_is_none(v[i]))
            v[i] = NULL;
        if (v[i] != NULL && target_of(v[i], &bound) == NULL)
            return mpr_last_error();
    }
    if (v[0] == NULL && v[1] == NULL)
        return 0;
    if ((c = mpr__sys.calloc(1, sizeof(*c))) == NULL)
        return MPR__ERR(ENOMEM);
    atomic_init(&c->refs, 2);
    c->cb = v[0] ? mpr_obj_incref((mpr_obj_t *)v[0]) : NULL;
    c->ecb = v[1] ? mpr_obj_incref((mpr_obj_t *)v[1]) : NULL;
    *out = c;
    return 0;
}

/* ---- arguments -------------------------------------------------------- */

/* func(*args, **kwds) of apply: args a tuple or list (a new tuple in
 * *targs), kwds a dict; CPython's TypeError otherwise. */
static int apply_args(const mpr_obj_t *f, const mpr_obj_t *args,
                      const mpr_obj_t *kwds, mpr_obj_t **targs)
{
    const char *name = mpr_obj_str_utf8(mpr_obj_item(f, 1), NULL);
    size_t n;

    *targs = NULL;
    if (kwds != NULL && mpr_obj_type(kwds) != MPR_OBJ_DICT)
        return mpr__error(MPR_ETYPE,
                          "__main__.%s() argument after ** must be a "
                          "mapping, not %s",
                          name, mpr_obj_type_name(kwds));
    if (args == NULL)
        return (*targs = mpr_obj_tuple(0)) ? 0 : mpr_last_error();
    if (mpr_obj_type(args) != MPR_OBJ_TUPLE &&
        mpr_obj_type(args) != MPR_OBJ_LIST)
        return mpr__error(MPR_ETYPE,
                          "__main__.%s() argument after * must be an "
                          "iterable, not %s",
                          name, mpr_obj_type_name(args));
    n = mpr_obj_len(args);
    if ((*targs = mpr_obj_tuple_new(n)) == NULL)
        return mpr_last_error();
    for (size_t i = 0; i < n; i++)
        mpr_obj_tuple_set_steal(*targs, i,
                                mpr_obj_incref(mpr_obj_item(args, i)));
    return 0;
}

/* iterable of map and imap: a list or tuple as given.  libmpref's pool
 * takes no other sequence. */
static int iterable_arg(const mpr_obj_t *v)
{
    switch (mpr_obj_type(v)) {
    case MPR_OBJ_LIST:
    case MPR_OBJ_TUPLE:
        return 0;
    case MPR_OBJ_STR:
    case MPR_OBJ_BYTES:
    case MPR_OBJ_DICT:
        return mpr__error(MPR_ENOTIMPL,
                          "a manager Pool maps over a list or tuple, not %s",
                          mpr_obj_type_name(v));
    default:
        return mpr__error(MPR_ETYPE, "'%s' object is not iterable",
                          mpr_obj_type_name(v));
    }
}

/* chunksize: None is dflt; an int; else the TypeError of CPython's
 * comparison (op "<=" in map, "<" in imap). */
static int chunksize_arg(const mpr_obj_t *v, int dflt, const char *op, int *out)
{
    int64_t n;

    *out = dflt;
    if (v == NULL || (dflt == MPR_CHUNKSIZE_NONE && mpr_obj_is_none(v)))
        return 0;
    if (mpr_obj_type(v) != MPR_OBJ_INT && mpr_obj_type(v) != MPR_OBJ_BOOL)
        return mpr__error(MPR_ETYPE,
                          "'%s' not supported between instances of '%s' and "
                          "'int'",
                          op, mpr_obj_type_name(v));
    if (mpr_obj_as_int64(v, &n) < 0)
        return mpr_last_error();
    /* beyond int, as many as CPython could ever take in one chunk */
    *out = n > INT_MAX ? INT_MAX : n < -INT_MAX ? -INT_MAX : (int)n;
    return 0;
}

/* A timeout: None (or absent) waits for ever; a negative one does not
 * wait, as threading.Event.wait. */
static int timeout_arg(const mpr_obj_t *v, double *out)
{
    int rc;

    *out = MPR_TIMEOUT_NONE;
    if (v == NULL || mpr_obj_is_none(v))
        return 0;
    if ((rc = mpr_obj_as_double(v, out)) < 0)
        return rc;
    if (*out < 0)
        *out = 0;
    return 0;
}

/* ---- Pool ------------------------------------------------------------- */

/* Pool(processes=None, initializer=None, initargs=(), maxtasksperchild=None,
 * context=None); context a start method's name.  Workers start without
 * the server lock (under spawn this takes a while). */
static int p_init(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw)
{
    const mpr_obj_t *v;
    mpr_pool_options_t opts = {0};
    void (*init)(void) = NULL;
    int64_t n;
    int rc;

    if ((v = ARG(0, "processes")) && !mpr_obj_is_none(v)) {
        if ((rc = mpr_obj_as_int64(v, &n)) < 0)
            return rc;
        opts.processes = n > INT_MAX ? INT_MAX : n < INT_MIN ? INT_MIN : (int)n;
        opts.flags |= MPR_POOL_PROCESSES_SET;
    }
    if ((v = ARG(1, "initializer")) && !mpr_obj_is_none(v)) {
        if ((rc = func_arg(v, &init)) < 0)
            return rc;
        opts.initializer = (mpr_target_t)init;
    }
    if ((v = ARG(2, "initargs")) && mpr_obj_type(v) != MPR_OBJ_TUPLE)
        return mpr__error(MPR_ETYPE, "initargs must be a tuple, not %s",
                          mpr_obj_type_name(v));
    opts.initargs = v;
    if ((v = ARG(3, "maxtasksperchild")) && !mpr_obj_is_none(v)) {
        if ((rc = mpr_obj_as_int64(v, &n)) < 0)
            return rc;
        opts.maxtasksperchild = n > INT_MAX   ? INT_MAX
                                : n < INT_MIN ? INT_MIN
                                              : (int)n;
        opts.flags |= MPR_POOL_MAXTASKS_SET;
    }
    if ((v = ARG(4, "context")) && !mpr_obj_is_none(v)) {
        if (mpr_obj_type(v) != MPR_OBJ_STR)
            return mpr__error(MPR_ETYPE, "context must be a start method's "
                                         "name");
        opts.context = mpr_obj_str_utf8(v, NULL);
    }
    mpr__mobj_unlock();
    rc = mpr_pool_new(&POOL(o), &opts);
    mpr__mobj_lock();
    return rc;
}

/* The server drops the pool: as at exit, it is terminated and joined
 * unless it was joined before (CPython's would go on until collected). */
static void p_free(mpr__mobj_t *o)
{
    mpr_pool_free(POOL(o));
}

static int p_repr(const mpr__mobj_t *o, mpr_obj_t **out)
{
    char *s;
    int rc;

    if ((rc = mpr_pool_repr(((const mpool_t *)o)->pool, &s, NULL)) < 0)
        return rc;
    rc = mpr__mstr_out(s, out);
    mpr_free(s);
    return rc;
}

/* apply(func, args=(), kwds={}): waits without the server lock. */
static int p_apply(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                   unsigned long c, mpr_obj_t **out)
{
    void (*fn)(void);
    mpr_obj_t *args = NULL;
    int rc;

    (void)c;
    if ((rc = func_arg(ARG(0, "func"), &fn)) < 0 ||
        (rc = apply_args(ARG(0, "func"), ARG(1, "args"), ARG(2, "kwds"),
                         &args)) < 0)
        return rc;
    mpr__mobj_unlock();
    rc =
        mpr_pool_apply(POOL(o), (mpr_pool_func_t)fn, args, ARG(2, "kwds"), out);
    mpr__mobj_lock();
    mpr_obj_decref(args);
    return rc;
}

/* map / starmap (star) (func, iterable, chunksize=None) */
static int map_common(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                      int star, mpr_obj_t **out)
{
    const mpr_obj_t *it = ARG(1, "iterable");
    void (*fn)(void);
    int rc, chunksize;

    if ((rc = func_arg(ARG(0, "func"), &fn)) < 0 ||
        (rc = iterable_arg(it)) < 0 ||
        (rc = chunksize_arg(ARG(2, "chunksize"), MPR_CHUNKSIZE_NONE,
                            "<=", &chunksize)) < 0)
        return rc;
    mpr__mobj_unlock();
    rc = star ? mpr_pool_starmap(POOL(o), (mpr_pool_func_t)fn, it, chunksize,
                                 out)
              : mpr_pool_map(POOL(o), (mpr_pool_func_t)fn, it, chunksize, out);
    mpr__mobj_lock();
    return rc;
}

static int p_map(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                 unsigned long c, mpr_obj_t **out)
{
    (void)c;
    return map_common(o, a, kw, 0, out);
}

static int p_starmap(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                     unsigned long c, mpr_obj_t **out)
{
    (void)c;
    return map_common(o, a, kw, 1, out);
}

/* close, terminate, join */
static int p_close(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                   unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw, (void)c, (void)out;
    return mpr_pool_close(POOL(o));
}

/* fn(pool) without the server lock: terminate and join wait for the
 * workers. */
static int unlocked(mpr__mobj_t *o, int (*fn)(mpr_pool_t *))
{
    int rc;

    mpr__mobj_unlock();
    rc = fn(POOL(o));
    mpr__mobj_lock();
    return rc;
}

static int p_terminate(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                       unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw, (void)c, (void)out;
    return unlocked(o, mpr_pool_terminate);
}

static int p_join(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                  unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw, (void)c, (void)out;
    return unlocked(o, mpr_pool_join);
}

/* apply_async and the others when a caller cannot take the new object
 * they make (make answers them for the server). */
static int p_made(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                  unsigned long c, mpr_obj_t **out)
{
    (void)o, (void)a, (void)kw, (void)c, (void)out;
    return mpr__error(MPR_ETYPE, "the method answers with a proxy");
}

/* BasePoolProxy._exposed_, in its order; the indices make uses. */
enum {
    M_APPLY,
    M_APPLY_ASYNC,
    M_CLOSE,
    M_IMAP,
    M_IMAP_UNORDERED,
    M_JOIN,
    M_MAP,
    M_MAP_ASYNC,
    M_STARMAP,
    M_STARMAP_ASYNC,
    M_TERMINATE
};

static const mpr__mmeth_t methods[] = {
    {"apply", p_apply, MPR__PYDEF(1, "func args kwds")},
    {"apply_async", p_made,
     MPR__PYDEF(1, "func args kwds callback error_callback")},
    {"close", p_close, MPR__PYDEF(0, "")},
    {"imap", p_made, MPR__PYDEF(2, "func iterable chunksize")},
    {"imap_unordered", p_made, MPR__PYDEF(2, "func iterable chunksize")},
    {"join", p_join, MPR__PYDEF(0, "")},
    {"map", p_map, MPR__PYDEF(2, "func iterable chunksize")},
    {"map_async", p_made,
     MPR__PYDEF(2, "func iterable chunksize callback error_callback")},
    {"starmap", p_starmap, MPR__PYDEF(2, "func iterable chunksize")},
    {"starmap_async", p_made,
     MPR__PYDEF(2, "func iterable chunksize callback error_callback")},
    {"terminate", p_terminate, MPR__PYDEF(0, "")},
    {NULL, NULL, MPR__OWNARGS}};

/* A new, zeroed object of type t (its header set), or NULL. */
static mpr__mobj_t *new_obj(const mpr__mtype_t *t)
{
    mpr__mobj_t *o = mpr__sys.calloc(1, t->size);

    if (o != NULL)
        o->type = t;
    return o;
}

/* apply_async, map_async, starmap_async: an AsyncResult. */
static int make_result(mpr__mobj_t *o, size_t i, const mpr_obj_t *a,
                       const mpr_obj_t *kw, mpr__mobj_t **made)
{
    const mpr_obj_t *it = ARG(1, "iterable");
    mpr_pool_t *p = POOL(o);
    mpr_obj_t *args = NULL;
    mpr__mobj_t *r;
    mcb_t *cbs = NULL;
    void (*fn)(void);
    mpr_pool_callback_t cb = NULL;
    mpr_pool_error_callback_t ecb = NULL;
    int rc, chunksize = 0;

    if ((rc = func_arg(ARG(0, "func"), &fn)) < 0)
        return rc;
    if (i == M_APPLY_ASYNC)
        rc = apply_args(ARG(0, "func"), ARG(1, "args"), ARG(2, "kwds"), &args);
    else if ((rc = iterable_arg(it)) == 0)
        rc = chunksize_arg(ARG(2, "chunksize"), MPR_CHUNKSIZE_NONE,
                           "<=", &chunksize);
    if (rc < 0 ||
        (rc = cbs_arg(ARG(3, "callback"), ARG(4, "error_callback"), &cbs)) < 0)
        goto fail;
    if ((r = new_obj(i == M_APPLY_ASYNC ? &applyresult_type
                                        : &mapresult_type)) == NULL) {
        cbs_unref(cbs); /* both references: no result, no job */
        cbs_unref(cbs);
        rc = MPR__ERR(ENOMEM);
        goto fail;
    }
    if (cbs != NULL)
        cb = on_value, ecb = on_error;
    RES(r)->cbs = cbs;
    if (i == M_APPLY_ASYNC)
        rc = mpr_pool_apply_async(p, (mpr_pool_func_t)fn, args, ARG(2, "kwds"),
                                  cb, ecb, cbs, &RES(r)->r);
    else if (i == M_MAP_ASYNC)
        rc = mpr_pool_map_async(p, (mpr_pool_func_t)fn, it, chunksize, cb, ecb,
                                cbs, &RES(r)->r);
    else
        rc = mpr_pool_starmap_async(p, (mpr_pool_func_t)fn, it, chunksize, cb,
                                    ecb, cbs, &RES(r)->r);
    if (rc < 0) {
        cbs_unref(cbs); /* the job's: no job was made */
        mpr__mobj_free(r);
        mpr_obj_decref(args);
        return rc;
    }
    mpr_obj_decref(args);
    *made = r;
    return 0;
fail:
    mpr_obj_decref(args);
    return rc;
}

/* imap, imap_unordered (func, iterable, chunksize=1): an Iterator. */
static int make_iter(mpr__mobj_t *o, size_t i, const mpr_obj_t *a,
                     const mpr_obj_t *kw, mpr__mobj_t **made)
{
    const mpr_obj_t *it = ARG(1, "iterable");
    void (*fn)(void);
    mpr__mobj_t *r;
    int rc, chunksize;

    if ((rc = func_arg(ARG(0, "func"), &fn)) < 0 ||
        (rc = iterable_arg(it)) < 0 ||
        (rc = chunksize_arg(ARG(2, "chunksize"), 1, "<", &chunksize)) < 0)
        return rc;
    if ((r = new_obj(i == M_IMAP ? &imap_type : &imap_unordered_type)) == NULL)
        return MPR__ERR(ENOMEM);
    rc = i == M_IMAP ? mpr_pool_imap(POOL(o), (mpr_pool_func_t)fn, it,
                                     chunksize, &IMAP(r))
                     : mpr_pool_imap_unordered(POOL(o), (mpr_pool_func_t)fn, it,
                                               chunksize, &IMAP(r));
    if (rc < 0) {
        mpr__mobj_free(r);
        return rc;
    }
    *made = r;
    return 0;
}

static int p_make(mpr__mobj_t *o, size_t i, const mpr_obj_t *a,
                  const mpr_obj_t *kw, mpr__mobj_t **made)
{
    switch (i) {
    case M_APPLY_ASYNC:
    case M_MAP_ASYNC:
    case M_STARMAP_ASYNC:
        return make_result(o, i, a, kw, made);
    case M_IMAP:
    case M_IMAP_UNORDERED:
        return make_iter(o, i, a, kw, made);
    default:
        return 1;
    }
}

/* create('AsyncResult') or create('Iterator') from a client: CPython's
 * create() asserts one argument, the object itself, which no client can
 * send (callable None). */
static int made_init(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw)
{
    (void)o, (void)a, (void)kw;
    return mpr__error(MPR_EASSERT, "%s", "");
}

/* SyncManager.register('Pool', pool.Pool, PoolProxy) */
const mpr__mtype_t mpr__mtype_pool = {
    .typeid = "Pool",
    .proxytype = "PoolProxy",
    .pyname = "Pool",
    .pyclass = "multiprocessing.pool.Pool",
    .size = sizeof(mpool_t),
    .init = p_init,
    .init_args = MPR__PYDEF(0, "processes initializer initargs "
                               "maxtasksperchild context"),
    .free = p_free,
    .repr = p_repr,
    .methods = methods,
    .make = p_make,
};

/* ---- AsyncResult: ApplyResult, MapResult ------------------------------ */

static void r_free(mpr__mobj_t *o)
{
    mpr_asyncresult_free(RES(o)->r);
    cbs_unref(RES(o)->cbs);
}

static int r_repr(const mpr__mobj_t *o, mpr_obj_t **out)
{
    char buf[96];

    snprintf(buf, sizeof(buf), "<multiprocessing.pool.%s object at %p>",
             o->type->pyname, (const void *)o);
    return mpr__mstr_out(buf, out);
}

/* get(timeout=None), wait(timeout=None): without the server lock (a
 * callback the result runs first may call this server). */
static int r_get(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                 unsigned long c, mpr_obj_t **out)
{
    double t;
    int rc;

    (void)c;
    if ((rc = timeout_arg(ARG(0, "timeout"), &t)) < 0)
        return rc;
    mpr__mobj_unlock();
    rc = mpr_asyncresult_get(RES(o)->r, t, out);
    mpr__mobj_lock();
    return rc;
}

static int r_wait(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                  unsigned long c, mpr_obj_t **out)
{
    double t;
    int rc;

    (void)c, (void)out;
    if ((rc = timeout_arg(ARG(0, "timeout"), &t)) < 0)
        return rc;
    mpr__mobj_unlock();
    rc = mpr_asyncresult_wait(RES(o)->r, t);
    mpr__mobj_lock();
    return rc;
}

static int r_ready(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                   unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw, (void)c;
    RET_BOOL(mpr_asyncresult_ready(RES(o)->r));
}

/* successful(): ValueError "<...ApplyResult object at 0x...> not ready"
 * names the result in the server, as CPython's repr(self) does. */
static int r_successful(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                        unsigned long c, mpr_obj_t **out)
{
    int rc;

    (void)a, (void)kw, (void)c;
    if (!mpr_asyncresult_ready(RES(o)->r))
        return mpr__error(MPR_EVALUE,
                          "<multiprocessing.pool.%s object at %p> "
                          "not ready",
                          o->type->pyname, (void *)o);
    if ((rc = mpr_asyncresult_successful(RES(o)->r)) < 0)
        return rc;
    RET_BOOL(rc);
}

/* public_methods(ApplyResult), in dir()'s order: what AutoProxy exposes */
static const mpr__mmeth_t r_methods[] = {
    {"get", r_get, MPR__PYDEF(0, "timeout")},
    {"ready", r_ready, MPR__PYDEF(0, "")},
    {"successful", r_successful, MPR__PYDEF(0, "")},
    {"wait", r_wait, MPR__PYDEF(0, "timeout")},
    {NULL, NULL, MPR__OWNARGS}};

#define RESULT_TYPE(name)                                                      \
    {                                                                          \
        .typeid = "AsyncResult", .proxytype = "AutoProxy[AsyncResult]",        \
        .pyname = name, .pyclass = "multiprocessing.pool." name,               \
        .size = sizeof(mresult_t), .init = made_init,                          \
        .init_args = MPR__OWNARGS, .free = r_free, .repr = r_repr,             \
        .methods = r_methods,                                                  \
    }

/* SyncManager.register('AsyncResult', create_method=False): the registry
 * holds it so that a client finds its methods; apply_async makes an
 * ApplyResult, map_async and starmap_async a MapResult. */
const mpr__mtype_t mpr__mtype_asyncresult = RESULT_TYPE("ApplyResult");
static const mpr__mtype_t applyresult_type = RESULT_TYPE("ApplyResult");
static const mpr__mtype_t mapresult_type = RESULT_TYPE("MapResult");

/* ---- Iterator: IMapIterator, IMapUnorderedIterator -------------------- */

static void i_free(mpr__mobj_t *o)
{
    mpr_imap_free(IMAP(o));
}

/* __next__(timeout=None) (IMapIterator.next): StopIteration with no
 * arguments at the end; without the server lock. */
static int i_next(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                  unsigned long c, mpr_obj_t **out)
{
    double t;
    int rc;

    (void)c;
    if ((rc = timeout_arg(ARG(0, "timeout"), &t)) < 0)
        return rc;
    mpr__mobj_unlock();
    rc = mpr_imap_next(IMAP(o), t, out);
    mpr__mobj_lock();
    if (rc == 0)
        return mpr__error(MPR_ESTOPITERATION, "%s", "");
    return rc < 0 ? rc : 0;
}

/* IteratorProxy exposes __next__, send, throw and close; a pool's
 * iterator has only __next__ (CPython's server then fails the other three
 * with its AttributeError: not exposed here). */
static const mpr__mmeth_t i_methods[] = {
    {"__next__", i_next, MPR__PYDEF(0, "timeout")}, {NULL, NULL, MPR__OWNARGS}};

#define ITER_TYPE(name)                                                        \
    {                                                                          \
        .typeid = "Iterator", .proxytype = "IteratorProxy", .pyname = name,    \
        .pyclass = "multiprocessing.pool." name, .size = sizeof(miter_t),      \
        .init = made_init, .init_args = MPR__OWNARGS, .free = i_free,          \
        .repr = r_repr, .methods = i_methods,                                  \
    }

static const mpr__mtype_t imap_type = ITER_TYPE("IMapIterator");
static const mpr__mtype_t imap_unordered_type =
    ITER_TYPE("IMapUnorderedIterator");
