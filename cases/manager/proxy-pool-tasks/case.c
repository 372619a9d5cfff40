/*
 * manager/proxy-pool-tasks: dict and list proxies go to Pool tasks as
 * arguments (reduced values, rebuilt by the worker for each task, under
 * every start method: they travel through the task queue, never by
 * inheritance); the tasks' writes reach the manager; a KeyError a worker's
 * lookup raises through its proxy comes back from apply(), get() and map()
 * with its class and message.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

/* The proxy a task's argument item i names (rebuilt), or NULL with rc. */
static mpr_proxy_t *arg_proxy(mpr_obj_t *args, size_t i, int *rc)
{
    mpr_proxy_t *p = NULL;

    *rc = mpr_proxy_rebuild(&p, mpr_obj_item(mpr_obj_item(args, 0), i));
    return *rc < 0 ? NULL : p;
}

#define ITEM(args, i) mpr_obj_item(mpr_obj_item(args, 0), i)

/* work((d, l, i)): l.append(i); d[i] = i * i; (d.get(i), i in d) */
static int work(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    mpr_obj_t *i = ITEM(args, 2), *sq, *t, *got = NULL;
    mpr_proxy_t *d, *l = NULL;
    int rc, in;

    (void)kwargs;
    if ((d = arg_proxy(args, 0, &rc)) == NULL ||
        (l = arg_proxy(args, 1, &rc)) == NULL)
        goto out;
    t = mpr_obj_tuple(1, i);
    rc =
        t ? mpr_proxy_callmethod(l, "append", t, NULL, NULL) : mpr_last_error();
    if (rc == 0) {
        sq = mpr_obj_int(mpr_obj_int_value(i) * mpr_obj_int_value(i));
        rc = sq ? mpr_proxy_setitem(d, i, sq) : mpr_last_error();
        mpr_obj_decref(sq);
    }
    if (rc == 0)
        rc = mpr_proxy_callmethod(d, "get", t, NULL, &got);
    mpr_obj_decref(t);
    if (rc == 0 && (in = mpr_proxy_contains(d, i)) < 0)
        rc = in;
    if (rc == 0 &&
        (*result = mpr_obj_tuple_steal(2, got, mpr_obj_bool(in))) == NULL)
        rc = mpr_last_error();
    else if (rc < 0)
        mpr_obj_decref(got);
out:
    mpr_proxy_free(l);
    mpr_proxy_free(d);
    return rc;
}
MPR_TARGET(work)

/* lookup((d, k)): d[k] */
static int lookup(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    mpr_proxy_t *d;
    int rc;

    (void)kwargs;
    if ((d = arg_proxy(args, 0, &rc)) == NULL)
        return rc;
    rc = mpr_proxy_getitem(d, ITEM(args, 1), result);
    mpr_proxy_free(d);
    return rc;
}
MPR_TARGET(lookup)

/* make((d, k)): d.get(k, 'default') */
static int make(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    mpr_obj_t *t;
    mpr_proxy_t *d;
    int rc;

    (void)kwargs;
    if ((d = arg_proxy(args, 0, &rc)) == NULL)
        return rc;
    t = mpr_obj_tuple_steal(2, mpr_obj_incref(ITEM(args, 1)),
                            mpr_obj_str("default"));
    rc = t ? mpr_proxy_callmethod(d, "get", t, NULL, result) : mpr_last_error();
    mpr_obj_decref(t);
    mpr_proxy_free(d);
    return rc;
}
MPR_TARGET(make)

