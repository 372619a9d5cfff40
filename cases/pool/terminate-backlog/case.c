/*
 * pool/terminate-backlog: terminate() of a pool with 10 000 queued
 * time.sleep(0.1) tasks stops the workers without running the backlog;
 * join() then returns promptly, the result never becomes ready and no
 * worker is left.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

/* time.sleep(x): None */
static int sleep_(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    (void)kwargs;
    mpr_sleep(mpr_obj_float_value(mpr_obj_item(args, 0)));
    *result = mpr_obj_none();
    return *result ? 0 : mpr_last_error();
}
MPR_TARGET(sleep_)

static int run(void)
{
    mpr_pool_options_t o = {.processes = 2};
    mpr_asyncresult_t *result = NULL;
    double t0, t1, t2;
    mpr_obj_t *l;
    mpr_pool_t *p;
    char *r;
    int rc;

    if ((l = mpr_obj_list()) == NULL)
        return mpr_last_error();
    for (int i = 0; i < 10000; i++)
        if ((rc = mpr_obj_list_append_steal(l, mpr_obj_float(0.1))) < 0) {
            mpr_obj_decref(l);
            return rc;
        }
    if ((rc = mpr_pool_new(&p, &o)) < 0) {
        mpr_obj_decref(l);
        return rc;
    }
    rc = mpr_pool_map_async(p, sleep_, l, 1, NULL, NULL, NULL, &result);
    mpr_obj_decref(l);
    if (rc < 0)
        goto out;
    t0 = mpr_monotonic();
    mpr_pool_terminate(p);
    t1 = mpr_monotonic();
    if ((rc = mpr_pool_join(p)) < 0)
        goto out;
    t2 = mpr_monotonic();
    printf("join under 2 s: %s\n", t2 - t1 < 2.0 ? "True" : "False");
    printf("terminate and join under 10 s: %s\n",
           t2 - t0 < 10.0 ? "True" : "False");
    printf("ready: %s\n", mpr_asyncresult_ready(result) ? "True" : "False");
    if ((rc = mpr_active_children(NULL)) < 0)
        goto out;
    printf("workers left: %d\n", rc);
    if ((rc = mpr_pool_repr(p, &r, NULL)) < 0)
        goto out;
    printf("%s\n", r);
    mpr_free(r);
    rc = 0;
out:
    mpr_asyncresult_free(result);
    mpr_pool_free(p);
    return rc;
}

int main(int argc, char **argv)
{
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = run()) < 0)
        return case_fail(rc);
    return 0;
}
