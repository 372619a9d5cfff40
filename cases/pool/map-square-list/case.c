/*
 * pool/map-square-list: Pool().map(square, [2, 4, 6, 8, 10]) where square
 * sleeps 3 to 5 seconds; prints the start time, the results, the end time
 * and the whole-second difference.  The pool is left to the exit handler,
 * which terminates the workers (what they printed is still in their
 * buffers, as in CPython).
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
    mpr_obj_t *num_list, *result;
    mpr_pool_t *pool;
    long start_time, end_time;
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0)
        return case_fail(rc);
    start_time = (long)case_now();
    printf("Start Time....%ld\n", start_time);
    num_list =
        mpr_obj_list_of_steal(5, mpr_obj_int(2), mpr_obj_int(4), mpr_obj_int(6),
                              mpr_obj_int(8), mpr_obj_int(10));
    if (num_list == NULL)
        return case_fail(mpr_last_error());
    if ((rc = mpr_pool_new(&pool, NULL)) < 0 ||
        (rc = mpr_pool_map(pool, square, num_list, MPR_CHUNKSIZE_NONE,
                           &result)) < 0 ||
        (rc = case_print_repr(NULL, result)) < 0)
        return case_fail(rc);
    end_time = (long)case_now();
    printf("End Time......%ld\n", end_time);
    printf("Execute Time......%ld\n", end_time - start_time);
    mpr_obj_decref(result);
    mpr_obj_decref(num_list);
    return 0;
}
