/*
 * pool/lifetime-early-close: close() a Pool(3, maxtasksperchild=1) while
 * its six 0.3 s tasks have not all run; join() returns, every result is
 * right, and six different workers ran them.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <unistd.h>

/* sqr(x, wait): sleeps, returns (x * x, os.getpid()) */
static int sqr(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    int64_t x = mpr_obj_int_value(mpr_obj_item(args, 0));

    (void)kwargs;
    mpr_sleep(mpr_obj_float_value(mpr_obj_item(args, 1)));
    *result = mpr_obj_tuple_steal(2, mpr_obj_int(x * x),
                                  mpr_obj_int((int64_t)getpid()));
    return *result ? 0 : mpr_last_error();
}
MPR_TARGET(sqr)

static int run(void)
{
    mpr_pool_options_t o = {.processes = 3, .maxtasksperchild = 1};
    mpr_asyncresult_t *results[6] = {NULL};
    int64_t pids[6];
    int distinct = 0, rc;
    mpr_pool_t *p;
    double t;

    if ((rc = mpr_pool_new(&p, &o)) < 0)
        return rc;
    for (int i = 0; i < 6; i++) {
        mpr_obj_t *args =
            mpr_obj_tuple_steal(2, mpr_obj_int(i), mpr_obj_float(0.3));

        if (args == NULL) {
            rc = mpr_last_error();
            goto out;
        }
        rc = mpr_pool_apply_async(p, sqr, args, NULL, NULL, NULL, NULL,
                                  &results[i]);
        mpr_obj_decref(args);
        if (rc < 0)
            goto out;
    }
    mpr_pool_close(p);
    t = mpr_monotonic();
    if ((rc = mpr_pool_join(p)) < 0)
        goto out;
    printf("join returned: %s\n", mpr_monotonic() - t < 30 ? "True" : "False");
    printf("results: [");
    for (int i = 0; i < 6; i++) {
        mpr_obj_t *v = NULL;

        /* ready after join(): get(timeout=0) does not wait */
        if ((rc = mpr_asyncresult_get(results[i], 0, &v)) < 0)
            goto out;
        printf("%s%lld", i ? ", " : "",
               (long long)mpr_obj_int_value(mpr_obj_item(v, 0)));
        pids[i] = mpr_obj_int_value(mpr_obj_item(v, 1));
        mpr_obj_decref(v);
    }
    printf("]\n");
    for (int i = 0; i < 6; i++) {
        int seen = 0;

        for (int j = 0; j < i; j++)
            seen |= pids[j] == pids[i];
        distinct += !seen;
    }
    printf("distinct workers: %d\n", distinct);
    if ((rc = mpr_active_children(NULL)) < 0)
        goto out;
    printf("workers left: %d\n", rc);
    rc = 0;
out:
    for (int i = 0; i < 6; i++)
        mpr_asyncresult_free(results[i]);
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
