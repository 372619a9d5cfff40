/*
 * manager/backed-pool-map: a SyncManager's Pool proxy (the suite's
 * WithManagerTestPool): apply, map, starmap, their async forms through
 * AutoProxy[AsyncResult], callbacks (a manager list's append, run in the
 * server: a registered target given through mpr_manager_action, which
 * gets the exception as (code, message)), imap and imap_unordered through
 * IteratorProxy, empty inputs, an argument whose reduce raises (class A,
 * mpr_obj_object), and no reference kept to map()'s arguments:
 * CountedObject counts its live instances (its free decrements) where the
 * Python uses weakrefs; the weakrefs' set is {None} when none is alive.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static mpr_proxy_t *pool;
static int rc_fail;

static int keep(int rc)
{
    if (rc < 0 && rc_fail == 0)
        rc_fail = rc;
    return rc;
}

/* repr(x) in a ring of buffers; drops x */
static const char *R(mpr_obj_t *x)
{
    static char *ring[8];
    static int k;
    char **out = &ring[k++ % 8];

    free(*out);
    *out = NULL;
    if (x == NULL || keep(mpr_obj_repr(x, out, NULL)) < 0) {
        mpr_obj_decref(x);
        return "<error>";
    }
    mpr_obj_decref(x);
    return *out;
}

/* repr(proxy) */
static const char *RP(mpr_proxy_t *p)
{
    static char buf[4][128];
    static int k;
    char *s = NULL, *out = buf[k++ % 4];

    if (p == NULL || keep(mpr_proxy_repr(p, &s, NULL)) < 0)
        return "<error>";
    snprintf(out, 128, "%s", s);
    mpr_free(s);
    return out;
}

static int sqr(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    mpr_obj_t *x = NULL;
    double wait = 0;

    if (mpr_obj_len(args) > 0)
        x = mpr_obj_item(args, 0);
    else if (kwargs != NULL)
        mpr_obj_dict_get_str(kwargs, "x", &x);
    if (mpr_obj_len(args) > 1)
        mpr_obj_as_double(mpr_obj_item(args, 1), &wait);
    mpr_sleep(wait);
    if (x == NULL)
        return mpr_target_error(MPR_ETYPE, "sqr() missing 1 required "
                                           "positional argument: 'x'");
    *result = mpr_obj_int(mpr_obj_int_value(x) * mpr_obj_int_value(x));
    return *result ? 0 : mpr_last_error();
}
MPR_TARGET(sqr)

static int mul(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    (void)kwargs;
    *result = mpr_obj_int(mpr_obj_int_value(mpr_obj_item(args, 0)) *
                          mpr_obj_int_value(mpr_obj_item(args, 1)));
    return *result ? 0 : mpr_last_error();
}
MPR_TARGET(mul)

static int identity(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    (void)kwargs;
    *result = mpr_obj_incref(mpr_obj_item(args, 0));
    return 0;
}
MPR_TARGET(identity)

/* int(s) of a str of decimal digits */
static int int_(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    const char *s = mpr_obj_str_utf8(mpr_obj_item(args, 0), NULL);
    char *end;
    long long v;

    (void)kwargs;
    v = strtoll(s, &end, 10);
    if (*s == '\0' || *end != '\0')
        return mpr_target_error(
            MPR_EVALUE, "invalid literal for int() with base 10: '%s'", s);
    *result = mpr_obj_int(v);
    return *result ? 0 : mpr_last_error();
}
MPR_TARGET(int_)

/* call_args.append(x) in the server: args (the list reduced, x) */
static int append_cb(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_proxy_t *l;
    mpr_obj_t *t;
    int rc;

    (void)kwargs;
    if ((rc = mpr_proxy_rebuild(&l, mpr_obj_item(args, 0))) < 0)
        return rc;
    t = mpr_obj_tuple_steal(1, mpr_obj_incref(mpr_obj_item(args, 1)));
    rc = mpr_proxy_callmethod(l, "append", t, NULL, NULL);
    mpr_obj_decref(t);
    mpr_proxy_free(l);
    return rc;
}
MPR_TARGET(append_cb)