static int run(mpr_manager_t *m)
{
    mpr_pool_options_t po = {.processes = 2};
    mpr_obj_t *rd = NULL, *rl = NULL, *tasks, *out = NULL, *x = NULL, *a;
    mpr_proxy_t *d = NULL, *l = NULL;
    mpr_asyncresult_t *ar = NULL;
    mpr_pool_t *p = NULL;
    int rc, n;

    if ((rc = mpr_manager_dict(m, NULL, &d)) < 0 ||
        (rc = mpr_manager_list(m, NULL, &l)) < 0 ||
        (rc = mpr_proxy_reduce(d, &rd)) < 0 ||
        (rc = mpr_proxy_reduce(l, &rl)) < 0 || (rc = mpr_pool_new(&p, &po)) < 0)
        return rc;
    tasks = mpr_obj_list();
    for (int i = 0; tasks != NULL && i < 8; i++)
        mpr_obj_list_append_steal(
            tasks, mpr_obj_tuple_steal(3, mpr_obj_incref(rd),
                                       mpr_obj_incref(rl), mpr_obj_int(i)));
    rc = mpr_pool_map(p, work, tasks, 1, &out);
    case_show("map work:", rc, out);
    mpr_obj_decref(tasks);
    /* l: (sorted(l), len(l)) -- l[:] through the items */
    if ((n = mpr_proxy_len(l)) < 0)
        return n;
    x = mpr_obj_list();
    for (int i = 0; x != NULL && i < n; i++) {
        mpr_obj_t *k = mpr_obj_int(i), *v = NULL;
        if ((rc = mpr_proxy_getitem(l, k, &v)) < 0)
            return rc;
        mpr_obj_decref(k);
        mpr_obj_list_append_steal(x, v);
    }
    case_show("l:", 0, mpr_obj_tuple_steal(2, case_sorted(x), mpr_obj_int(n)));
    mpr_obj_decref(x);
    if ((rc = mpr_proxy_callmethod(d, "items", NULL, NULL, &x)) < 0)
        return rc;
    case_show("d:", 0, case_sorted(x));
    mpr_obj_decref(x);
    a = mpr_obj_tuple_steal(
        1, mpr_obj_tuple_steal(2, mpr_obj_incref(rd), mpr_obj_int(3)));
    rc = mpr_pool_apply(p, lookup, a, NULL, &out);
    case_show("lookup 3:", rc, out);
    mpr_obj_decref(a);
    a = mpr_obj_tuple_steal(
        1, mpr_obj_tuple_steal(2, mpr_obj_incref(rd), mpr_obj_str("zz")));
    rc = mpr_pool_apply(p, lookup, a, NULL, &out);
    case_show("lookup zz:", rc, out);
    mpr_obj_decref(a);
    a = mpr_obj_tuple_steal(
        1, mpr_obj_tuple_steal(
               2, mpr_obj_incref(rd),
               mpr_obj_tuple_steal(2, mpr_obj_int(1), mpr_obj_int(2))));
    if ((rc = mpr_pool_apply_async(p, lookup, a, NULL, NULL, NULL, NULL,
                                   &ar)) == 0)
        rc = mpr_asyncresult_get(ar, 30, &out);
    case_show("lookup (1, 2) async:", rc, out);
    mpr_asyncresult_free(ar);
    mpr_obj_decref(a);
    tasks = mpr_obj_list_of_steal(
        4, mpr_obj_tuple_steal(2, mpr_obj_incref(rd), mpr_obj_int(0)),
        mpr_obj_tuple_steal(2, mpr_obj_incref(rd), mpr_obj_int(1)),
        mpr_obj_tuple_steal(2, mpr_obj_incref(rd), mpr_obj_str("gone")),
        mpr_obj_tuple_steal(2, mpr_obj_incref(rd), mpr_obj_int(2)));
    rc = mpr_pool_map(p, lookup, tasks, MPR_CHUNKSIZE_NONE, &out);
    case_show("map lookup:", rc, out);
    mpr_obj_decref(tasks);
    tasks = mpr_obj_list_of_steal(
        2, mpr_obj_tuple_steal(2, mpr_obj_incref(rd), mpr_obj_int(7)),
        mpr_obj_tuple_steal(2, mpr_obj_incref(rd), mpr_obj_int(70)));
    rc = mpr_pool_map(p, make, tasks, MPR_CHUNKSIZE_NONE, &out);
    case_show("make:", rc, out);
    mpr_obj_decref(tasks);
    if ((rc = mpr_proxy_callmethod(d, "clear", NULL, NULL, NULL)) < 0)
        return rc;
    tasks = mpr_obj_list_of_steal(
        1, mpr_obj_tuple_steal(2, mpr_obj_incref(rd), mpr_obj_int(7)));
    rc = mpr_pool_map(p, make, tasks, MPR_CHUNKSIZE_NONE, &out);
    case_show("after clear:", rc, out);
    mpr_obj_decref(tasks);
    mpr_pool_terminate(p); /* with Pool(2) as p: __exit__ terminates */
    mpr_pool_free(p);
    {
        char *s;
        if ((n = mpr_proxy_len(l)) < 0 || (rc = mpr_proxy_str(d, &s, NULL)) < 0)
            return n < 0 ? n : rc;
        printf("d: %s l: %d\n", s, n);
        mpr_free(s);
    }
    mpr_obj_decref(rd);
    mpr_obj_decref(rl);
    mpr_proxy_free(d);
    mpr_proxy_free(l);
    return 0;
}

int main(int argc, char **argv)
{
    return case_main_with_manager(argc, argv, run);
}
