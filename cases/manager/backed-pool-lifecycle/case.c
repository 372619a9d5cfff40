/*
 * manager/backed-pool-lifecycle: a SyncManager's Pool proxy (the suite's
 * WithManagerTestPool): a bad size is a RemoteError, get(timeout) raises
 * TimeoutError, terminate() with 10 000 queued tasks, `with` (PoolProxy's
 * __exit__ is terminate(), called here), a task's exception re-raised,
 * no fail-fast on map().  Functions reach the server as registered names
 * (mpr_manager_func).  A C exception is a class and a message: the
 * RuntimeError(123)'s args print as the message in a 1-tuple, and no
 * __cause__ comes back (None, as from CPython's server).
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* float(v) of an int or a float */
static double secs(const mpr_obj_t *v)
{
    double d = 0;

    mpr_obj_as_double(v, &d);
    return d;
}

/* sqr(x, wait=0.0) */
static int sqr(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    int64_t x = mpr_obj_int_value(mpr_obj_item(args, 0));

    (void)kwargs;
    if (mpr_obj_len(args) > 1)
        mpr_sleep(secs(mpr_obj_item(args, 1)));
    *result = mpr_obj_int(x * x);
    return *result ? 0 : mpr_last_error();
}
MPR_TARGET(sqr)

/* time.sleep(x) */
static int sleep_(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    (void)kwargs;
    mpr_sleep(secs(mpr_obj_item(args, 0)));
    *result = mpr_obj_none();
    return 0;
}
MPR_TARGET(sleep_)

/* raise ValueError("x" * 1024**2) after wait seconds */
static int raise_large_valuerror(mpr_obj_t *args, mpr_obj_t *kwargs,
                                 mpr_obj_t **result)
{
    char *x = malloc(1024 * 1024 + 1);
    int rc;

    (void)kwargs, (void)result;
    mpr_sleep(secs(mpr_obj_item(args, 0)));
    if (x == NULL)
        return mpr_target_error(MPR_ENOMEMORY, "%s", "");
    memset(x, 'x', 1024 * 1024);
    x[1024 * 1024] = '\0';
    rc = mpr_target_error(MPR_EVALUE, "%s", x);
    free(x);
    return rc;
}
MPR_TARGET(raise_large_valuerror)

static int raise_123(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    (void)args, (void)kwargs, (void)result;
    return mpr_target_error(MPR_ERUNTIME, "%d", 123);
}
MPR_TARGET(raise_123)

static int raise_foo(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    (void)args, (void)kwargs, (void)result;
    return mpr_target_error(MPR_ERUNTIME, "foo");
}
MPR_TARGET(raise_foo)

/* '%s.%s' % (type(e).__module__, type(e).__name__) */
static const char *error(int rc)
{
    static char buf[128];
    const char *t = mpr_err_pytype(rc);

    snprintf(buf, sizeof(buf), "%s%s", strchr(t, '.') ? "" : "builtins.", t);
    return buf;
}

/* manager.Pool(n) */
static int pool(mpr_manager_t *m, int n, mpr_proxy_t **p)
{
    mpr_obj_t *a = mpr_obj_tuple_steal(1, mpr_obj_int(n));
    int rc = a ? mpr_manager_create(m, "Pool", a, NULL, p) : mpr_last_error();

    mpr_obj_decref(a);
    return rc;
}

/* p.method(func, arg, **{chunksize: c}) (arg stolen; c 0: none) into out
 * or, for the async ones, a proxy into r */
static int callf(mpr_proxy_t *p, const char *method, mpr_pool_func_t fn,
                 mpr_obj_t *arg, int c, mpr_obj_t **out, mpr_proxy_t **r)
{
    mpr_obj_t *a = mpr_obj_tuple_steal(2, mpr_manager_func(fn), arg);
    mpr_obj_t *kw = c ? mpr_obj_dict() : NULL;
    int rc;

    if (a == NULL || (c && kw == NULL))
        rc = mpr_last_error();
    else if (c && (rc = mpr_obj_dict_set_steal(kw, mpr_obj_str("chunksize"),
                                               mpr_obj_int(c))) < 0)
        ;
    else if (r != NULL)
        rc = mpr_proxy_callmethod_proxy(p, method, a, kw, r);
    else
        rc = mpr_proxy_callmethod(p, method, a, kw, out);
    mpr_obj_decref(a);
    mpr_obj_decref(kw);
    return rc;
}

static mpr_obj_t *range_list(int n)
{
    mpr_obj_t *l = mpr_obj_list();

    for (int i = 0; l != NULL && i < n; i++)
        if (mpr_obj_list_append_steal(l, mpr_obj_int(i)) < 0) {
            mpr_obj_decref(l);
            return NULL;
        }
    return l;
}

/* the ValueError lines of a RemoteError's text, as a list's repr */
static void print_value_lines(const char *text)
{
    const char *s = text, *e;
    int first = 1;

    printf("[");
    for (; *s; s = *e ? e + 1 : e) {
        e = strchr(s, '\n');
        if (e == NULL)
            e = s + strlen(s);
        if (strncmp(s, "ValueError", 10) == 0) {
            printf("%s'%.*s'", first ? "" : ", ", (int)(e - s), s);
            first = 0;
        }
    }
    printf("]\n");
}

