/*
 * pool/map-unpicklable: map() and apply_async() over arguments that cannot
 * be pickled raise the pickling error in the caller instead of hanging
 * (the task handler fails the job), and the pool stays usable.  A is a
 * class of the program's own whose reduce raises RuntimeError('cannot
 * pickle'); the Lock and the closed Connection are refused by libmpref's
 * pickler itself, with CPython's messages.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

/* class A: def __reduce__(self): raise RuntimeError('cannot pickle') */
static int a_reduce(void *data, mpr_obj_t **out)
{
    (void)data, (void)out;
    return mpr_target_error(MPR_ERUNTIME, "cannot pickle");
}

static const mpr_class_t A = {.name = "A", .reduce = a_reduce};

static int sqr(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    int64_t x = mpr_obj_int_value(mpr_obj_item(args, 0));

    (void)kwargs;
    *result = mpr_obj_int(x * x);
    return *result ? 0 : mpr_last_error();
}
MPR_TARGET(sqr)

/* [item] * n */
static mpr_obj_t *repeat(mpr_obj_t *item, int n)
{
    mpr_obj_t *l = mpr_obj_list();

    for (int i = 0; l != NULL && i < n; i++)
        if (mpr_obj_list_append(l, item) < 0) {
            mpr_obj_decref(l);
            return NULL;
        }
    return l;
}

/* show(what, lambda: p.map(sqr, items, chunksize)); items is stolen */
static void show_map(mpr_pool_t *p, const char *what, mpr_obj_t *items,
                     int chunksize)
{
    mpr_obj_t *out = NULL;
    int rc =
        items ? mpr_pool_map(p, sqr, items, chunksize, &out) : mpr_last_error();

    case_show(what, rc, out);
    mpr_obj_decref(items);
}

int main(int argc, char **argv)
{
    mpr_pool_options_t o = {.processes = 2};
    mpr_asyncresult_t *ar = NULL;
    mpr_obj_t *a, *args, *lock_h, *conn_h, *out = NULL;
    mpr_conn_t *ca, *cb;
    mpr_lock_t *lock;
    mpr_pool_t *p;
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0)
        return case_fail(rc);
    if ((a = mpr_obj_object(&A, NULL)) == NULL ||
        (args = mpr_obj_tuple(1, a)) == NULL)
        return case_fail(mpr_last_error());
    if ((rc = mpr_pool_new(&p, &o)) < 0 || (rc = mpr_pool_enter(p, &p)) < 0)
        return case_fail(rc);
    show_map(p, "map:", repeat(a, 10), MPR_CHUNKSIZE_NONE);
    show_map(p, "map chunksize=1:", repeat(a, 10), 1);
    show_map(p, "map one of three:",
             mpr_obj_list_of_steal(3, mpr_obj_int(1), mpr_obj_incref(a),
                                   mpr_obj_int(3)),
             1);
    rc = mpr_pool_apply_async(p, sqr, args, NULL, NULL, NULL, NULL, &ar);
    if (rc == 0)
        rc = mpr_asyncresult_get(ar, 30, &out);
    case_show("apply_async get:", rc, out);
    mpr_asyncresult_free(ar);
    if ((rc = mpr_lock_new(&lock)) < 0)
        return case_fail(rc);
    lock_h = mpr_obj_handle(MPR_HANDLE_SEMLOCK, lock);
    show_map(p, "map lock:",
             mpr_obj_list_of_steal(3, mpr_obj_int(1), mpr_obj_incref(lock_h),
                                   mpr_obj_int(3)),
             1);
    if ((rc = mpr_pipe(&ca, &cb, 1)) < 0)
        return case_fail(rc);
    mpr_conn_close(ca);
    conn_h = mpr_obj_handle(MPR_HANDLE_CONN, ca);
    show_map(p, "map closed connection:",
             mpr_obj_list_of_steal(1, mpr_obj_incref(conn_h)),
             MPR_CHUNKSIZE_NONE);
    mpr_conn_close(cb);
    show_map(p, "map after:", case_range_list(0, 5), MPR_CHUNKSIZE_NONE);
    if ((rc = mpr_pool_terminate(p)) < 0 || (rc = mpr_pool_join(p)) < 0)
        return case_fail(rc);
    mpr_pool_free(p);
    mpr_obj_decref(conn_h);
    mpr_obj_decref(lock_h);
    mpr_conn_free(cb);
    mpr_conn_free(ca);
    mpr_lock_free(lock);
    mpr_obj_decref(args);
    mpr_obj_decref(a);
    return 0;
}
