/*
 * manager/pool-child: a SyncManager's Pool (PoolProxy) used by a daemonic
 * child: the child's `with obj: pass` calls terminate() through the proxy
 * (PoolProxy.__exit__), so the pool in the server is terminated and the
 * parent's apply() gets the server's ValueError.  The proxy goes in the
 * child's args as a value, as in the Python.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

/* abs(x) as a pool function */
static int abs_(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    int64_t v = mpr_obj_int_value(mpr_obj_item(args, 0));

    (void)kwargs;
    *result = mpr_obj_int(v < 0 ? -v : v);
    return *result ? 0 : mpr_last_error();
}
MPR_TARGET(abs_)

/* child_pool(obj): with obj: pass (PoolProxy's __enter__ returns the
 * proxy; __exit__ calls terminate()) */
static int child_pool(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_proxy_t *obj;
    int rc;

    (void)kwargs;
    if ((rc = case_proxy_of(mpr_obj_item(args, 0), &obj)) < 0 ||
        (rc = mpr_proxy_callmethod(obj, "terminate", NULL, NULL, NULL)) < 0)
        return rc;
    printf("  child: with pool: done\n");
    return 0;
}
MPR_TARGET(child_pool)

/* run_worker(child_pool, o): a daemonic child, joined */
static int run_worker(mpr_proxy_t *o)
{
    mpr_process_options_t po = {.target = child_pool, .daemon = MPR_TRUE};
    mpr_process_t *p = NULL;
    int rc, code = -1;

    po.args = mpr_obj_tuple_steal(1, mpr_obj_handle(MPR_HANDLE_PROXY, o));
    if (po.args == NULL)
        return mpr_last_error();
    if ((rc = mpr_process_new(&p, &po)) == 0 &&
        (rc = mpr_process_start(p)) == 0 &&
        (rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) == 0) {
        mpr_process_exitcode(p, &code);
        printf("  child exitcode: %d\n", code);
    }
    mpr_obj_decref((mpr_obj_t *)po.args);
    mpr_process_free(p);
    return rc;
}

static int test_pool(mpr_manager_t *m)
{
    mpr_obj_t *kw = mpr_obj_dict(), *args = NULL, *out = NULL;
    mpr_proxy_t *o = NULL;
    int rc = kw != NULL ? 0 : mpr_last_error();

    if (rc < 0 ||
        (rc = mpr_obj_dict_set_steal(kw, mpr_obj_str("processes"),
                                     mpr_obj_int(4))) < 0 ||
        (rc = mpr_manager_create(m, "Pool", NULL, kw, &o)) < 0 ||
        (rc = run_worker(o)) < 0)
        goto out;
    fflush(stdout);
    /* the child's with terminated the pool in the server */
    args = mpr_obj_tuple_steal(2, mpr_manager_func(abs_),
                               mpr_obj_tuple_steal(1, mpr_obj_int(-1)));
    if (args == NULL) {
        rc = mpr_last_error();
        goto out;
    }
    rc = mpr_proxy_callmethod(o, "apply", args, NULL, &out);
    if (rc == 0)
        printf("apply() after the child left with: %lld\n",
               (long long)mpr_obj_int_value(out));
    else if (rc == MPR_EVALUE) {
        printf("apply() after the child left with: ValueError %s\n",
               mpr_last_error_detail());
        rc = 0;
    }
out:
    mpr_obj_decref(out);
    mpr_obj_decref(args);
    mpr_obj_decref(kw);
    mpr_proxy_free(o);
    return rc;
}

int main(int argc, char **argv)
{
    mpr_manager_t *m = NULL;
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0)
        return case_fail(rc);
    if ((rc = mpr_manager_new(&m, NULL)) == 0 &&
        (rc = mpr_manager_start(m)) == 0) {
        printf("Pool\n");
        rc = test_pool(m);
        if (rc == 0)
            rc = mpr_manager_shutdown(m);
    }
    mpr_manager_free(m);
    return rc < 0 ? case_fail(rc) : 0;
}
