/*
 * pool/map-squares: Pool(processes=4).map(function_square, range(100)),
 * close, join, print the list.  The workers find function_square by its
 * registered name under spawn and forkserver.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

static int function_square(mpr_obj_t *args, mpr_obj_t *kwargs,
                           mpr_obj_t **result)
{
    int64_t data = mpr_obj_int_value(mpr_obj_item(args, 0));

    (void)kwargs;
    *result = mpr_obj_int(data * data);
    return *result ? 0 : mpr_last_error();
}
MPR_TARGET(function_square)

int main(int argc, char **argv)
{
    mpr_pool_options_t o = {.processes = 4};
    mpr_obj_t *inputs, *outputs;
    mpr_pool_t *pool;
    char *r;
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0)
        return case_fail(rc);
    if ((inputs = mpr_obj_list()) == NULL)
        return case_fail(mpr_last_error());
    for (int i = 0; i < 100; i++) /* list(range(0,100)) */
        if ((rc = mpr_obj_list_append_steal(inputs, mpr_obj_int(i))) < 0)
            return case_fail(rc);
    if ((rc = mpr_pool_new(&pool, &o)) < 0 ||
        (rc = mpr_pool_map(pool, function_square, inputs, MPR_CHUNKSIZE_NONE,
                           &outputs)) < 0 ||
        (rc = mpr_pool_close(pool)) < 0 || (rc = mpr_pool_join(pool)) < 0 ||
        (rc = mpr_obj_repr(outputs, &r, NULL)) < 0)
        return case_fail(rc);
    printf("Pool    : %s\n", r);
    mpr_free(r);
    mpr_obj_decref(outputs);
    mpr_obj_decref(inputs);
    mpr_pool_free(pool);
    return 0;
}
