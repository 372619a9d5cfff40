/*
 * pool/starmap-async: starmap_async's MapResult gives itertools.starmap's
 * list in input order with any chunksize; callback and error_callback run
 * in the parent before get() returns.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

static int mul(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    (void)kwargs;
    *result = mpr_obj_int(mpr_obj_int_value(mpr_obj_item(args, 0)) *
                          mpr_obj_int_value(mpr_obj_item(args, 1)));
    return *result ? 0 : mpr_last_error();
}
MPR_TARGET(mul)

static int div_(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    int64_t x = mpr_obj_int_value(mpr_obj_item(args, 0));
    int64_t y = mpr_obj_int_value(mpr_obj_item(args, 1));

    (void)kwargs;
    if (y == 0)
        return mpr_target_error(MPR_EVALUE, "cannot divide %lld by %lld",
                                (long long)x, (long long)y);
    /* Python's floor division; the case only divides non-negatives */
    *result = mpr_obj_int(x / y);
    return *result ? 0 : mpr_last_error();
}
MPR_TARGET(div_)

/* print(what, repr(o)) */
static int print_repr(const char *what, const mpr_obj_t *o)
{
    char *r;
    int rc = mpr_obj_repr(o, &r, NULL);

    if (rc < 0)
        return rc;
    printf("%s %s\n", what, r);
    mpr_free(r);
    return 0;
}

static void callback(mpr_obj_t *result, void *arg)
{
    (void)arg;
    print_repr("callback:", result);
    fflush(stdout);
}

static void error_callback(int code, const char *message, void *arg)
{
    (void)arg;
    printf("error_callback: %s %s\n", mpr_err_pytype(code), message);
    fflush(stdout);
}

/* [(x, y) for x, y in pairs] from n pairs of C ints */
static mpr_obj_t *pairs(size_t n, const int (*xy)[2])
{
    mpr_obj_t *l = mpr_obj_list();

    for (size_t i = 0; l != NULL && i < n; i++)
        if (mpr_obj_list_append_steal(
                l, mpr_obj_tuple_steal(2, mpr_obj_int(xy[i][0]),
                                       mpr_obj_int(xy[i][1]))) < 0) {
            mpr_obj_decref(l);
            return NULL;
        }
    return l;
}

/* got == [x * (99 - x) for x in range(100)] */
static int is_expected(const mpr_obj_t *got)
{
    if (mpr_obj_len(got) != 100)
        return 0;
    for (int x = 0; x < 100; x++)
        if (mpr_obj_int_value(mpr_obj_item(got, (size_t)x)) != x * (99 - x))
            return 0;
    return 1;
}

/* starmap_async(mul, tuples, chunksize).get(timeout=30) compared */
static int run_all(mpr_pool_t *p, const mpr_obj_t *tuples, int chunksize,
                   const char *what, int print_type)
{
    mpr_asyncresult_t *r = NULL;
    mpr_obj_t *got = NULL;
    int rc;

    if ((rc = mpr_pool_starmap_async(p, mul, tuples, chunksize, NULL, NULL,
                                     NULL, &r)) < 0)
        return rc;
    if (print_type)
        printf("type: %s\n", mpr_asyncresult_type_name(r));
    rc = mpr_asyncresult_get(r, 30, &got);
    mpr_asyncresult_free(r);
    if (rc < 0)
        return rc;
    printf("%s %s %zu\n", what, is_expected(got) ? "True" : "False",
           mpr_obj_len(got));
    mpr_obj_decref(got);
    return 0;
}

static int run(void)
{
    static const int short_xy[][2] = {{1, 2}, {3, 4}, {5, 6}};
    static const int cb_xy[][2] = {{2, 3}, {4, 5}};
    static const int div_xy[][2] = {{6, 3}, {1, 0}};
    mpr_pool_options_t o = {.processes = 2};
    int all_xy[100][2];
    mpr_obj_t *tuples, *l, *got;
    mpr_asyncresult_t *r;
    mpr_pool_t *p;
    int rc;

    for (int x = 0; x < 100; x++) {
        all_xy[x][0] = x;
        all_xy[x][1] = 99 - x;
    }
    if ((tuples = pairs(100, (const int(*)[2])all_xy)) == NULL)
        return mpr_last_error();
    if ((rc = mpr_pool_new(&p, &o)) < 0)
        goto out_tuples;
    if ((rc = run_all(p, tuples, MPR_CHUNKSIZE_NONE, "default chunksize:", 1)) <
            0 ||
        (rc = run_all(p, tuples, 20, "chunksize=20:", 0)) < 0)
        goto out;
    const struct {
        const char *what;
        size_t n;
        const int (*xy)[2];
        int chunksize;
    } small[] = {{"short:", 3, short_xy, 1},
                 {"empty:", 0, NULL, MPR_CHUNKSIZE_NONE}};
    for (size_t i = 0; i < 2; i++) {
        if ((l = pairs(small[i].n, small[i].xy)) == NULL) {
            rc = mpr_last_error();
            goto out;
        }
        r = NULL;
        rc = mpr_pool_starmap_async(p, mul, l, small[i].chunksize, NULL, NULL,
                                    NULL, &r);
        mpr_obj_decref(l);
        got = NULL;
        if (rc >= 0)
            rc = mpr_asyncresult_get(r, 30, &got);
        mpr_asyncresult_free(r);
        if (rc < 0 || (rc = print_repr(small[i].what, got)) < 0)
            goto out;
        mpr_obj_decref(got);
    }
    if ((l = pairs(2, cb_xy)) == NULL) {
        rc = mpr_last_error();
        goto out;
    }
    r = NULL;
    rc = mpr_pool_starmap_async(p, mul, l, MPR_CHUNKSIZE_NONE, callback, NULL,
                                NULL, &r);
    mpr_obj_decref(l);
    got = NULL;
    if (rc >= 0)
        rc = mpr_asyncresult_get(r, 30, &got);
    mpr_asyncresult_free(r);
    if (rc < 0 || (rc = print_repr("get:", got)) < 0)
        goto out;
    mpr_obj_decref(got);
    if ((l = pairs(2, div_xy)) == NULL) {
        rc = mpr_last_error();
        goto out;
    }
    r = NULL;
    rc = mpr_pool_starmap_async(p, div_, l, MPR_CHUNKSIZE_NONE, NULL,
                                error_callback, NULL, &r);
    mpr_obj_decref(l);
    if (rc < 0)
        goto out;
    mpr_asyncresult_wait(r, 30);
    got = NULL;
    rc = mpr_asyncresult_get(r, 30, &got);
    if (rc >= 0) {
        mpr_obj_decref(got);
        mpr_asyncresult_free(r);
        rc = MPR_EASSERT; /* no exception: the case fails */
        goto out;
    }
    if (rc != MPR_EVALUE) {
        mpr_asyncresult_free(r);
        goto out;
    }
    printf("get: %s %s\n", mpr_err_pytype(rc), mpr_last_error_detail());
    rc = mpr_asyncresult_successful(r);
    mpr_asyncresult_free(r);
    if (rc < 0)
        goto out;
    printf("successful: %s\n", rc ? "True" : "False");
    rc = 0;
out:
    /* with Pool(2) as p: __exit__ terminates */
    mpr_pool_terminate(p);
    mpr_pool_free(p);
out_tuples:
    mpr_obj_decref(tuples);
    return rc;
}

int main(int argc, char **argv)
{
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = run()) < 0)
        return case_fail(rc);
    return 0;
}
