/*
 * pool/close-join-rules: join() before close() is ValueError "Pool is
 * still running"; map() and apply_async() after close() are ValueError
 * "Pool not running"; after join() no worker is left.
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

/* except ValueError as e: print(what, type(e).__name__, e) */
static int expect_value_error(const char *what, int rc)
{
    if (rc != MPR_EVALUE)
        return rc < 0 ? rc : MPR_EASSERT; /* no exception: the case fails */
    printf("%s %s %s\n", what, mpr_err_pytype(rc), mpr_last_error_detail());
    return 0;
}

int main(int argc, char **argv)
{
    mpr_pool_options_t o = {.processes = 2};
    mpr_obj_t *in, *four, *five, *out;
    mpr_asyncresult_t *r = NULL;
    mpr_pool_t *p;
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0)
        return case_fail(rc);
    in = case_range_list(1, 4);
    four = mpr_obj_list_of_steal(1, mpr_obj_int(4));
    five = mpr_obj_tuple_steal(1, mpr_obj_int(5));
    if (in == NULL || four == NULL || five == NULL)
        return case_fail(mpr_last_error());
    if ((rc = mpr_pool_new(&p, &o)) < 0 ||
        (rc = expect_value_error("join() before close():", mpr_pool_join(p))) <
            0 ||
        (rc = mpr_pool_map(p, f, in, MPR_CHUNKSIZE_NONE, &out)) < 0 ||
        (rc = case_print_repr(NULL, out)) < 0 || (rc = mpr_pool_close(p)) < 0 ||
        (rc = expect_value_error(
             "map() after close():",
             mpr_pool_map(p, f, four, MPR_CHUNKSIZE_NONE, &out))) < 0 ||
        (rc = expect_value_error("apply_async() after close():",
                                 mpr_pool_apply_async(p, f, five, NULL, NULL,
                                                      NULL, NULL, &r))) < 0 ||
        (rc = mpr_pool_join(p)) < 0 || (rc = mpr_active_children(NULL)) < 0)
        return case_fail(rc);
    printf("worker processes after join(): %d\n", rc);
    mpr_pool_free(p);
    mpr_obj_decref(out); /* the first map's result (the second raised) */
    mpr_obj_decref(in);
    mpr_obj_decref(four);
    mpr_obj_decref(five);
    return 0;
}
