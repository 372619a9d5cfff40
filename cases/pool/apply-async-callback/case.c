/*
 * pool/apply-async-callback: five apply_async calls with a callback that
 * prints each result (in the parent's result-handler thread); the script
 * prints the ApplyResult objects, then close() and join().  No __main__
 * guard in the script (fork only).
 * pool/apply-async-callback-guarded runs this same program under spawn and
 * forkserver (cases/meson.build, case_source_of).
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* square(n): sleeps random.randint(3, 5) seconds, prints, returns n**2. */
static int square(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    int64_t n = mpr_obj_int_value(mpr_obj_item(args, 0));
    int rand_int;

    (void)kwargs;
    rand_int = case_randint(3, 5);
    mpr_sleep(rand_int);
    printf("Sleep %d Seconds......\n", rand_int);
    printf("%d squared is %d\n", (int)n, (int)(n * n));
    *result = mpr_obj_int(n * n);
    return *result ? 0 : mpr_last_error();
}
MPR_TARGET(square)

/* print(result_apply): a list of ApplyResult reprs. */
static int print_results(mpr_asyncresult_t **rs, size_t n)
{
    printf("[");
    for (size_t i = 0; i < n; i++) {
        char *r;
        int rc = mpr_asyncresult_repr(rs[i], &r, NULL);
        if (rc < 0)
            return rc;
        printf("%s%s", i ? ", " : "", r);
        mpr_free(r);
    }
    printf("]\n");
    return 0;
}

static void callback(mpr_obj_t *result, void *arg)
{
    (void)arg;
    printf("callback %d\n", (int)mpr_obj_int_value(result));
}

int main(int argc, char **argv)
{
    mpr_asyncresult_t *result_apply[5];
    mpr_obj_t *args;
    mpr_pool_t *pool;
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0)
        return case_fail(rc);
    if ((rc = mpr_pool_new(&pool, NULL)) < 0)
        return case_fail(rc);
    for (int n = 0; n < 5; n++) {
        if ((args = mpr_obj_tuple_steal(1, mpr_obj_int(n))) == NULL)
            return case_fail(mpr_last_error());
        if ((rc = mpr_pool_apply_async(pool, square, args, NULL, callback, NULL,
                                       NULL, &result_apply[n])) < 0)
            return case_fail(rc);
        mpr_obj_decref(args);
    }
    if ((rc = print_results(result_apply, 5)) < 0 ||
        (rc = mpr_pool_close(pool)) < 0 || (rc = mpr_pool_join(pool)) < 0)
        return case_fail(rc);
    for (int n = 0; n < 5; n++)
        mpr_asyncresult_free(result_apply[n]);
    mpr_pool_free(pool);
    return 0;
}
