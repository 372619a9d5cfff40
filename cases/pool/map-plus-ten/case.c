/*
 * pool/map-plus-ten: Pool(processes=5).map(f, [1, 2, 3, 5, 6, 7, 8, 9,
 * 10]) with f(x) = x + 10.  The pool is left open: it is terminated at
 * exit, as CPython's finalizer does.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

static int f(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    (void)kwargs;
    *result = mpr_obj_int(mpr_obj_int_value(mpr_obj_item(args, 0)) + 10);
    return *result ? 0 : mpr_last_error();
}
MPR_TARGET(f)

int main(int argc, char **argv)
{
    mpr_pool_options_t o = {.processes = 5};
    mpr_obj_t *in, *out;
    mpr_pool_t *p;
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0)
        return case_fail(rc);
    in =
        mpr_obj_list_of_steal(9, mpr_obj_int(1), mpr_obj_int(2), mpr_obj_int(3),
                              mpr_obj_int(5), mpr_obj_int(6), mpr_obj_int(7),
                              mpr_obj_int(8), mpr_obj_int(9), mpr_obj_int(10));
    if (in == NULL)
        return case_fail(mpr_last_error());
    if ((rc = mpr_pool_new(&p, &o)) < 0 ||
        (rc = mpr_pool_map(p, f, in, MPR_CHUNKSIZE_NONE, &out)) < 0 ||
        (rc = case_print_repr(NULL, out)) < 0)
        return case_fail(rc);
    mpr_obj_decref(out);
    mpr_obj_decref(in);
    return 0;
}
