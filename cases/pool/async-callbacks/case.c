/*
 * pool/async-callbacks: with Pool(processes=4) as pool: apply, apply_async,
 * map, map_async with a callback, and a map_async whose call fails (its
 * error_callback gets the exception, its callback nothing; successful()
 * is False; get() raises).  Leaving the with block terminates the pool.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

static int square(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    int64_t x = mpr_obj_int_value(mpr_obj_item(args, 0));

    (void)kwargs;
    *result = mpr_obj_int(x * x);
    return *result ? 0 : mpr_last_error();
}
MPR_TARGET(square)

static int fail_(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    (void)kwargs;
    (void)result;
    return mpr_target_error(MPR_EVALUE, "bad input %d",
                            (int)mpr_obj_int_value(mpr_obj_item(args, 0)));
}
MPR_TARGET(fail_)

/* The lists the callbacks append to: got and errors. */
typedef struct {
    mpr_obj_t *got;
    mpr_obj_t *errors;
} lists_t;

/* got.append */
static void append(mpr_obj_t *result, void *arg)
{
    mpr_obj_list_append(((lists_t *)arg)->got, result);
}

/* errors.append: the list holds the exceptions' reprs as text. */
static void append_error(int code, const char *message, void *arg)
{
    mpr_obj_t *errors = ((lists_t *)arg)->errors;
    char *r = NULL;
    mpr_obj_t *m = mpr_obj_str(message), *s;
    char buf[512];

    if (m == NULL || mpr_obj_repr(m, &r, NULL) < 0)
        r = NULL;
    snprintf(buf, sizeof(buf), "%s(%s)", mpr_err_pytype(code), r ? r : "");
    if ((s = mpr_obj_str(buf)) != NULL)
        mpr_obj_list_append_steal(errors, s);
    mpr_free(r);
    mpr_obj_decref(m);
}

/* print(..., errors): a list of exceptions shows their reprs. */
static void print_exc_list(const mpr_obj_t *l)
{
    printf("[");
    for (size_t i = 0; i < mpr_obj_len(l); i++)
        printf("%s%s", i ? ", " : "", mpr_obj_str_utf8(mpr_obj_item(l, i), 0));
    printf("]");
}

int main(int argc, char **argv)
{
    mpr_pool_options_t o = {.processes = 4};
    mpr_obj_t *seven, *eight, *ten, *five, *one, *v;
    mpr_asyncresult_t *result;
    lists_t lists;
    mpr_pool_t *pool;
    char *r;
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0)
        return case_fail(rc);
    seven = mpr_obj_tuple_steal(1, mpr_obj_int(7));
    eight = mpr_obj_tuple_steal(1, mpr_obj_int(8));
    ten = case_range_list(0, 10);
    five = case_range_list(0, 5);
    one = case_range_list(1, 2);
    lists.got = mpr_obj_list();
    lists.errors = mpr_obj_list();
    if (!seven || !eight || !ten || !five || !one || !lists.got ||
        !lists.errors)
        return case_fail(mpr_last_error());
    if ((rc = mpr_pool_new(&pool, &o)) < 0 ||
        (rc = mpr_pool_apply(pool, square, seven, NULL, &v)) < 0 ||
        (rc = case_print_repr("apply:", v)) < 0)
        return case_fail(rc);
    mpr_obj_decref(v);
    if ((rc = mpr_pool_apply_async(pool, square, eight, NULL, NULL, NULL, NULL,
                                   &result)) < 0 ||
        (rc = mpr_asyncresult_get(result, MPR_TIMEOUT_NONE, &v)) < 0 ||
        (rc = mpr_obj_repr(v, &r, NULL)) < 0)
        return case_fail(rc);
    printf("apply_async: %s %s\n", mpr_asyncresult_type_name(result), r);
    mpr_free(r);
    mpr_obj_decref(v);
    mpr_asyncresult_free(result);
    if ((rc = mpr_pool_map(pool, square, ten, MPR_CHUNKSIZE_NONE, &v)) < 0 ||
        (rc = case_print_repr("map:", v)) < 0)
        return case_fail(rc);
    mpr_obj_decref(v);
    if ((rc = mpr_pool_map_async(pool, square, five, MPR_CHUNKSIZE_NONE, append,
                                 NULL, &lists, &result)) < 0 ||
        (rc = mpr_asyncresult_get(result, MPR_TIMEOUT_NONE, &v)) < 0 ||
        (rc = mpr_obj_repr(v, &r, NULL)) < 0)
        return case_fail(rc);
    printf("map_async: %s %s\n", mpr_asyncresult_type_name(result), r);
    mpr_free(r);
    mpr_obj_decref(v);
    mpr_asyncresult_free(result);
    if ((rc = case_print_repr("callback got:", lists.got)) < 0)
        return case_fail(rc);
    mpr_obj_decref(lists.got);
    if ((lists.got = mpr_obj_list()) == NULL)
        return case_fail(mpr_last_error());
    if ((rc = mpr_pool_map_async(pool, fail_, one, MPR_CHUNKSIZE_NONE, append,
                                 append_error, &lists, &result)) < 0 ||
        (rc = mpr_asyncresult_wait(result, MPR_TIMEOUT_NONE)) < 0 ||
        (rc = mpr_obj_repr(lists.got, &r, NULL)) < 0)
        return case_fail(rc);
    printf("failed call: callback got %s error_callback got ", r);
    mpr_free(r);
    print_exc_list(lists.errors);
    printf("\n");
    if ((rc = mpr_asyncresult_successful(result)) < 0)
        return case_fail(rc);
    printf("successful(): %s\n", case_bool(rc));
    rc = mpr_asyncresult_get(result, MPR_TIMEOUT_NONE, &v);
    if (rc != MPR_EVALUE)
        return case_fail(rc < 0 ? rc : MPR_EASSERT);
    printf("get() raises ValueError: %s\n", mpr_last_error_detail());
    mpr_asyncresult_free(result);
    mpr_pool_terminate(pool); /* the end of the with block */
    mpr_pool_free(pool);
    mpr_obj_decref(lists.got);
    mpr_obj_decref(lists.errors);
    mpr_obj_decref(seven);
    mpr_obj_decref(eight);
    mpr_obj_decref(ten);
    mpr_obj_decref(five);
    mpr_obj_decref(one);
    return 0;
}