/* class A: def __reduce__(self): raise RuntimeError('cannot pickle') */
static int a_reduce(void *data, mpr_obj_t **out)
{
    (void)data, (void)out;
    return mpr_target_error(MPR_ERUNTIME, "cannot pickle");
}
static const mpr_class_t A = {.name = "A", .reduce = a_reduce};

/* CountedObject: n_instances counts the live ones */
static int n_instances;
static int counted_reduce(void *data, mpr_obj_t **out)
{
    (void)data;
    *out = mpr_obj_none();
    return 0;
}
static void counted_free(void *data)
{
    (void)data;
    n_instances--;
}
static const mpr_class_t CountedObject = {
    .name = "CountedObject", .reduce = counted_reduce, .free = counted_free};

/* pool.method(fn, arg, *more) with kwds kw (arg, more and kw stolen) */
static mpr_obj_t *args2(mpr_pool_func_t fn, mpr_obj_t *arg)
{
    return mpr_obj_tuple_steal(2, mpr_manager_func(fn), arg);
}

static mpr_obj_t *pcall(mpr_proxy_t *p, const char *m, mpr_obj_t *a,
                        mpr_obj_t *kw)
{
    mpr_obj_t *out = NULL;
    int rc = a ? mpr_proxy_callmethod(p, m, a, kw, &out) : mpr_last_error();

    keep(rc);
    mpr_obj_decref(a);
    mpr_obj_decref(kw);
    return rc < 0 ? NULL : out;
}

static mpr_proxy_t *pcallp(mpr_proxy_t *p, const char *m, mpr_obj_t *a,
                           mpr_obj_t *kw)
{
    mpr_proxy_t *out = NULL;
    int rc =
        a ? mpr_proxy_callmethod_proxy(p, m, a, kw, &out) : mpr_last_error();

    keep(rc);
    mpr_obj_decref(a);
    mpr_obj_decref(kw);
    return rc < 0 ? NULL : out;
}

static mpr_obj_t *kw1(const char *k, mpr_obj_t *v)
{
    mpr_obj_t *d = mpr_obj_dict();

    if (d != NULL && mpr_obj_dict_set_steal(d, mpr_obj_str(k), v) < 0) {
        mpr_obj_decref(d);
        return NULL;
    }
    return d;
}

/* [f(i) for i in range(n)] for f: 0 identity, 1 square */
static mpr_obj_t *seq(int n, int f)
{
    mpr_obj_t *l = mpr_obj_list();

    for (int i = 0; l != NULL && i < n; i++)
        mpr_obj_list_append_steal(l, mpr_obj_int(f ? (int64_t)i * i : i));
    return l;
}

/* list(zip(range(n), range(n - 1, -1, -1))) and the products */
static mpr_obj_t *tuples(int n, mpr_obj_t **products)
{
    mpr_obj_t *l = mpr_obj_list();

    *products = mpr_obj_list();
    for (int i = 0; l != NULL && *products != NULL && i < n; i++) {
        mpr_obj_list_append_steal(
            l, mpr_obj_tuple_steal(2, mpr_obj_int(i), mpr_obj_int(n - 1 - i)));
        mpr_obj_list_append_steal(*products,
                                  mpr_obj_int((int64_t)i * (n - 1 - i)));
    }
    return l;
}

/* same(label, got, expected); drops both */
static void same(const char *label, mpr_obj_t *got, mpr_obj_t *expected)
{
    if (got != NULL && expected != NULL && mpr_obj_eq(got, expected) == 1) {
        printf("%s: as expected\n", label);
        mpr_obj_decref(got);
    } else
        printf("%s: %s\n", label, R(got));
    mpr_obj_decref(expected);
}

