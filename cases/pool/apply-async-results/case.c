/*
 * pool/apply-async-results: five apply_async calls return at once; the
 * script prints the ApplyResult objects and the times, and ends without
 * waiting: the exit handler terminates the pool while the squares are
 * still sleeping, so nothing they would print appears.
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

int main(int argc, char **argv)
{
    mpr_asyncresult_t *result_apply[5];
    mpr_obj_t *args;
    mpr_pool_t *pool;
    long start_time, end_time;
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0)
        return case_fail(rc);
    start_time = (long)case_now();
    printf("Start Time....%ld\n", start_time);
    if ((rc = mpr_pool_new(&pool, NULL)) < 0)
        return case_fail(rc);
    for (int n = 0; n < 5; n++) {
        if ((args = mpr_obj_tuple_steal(1, mpr_obj_int(n))) == NULL)
            return case_fail(mpr_last_error());
        if ((rc = mpr_pool_apply_async(pool, square, args, NULL, NULL, NULL,
                                       NULL, &result_apply[n])) < 0)
            return case_fail(rc);
        mpr_obj_decref(args);
    }
    if ((rc = print_results(result_apply, 5)) < 0)
        return case_fail(rc);
    end_time = (long)case_now();
    printf("End Time......%ld\n", end_time);
    printf("Execute Time......%ld\n", end_time - start_time);
    return 0;
}