static int run(mpr_manager_t *m)
{
    mpr_proxy_t *p = NULL, *r = NULL;
    mpr_obj_t *out = NULL, *l;
    char *s = NULL;
    double t0;
    int rc;

    /* test_make_pool */
    for (int n = -1; n <= 0; n++) {
        rc = pool(m, n, &p);
        if (rc != MPR_EREMOTE)
            return rc < 0 ? rc : mpr_target_error(MPR_EASSERT, "Pool(%d)", n);
        printf("Pool(%d): %s ", n, error(rc));
        print_value_lines(mpr_last_error_detail());
    }

    /* test_async_timeout */
    if ((rc = pool(m, 3, &p)) < 0 ||
        (rc = callf(p, "apply_async", sqr,
                    mpr_obj_tuple_steal(2, mpr_obj_int(6), mpr_obj_float(30.1)),
                    0, NULL, &r)) < 0)
        return rc;
    t0 = mpr_monotonic();
    l = mpr_obj_tuple_steal(1, mpr_obj_float(0.1));
    rc = mpr_proxy_callmethod(r, "get", l, NULL, &out);
    mpr_obj_decref(l);
    if (rc == MPR_ETIMEOUT)
        printf("get(timeout=0.1): %s after %.3f s\n", error(rc),
               mpr_monotonic() - t0);
    else if (rc < 0)
        return rc;
    mpr_proxy_free(r);
    if ((rc = mpr_proxy_callmethod(p, "terminate", NULL, NULL, NULL)) < 0 ||
        (rc = mpr_proxy_callmethod(p, "join", NULL, NULL, NULL)) < 0)
        return rc;
    mpr_proxy_free(p);

    /* test_terminate: 10 000 tasks of 300 s queued */
    if ((rc = pool(m, 3, &p)) < 0)
        return rc;
    t0 = mpr_monotonic();
    if ((l = mpr_obj_list()) == NULL)
        return mpr_last_error();
    for (int i = 0; i < 10000; i++)
        if ((rc = mpr_obj_list_append_steal(l, mpr_obj_int(300))) < 0)
            return rc;
    if ((rc = callf(p, "map_async", sleep_, l, 1, NULL, &r)) < 0 ||
        (rc = mpr_proxy_callmethod(p, "terminate", NULL, NULL, NULL)) < 0 ||
        (rc = mpr_proxy_callmethod(p, "join", NULL, NULL, NULL)) < 0)
        return rc;
    printf("terminate() and join() with 10000 queued: %.3f s\n",
           mpr_monotonic() - t0);
    mpr_proxy_free(r);
    mpr_proxy_free(p);

    /* test_context: with manager.Pool(2) as p (__exit__: terminate) */
    if ((rc = pool(m, 2, &p)) < 0 ||
        (rc = callf(p, "map_async", sqr, range_list(10), 0, NULL, &r)) < 0 ||
        (rc = mpr_proxy_callmethod(r, "get", NULL, NULL, &out)) < 0 ||
        (rc = mpr_obj_repr(out, &s, NULL)) < 0)
        return rc;
    printf("map_async in with: %s\n", s);
    mpr_free(s);
    mpr_obj_decref(out);
    mpr_proxy_free(r);
    if ((rc = mpr_proxy_callmethod(p, "terminate", NULL, NULL, NULL)) < 0 ||
        (rc = mpr_proxy_callmethod(p, "join", NULL, NULL, NULL)) < 0)
        return rc;
    rc = callf(p, "map_async", sqr, range_list(10), 0, NULL, &r);
    if (rc == 0)
        mpr_proxy_free(r);
    else if (rc == MPR_EVALUE)
        printf("map_async after with: %s %s\n", error(rc),
               mpr_last_error_detail());
    else
        return rc;
    mpr_proxy_free(p);

    /* test_traceback, test_wrapped_exception */
    for (int i = 0; i < 2; i++) {
        if ((rc = pool(m, 1, &p)) < 0)
            return rc;
        rc = callf(p, "apply", i ? raise_foo : raise_123, mpr_obj_tuple(0), 0,
                   &out, NULL);
        if (rc == MPR_ERUNTIME && i == 0)
            printf("apply: %s (%s,) cause None\n", error(rc),
                   mpr_last_error_detail());
        else if (rc == MPR_ERUNTIME)
            printf("apply: %s %s\n", error(rc), mpr_last_error_detail());
        else if (rc < 0)
            return rc;
        if ((rc = mpr_proxy_callmethod(p, "terminate", NULL, NULL, NULL)) < 0 ||
            (rc = mpr_proxy_callmethod(p, "join", NULL, NULL, NULL)) < 0)
            return rc;
        mpr_proxy_free(p);
    }

    /* test_map_no_failfast: close() and join() wait for the slow task */
    t0 = mpr_monotonic();
    if ((rc = pool(m, 2, &p)) < 0)
        return rc;
    rc = callf(p, "map", raise_large_valuerror,
               mpr_obj_list_of_steal(2, mpr_obj_int(0), mpr_obj_int(1)), 0,
               &out, NULL);
    if (rc == MPR_EVALUE)
        s = strdup(mpr_last_error_detail());
    mpr_sleep(0.5);
    if (mpr_proxy_callmethod(p, "close", NULL, NULL, NULL) < 0 ||
        mpr_proxy_callmethod(p, "join", NULL, NULL, NULL) < 0 ||
        mpr_proxy_callmethod(p, "terminate", NULL, NULL, NULL) < 0) {
        free(s);
        return mpr_last_error();
    }
    mpr_proxy_free(p);
    if (rc == MPR_EVALUE && s != NULL)
        printf("map: %s of %zu characters\n", error(rc), strlen(s));
    else if (rc < 0)
        return rc;
    free(s);
    printf("waited for the slow task: %.3f s\n", mpr_monotonic() - t0);
    return 0;
}

int main(int argc, char **argv)
{
    return case_main_with_manager(argc, argv, run);
}