/* [next(it) ...] until StopIteration (n < 0) or n items; a new list */
static mpr_obj_t *drain(mpr_proxy_t *it, int n)
{
    mpr_obj_t *l = mpr_obj_list(), *x = NULL;
    int rc;

    for (int i = 0; l != NULL && (n < 0 || i < n); i++) {
        if ((rc = mpr_proxy_callmethod(it, "__next__", NULL, NULL, &x)) ==
            MPR_ESTOPITERATION)
            break;
        if (keep(rc) < 0 || mpr_obj_list_append_steal(l, x) < 0) {
            mpr_obj_decref(l);
            return NULL;
        }
    }
    return l;
}

static void past_end(mpr_proxy_t *it)
{
    mpr_obj_t *x = NULL;
    int rc = mpr_proxy_callmethod(it, "__next__", NULL, NULL, &x);

    if (rc == MPR_ESTOPITERATION)
        printf("next() past the end: StopIteration ()\n");
    else
        keep(rc < 0 ? rc : mpr_target_error(MPR_EASSERT, "not at the end"));
    mpr_obj_decref(x);
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

/* sorted(l) of ints; drops l */
static mpr_obj_t *sorted(mpr_obj_t *l)
{
    size_t n = l ? mpr_obj_len(l) : 0;
    int64_t *v = malloc((n + 1) * sizeof(*v));
    mpr_obj_t *out = l && v ? mpr_obj_list() : NULL;

    for (size_t i = 0; out != NULL && i < n; i++)
        v[i] = mpr_obj_int_value(mpr_obj_item(l, i));
    if (out != NULL)
        qsort(v, n, sizeof(*v), cmp64);
    for (size_t i = 0; out != NULL && i < n; i++)
        mpr_obj_list_append_steal(out, mpr_obj_int(v[i]));
    free(v);
    mpr_obj_decref(l);
    return out;
}

static void callbacks(mpr_manager_t *m)
{
    mpr_obj_t *red = NULL, *kw, *x;
    mpr_proxy_t *call_args = NULL, *r;
    const char *words[2] = {"1", "a"};

    if (keep(mpr_manager_list(m, NULL, &call_args)) < 0 ||
        keep(mpr_proxy_reduce(call_args, &red)) < 0)
        return;
    for (int i = 0; i < 2; i++) {
        mpr_obj_t *l = mpr_obj_list_of_steal(1, mpr_obj_str(words[i]));
        mpr_obj_t *bound = mpr_obj_tuple_steal(1, mpr_obj_incref(red));

        kw = kw1("callback", mpr_manager_action(append_cb, bound));
        if (kw != NULL)
            mpr_obj_dict_set_steal(kw, mpr_obj_str("error_callback"),
                                   mpr_manager_action(append_cb, bound));
        mpr_obj_decref(bound);
        r = pcallp(pool, "map_async", args2(int_, l), kw);
        if (r != NULL)
            mpr_obj_decref(pcall(r, "wait", mpr_obj_tuple(0), NULL));
        mpr_proxy_free(r);
        x = pcall(call_args, "__getitem__",
                  mpr_obj_tuple_steal(1, mpr_obj_int(i)), NULL);
        if (i == 0)
            printf("callback: %d %s\n", mpr_proxy_len(call_args), R(x));
        else if (x != NULL && mpr_obj_len(x) == 2)
            printf("error_callback: %d %s %s\n", mpr_proxy_len(call_args),
                   mpr_err_pytype((int)mpr_obj_int_value(mpr_obj_item(x, 0))),
                   mpr_obj_str_utf8(mpr_obj_item(x, 1), NULL));
        if (i == 0)
            x = NULL; /* R dropped it */
        mpr_obj_decref(x);
        x = NULL;
    }
    mpr_obj_decref(x);
    mpr_obj_decref(red);
    mpr_proxy_free(call_args);
}

/* manager.Pool(n) */
static int make_pool(mpr_manager_t *m, int n, mpr_proxy_t **p)
{
    mpr_obj_t *a = mpr_obj_tuple_steal(1, mpr_obj_int(n));
    int rc = a ? mpr_manager_create(m, "Pool", a, NULL, p) : mpr_last_error();

    mpr_obj_decref(a);
    return rc;
}

static int run(mpr_manager_t *m)
{
    mpr_obj_t *prod = NULL, *t, *objs, *a;
    mpr_proxy_t *r, *it, *p1 = NULL;
    int rc;

    if ((rc = make_pool(m, 4, &pool)) < 0)
        return rc;
    printf("pool: %s\n", RP(pool));

    /* test_apply */
    printf("apply: %s",
           R(pcall(pool, "apply",
                   args2(sqr, mpr_obj_tuple_steal(1, mpr_obj_int(5))), NULL)));
    printf(" %s\n", R(pcall(pool, "apply",
                            mpr_obj_tuple_steal(3, mpr_manager_func(sqr),
                                                mpr_obj_tuple(0),
                                                kw1("x", mpr_obj_int(3))),
                            NULL)));

    /* test_map */
    printf("map: %s\n", R(pcall(pool, "map", args2(sqr, seq(10, 0)), NULL)));
    same("map 100, chunksize=20",
         pcall(pool, "map", args2(sqr, seq(100, 0)),
               kw1("chunksize", mpr_obj_int(20))),
         seq(100, 1));

    /* test_starmap, test_starmap_async */
    t = tuples(10, &prod);
    mpr_obj_decref(prod);
    printf("starmap: %s\n", R(pcall(pool, "starmap", args2(mul, t), NULL)));
    t = tuples(100, &prod);
    same("starmap 100, chunksize=20",
         pcall(pool, "starmap", args2(mul, mpr_obj_incref(t)),
               kw1("chunksize", mpr_obj_int(20))),
         mpr_obj_incref(prod));
    r = pcallp(pool, "starmap_async", args2(mul, t), NULL);
    printf("starmap_async: %s\n", RP(r));
    same("starmap_async 100 get()",
         r ? pcall(r, "get", mpr_obj_tuple(0), NULL) : NULL, prod);
    mpr_proxy_free(r);

    /* test_map_async */
    r = pcallp(pool, "map_async", args2(sqr, seq(10, 0)), NULL);
    printf("map_async get(): %s\n",
           R(r ? pcall(r, "get", mpr_obj_tuple(0), NULL) : NULL));
    mpr_proxy_free(r);

    /* test_map_async_callbacks */
    callbacks(m);

    /* test_map_unplicklable: pickling fails here, before anything is sent */
    a = mpr_obj_object(&A, NULL);
    objs = mpr_obj_list();
    for (int i = 0; a != NULL && objs != NULL && i < 10; i++)
        mpr_obj_list_append(objs, a);
    mpr_obj_decref(a);
    t = args2(sqr, objs);
    rc =
        t ? mpr_proxy_callmethod(pool, "map", t, NULL, NULL) : mpr_last_error();
    mpr_obj_decref(t);
    if (rc < 0 && rc != MPR_ERUNTIME)
        keep(rc);
    else if (rc < 0)
        printf("map of unpicklable: RuntimeError %s\n",
               mpr_last_error_detail());
    printf("apply after it: %s\n",
           R(pcall(pool, "apply",
                   args2(sqr, mpr_obj_tuple_steal(1, mpr_obj_int(6))), NULL)));

    /* test_map_chunksize */
    r = pcallp(pool, "map_async", args2(sqr, mpr_obj_list()),
               kw1("chunksize", mpr_obj_int(1)));
    printf(
        "map_async([], chunksize=1): %s\n",
        R(r ? pcall(r, "get", mpr_obj_tuple_steal(1, mpr_obj_float(0.1)), NULL)
            : NULL));
    mpr_proxy_free(r);

    /* test_async */
    r = pcallp(
        pool, "apply_async",
        args2(sqr, mpr_obj_tuple_steal(2, mpr_obj_int(7), mpr_obj_float(0.1))),
        NULL);
    printf("apply_async: %s\n", RP(r));
    printf("get(): %s\n",
           R(r ? pcall(r, "get", mpr_obj_tuple(0), NULL) : NULL));
    mpr_proxy_free(r);

    /* test_imap */
    it = pcallp(pool, "imap", args2(sqr, seq(10, 0)), NULL);
    printf("imap: %s\n", RP(it));
    printf("list(imap): %s\n", R(it ? drain(it, -1) : NULL));
    mpr_proxy_free(it);
    it = pcallp(pool, "imap", args2(sqr, seq(10, 0)), NULL);
    printf("next() x10: %s\n", R(it ? drain(it, 10) : NULL));
    if (it != NULL)
        past_end(it);
    mpr_proxy_free(it);
    it = pcallp(pool, "imap", args2(sqr, seq(1000, 0)),
                kw1("chunksize", mpr_obj_int(100)));
    same("imap 1000, chunksize=100", it ? drain(it, 1000) : NULL, seq(1000, 1));
    if (it != NULL)
        past_end(it);
    mpr_proxy_free(it);

    /* test_imap_unordered */
    it = pcallp(pool, "imap_unordered", args2(sqr, seq(10, 0)), NULL);
    printf("sorted(imap_unordered): %s\n",
           R(it ? sorted(drain(it, -1)) : NULL));
    mpr_proxy_free(it);
    it = pcallp(pool, "imap_unordered", args2(sqr, seq(1000, 0)),
                kw1("chunksize", mpr_obj_int(100)));
    same("imap_unordered 1000, chunksize=100",
         it ? sorted(drain(it, -1)) : NULL, seq(1000, 1));
    mpr_proxy_free(it);

    /* test_empty_iterable */
    if (keep(make_pool(m, 1, &p1)) == 0) {
        printf("empty: %s",
               R(pcall(p1, "map", args2(sqr, mpr_obj_list()), NULL)));
        it = pcallp(p1, "imap", args2(sqr, mpr_obj_list()), NULL);
        printf(" %s", R(it ? drain(it, -1) : NULL));
        mpr_proxy_free(it);
        it = pcallp(p1, "imap_unordered", args2(sqr, mpr_obj_list()), NULL);
        printf(" %s", R(it ? drain(it, -1) : NULL));
        mpr_proxy_free(it);
        r = pcallp(p1, "map_async", args2(sqr, mpr_obj_list()), NULL);
        printf(" %s\n", R(r ? pcall(r, "get", mpr_obj_tuple(0), NULL) : NULL));
        mpr_proxy_free(r);
        mpr_obj_decref(pcall(p1, "close", mpr_obj_tuple(0), NULL));
        mpr_obj_decref(pcall(p1, "join", mpr_obj_tuple(0), NULL));
        mpr_proxy_free(p1);
    }

    /* test_release_task_refs */
    objs = mpr_obj_list();
    for (int i = 0; objs != NULL && i < 10; i++)
        if (mpr_obj_list_append_steal(
                objs, mpr_obj_object(&CountedObject, NULL)) == 0)
            n_instances++;
    mpr_obj_decref(pcall(pool, "map", args2(identity, objs), NULL));
    mpr_sleep(0.1);
    printf("after map(identity): %s %d\n",
           n_instances ? "{<alive>, None}" : "{None}", n_instances);

    mpr_obj_decref(pcall(pool, "terminate", mpr_obj_tuple(0), NULL));
    mpr_obj_decref(pcall(pool, "join", mpr_obj_tuple(0), NULL));
    mpr_proxy_free(pool);
    return rc_fail;
}

int main(int argc, char **argv)
{
    return case_main_with_manager(argc, argv, run);
}
