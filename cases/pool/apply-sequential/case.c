/*
 * pool/apply-sequential: [pool.apply(square, (n,)) for n in range(5)]:
 * each apply waits for its result, so the five calls run one after the
 * other; prints the start time, the results, the end time and the
 * difference.  No __main__ guard in the script (fork only).
 * pool/apply-sequential-guarded runs this same program under spawn and
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

int main(int argc, char **argv)
{
    mpr_obj_t *result, *v, *args;
    mpr_pool_t *pool;
    long start_time, end_time;
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0)
        return case_fail(rc);
    start_time = (long)case_now();
    printf("Start Time....%ld\n", start_time);
    if ((rc = mpr_pool_new(&pool, NULL)) < 0)
        return case_fail(rc);
    if ((result = mpr_obj_list()) == NULL)
        return case_fail(mpr_last_error());
    for (int n = 0; n < 5; n++) {
        if ((args = mpr_obj_tuple_steal(1, mpr_obj_int(n))) == NULL)
            return case_fail(mpr_last_error());
        if ((rc = mpr_pool_apply(pool, square, args, NULL, &v)) < 0 ||
            (rc = mpr_obj_list_append_steal(result, v)) < 0)
            return case_fail(rc);
        mpr_obj_decref(args);
    }
    if ((rc = case_print_repr(NULL, result)) < 0)
        return case_fail(rc);
    end_time = (long)case_now();
    printf("End Time......%ld\n", end_time);
    printf("Execute Time......%ld\n", end_time - start_time);
    mpr_obj_decref(result);
    return 0;
}
