/*
 * pool/map-repeat: Pool() (os.cpu_count() workers) maps f(x) = x*x over
 * [1, 2, 3] five times, then close() and join().
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

static int f(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    int64_t x = mpr_obj_int_value(mpr_obj_item(args, 0));

    (void)kwargs;
    *result = mpr_obj_int(x * x);
    return *result ? 0 : mpr_last_error();
}
MPR_TARGET(f)

int main(int argc, char **argv)
{
    mpr_obj_t *in, *out;
    mpr_pool_t *p;
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0)
        return case_fail(rc);
    if ((in = case_range_list(1, 4)) == NULL)
        return case_fail(mpr_last_error());
    if ((rc = mpr_pool_new(&p, NULL)) < 0)
        return case_fail(rc);
    for (int i = 0; i < 5; i++) {
        if ((rc = mpr_pool_map(p, f, in, MPR_CHUNKSIZE_NONE, &out)) < 0 ||
            (rc = case_print_repr(NULL, out)) < 0)
            return case_fail(rc);
        mpr_obj_decref(out);
    }
    if ((rc = mpr_pool_close(p)) < 0 || (rc = mpr_pool_join(p)) < 0)
        return case_fail(rc);
    mpr_pool_free(p);
    mpr_obj_decref(in);
    return 0;
}
