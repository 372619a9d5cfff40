/*
 * pool/order-chunksize: map, starmap, map_async and imap give results in
 * input order (late_square makes later inputs finish first) with default
 * and explicit chunksizes; the inputs of one chunk run in one worker;
 * imap_unordered gives the same multiset; empty inputs; map with
 * chunksize 0 is [None] * n; imap refuses chunksize 0; an exhausted imap
 * keeps ending.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define N 12

static int late_square(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    int64_t x = mpr_obj_int_value(mpr_obj_item(args, 0));

    (void)kwargs;
    mpr_sleep((double)(N - x) * 0.01);
    *result = mpr_obj_int(x * x);
    return *result ? 0 : mpr_last_error();
}
MPR_TARGET(late_square)

static int pid_of(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    (void)kwargs;
    mpr_sleep(0.01);
    *result = mpr_obj_tuple_steal(2, mpr_obj_incref(mpr_obj_item(args, 0)),
                                  mpr_obj_int(getpid()));
    return *result ? 0 : mpr_last_error();
}
MPR_TARGET(pid_of)

static int mul(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    (void)kwargs;
    *result = mpr_obj_int(mpr_obj_int_value(mpr_obj_item(args, 0)) *
                          mpr_obj_int_value(mpr_obj_item(args, 1)));
    return *result ? 0 : mpr_last_error();
}
MPR_TARGET(mul)

static int boom(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    (void)kwargs, (void)result;
    return mpr_target_error(
        MPR_ERUNTIME, "called with %lld",
        (long long)mpr_obj_int_value(mpr_obj_item(args, 0)));
}
MPR_TARGET(boom)

/* [(i, N - i) ...] (k < 0) or [(i, k) ...] */
static mpr_obj_t *pairs(int k)
{
    mpr_obj_t *l = mpr_obj_list();

    for (int i = 0; l != NULL && i < N; i++)
        if (mpr_obj_list_append_steal(
                l, mpr_obj_tuple_steal(2, mpr_obj_int(i),
                                       mpr_obj_int(k < 0 ? N - i : k))) < 0) {
            mpr_obj_decref(l);
            return NULL;
        }
    return l;
}

static int cmp_int(const void *a, const void *b)
{
    int64_t x = mpr_obj_int_value(*(mpr_obj_t *const *)a),
            y = mpr_obj_int_value(*(mpr_obj_t *const *)b);
    return (x > y) - (x < y);
}

/* list(it) (sorted when sort): 0 and a new list in *out, or the error. */
static int drain(mpr_imap_t *it, int sort, mpr_obj_t **out)
{
    mpr_obj_t *l = mpr_obj_list(), *x, *items[64];
    size_t n = 0;
    int rc;

    while (l != NULL && (rc = mpr_imap_next(it, MPR_TIMEOUT_NONE, &x)) == 1)
        if (n < 64)
            items[n++] = x;
        else
            mpr_obj_decref(x);
    if (l == NULL || rc < 0) {
        while (n > 0)
            mpr_obj_decref(items[--n]);
        mpr_obj_decref(l);
        return l == NULL ? mpr_last_error() : rc;
    }
    if (sort)
        qsort(items, n, sizeof(items[0]), cmp_int);
    for (size_t i = 0; i < n; i++)
        mpr_obj_list_append_steal(l, items[i]);
    *out = l;
    return 0;
}

/* case_show(what, lambda: list(p.imap[_unordered](f, in, chunksize))) */
static void show_imap(mpr_pool_t *p, const char *what, int unordered,
                      mpr_pool_func_t f, const mpr_obj_t *in, int chunksize)
{
    mpr_imap_t *it = NULL;
    mpr_obj_t *out = NULL;
    int rc = unordered ? mpr_pool_imap_unordered(p, f, in, chunksize, &it)
                       : mpr_pool_imap(p, f, in, chunksize, &it);

    if (rc == 0)
        rc = drain(it, unordered, &out);
    case_show(what, rc, out);
    mpr_imap_free(it);
}

/* [len(set(pids[i:i + c])) for i in range(0, len(pids), c)] */
static void print_same_worker(const char *what, const mpr_obj_t *r, size_t c)
{
    printf("%s [", what);
    for (size_t i = 0; i < mpr_obj_len(r); i += c) {
        int64_t seen[16];
        size_t k = 0;
        for (size_t j = i; j < i + c && j < mpr_obj_len(r); j++) {
            int64_t pid =
                mpr_obj_int_value(mpr_obj_item(mpr_obj_item(r, j), 1));
            size_t m = 0;
            while (m < k && seen[m] != pid)
                m++;
            if (m == k && k < 16)
                seen[k++] = pid;
        }
        printf("%s%zu", i ? ", " : "", k);
    }
    printf("]\n");
}

/* callback=calls.append: counts its calls */
static void count_call(mpr_obj_t *result, void *arg)
{
    (void)result;
    (*(int *)arg)++;
}

static int run(mpr_pool_t *p)
{
    mpr_obj_t *in = case_range_list(0, N), *empty = mpr_obj_list(),
              *three = case_range_list(0, 3);
    mpr_obj_t *prs = pairs(-1), *prs2 = pairs(2), *out = NULL, *x, *r = NULL;
    mpr_asyncresult_t *ar = NULL;
    mpr_imap_t *it = NULL;
    int rc, calls = 0;

    if (in == NULL || empty == NULL || three == NULL || prs == NULL ||
        prs2 == NULL)
        return mpr_last_error();
    rc = mpr_pool_map(p, late_square, in, MPR_CHUNKSIZE_NONE, &out);
    case_show("map:", rc, out);
    rc = mpr_pool_map(p, late_square, in, 1, &out);
    case_show("map chunksize=1:", rc, out);
    rc = mpr_pool_map(p, late_square, in, 5, &out);
    case_show("map chunksize=5:", rc, out);
    rc = mpr_pool_map(p, late_square, in, 100, &out);
    case_show("map chunksize=100:", rc, out);
    if ((rc = mpr_pool_map_async(p, late_square, in, 2, NULL, NULL, NULL,
                                 &ar)) == 0)
        rc = mpr_asyncresult_get(ar, 30, &out);
    case_show("map_async:", rc, out);
    mpr_asyncresult_free(ar);
    ar = NULL;
    rc = mpr_pool_starmap(p, mul, prs, MPR_CHUNKSIZE_NONE, &out);
    case_show("starmap:", rc, out);
    rc = mpr_pool_starmap(p, mul, prs2, 3, &out);
    case_show("starmap chunksize=3:", rc, out);
    show_imap(p, "imap:", 0, late_square, in, 1);
    show_imap(p, "imap chunksize=5:", 0, late_square, in, 5);
    show_imap(p, "imap_unordered sorted:", 1, late_square, in, 1);
    show_imap(p, "imap_unordered chunksize=5 sorted:", 1, late_square, in, 5);
    if ((rc = mpr_pool_map(p, pid_of, in, 4, &r)) < 0)
        return rc;
    printf("map chunksize=4 inputs: [");
    for (size_t i = 0; i < mpr_obj_len(r); i++)
        printf(
            "%s%lld", i ? ", " : "",
            (long long)mpr_obj_int_value(mpr_obj_item(mpr_obj_item(r, i), 0)));
    printf("]\n");
    print_same_worker("map chunksize=4 workers per chunk:", r, 4);
    mpr_obj_decref(r);
    r = NULL;
    if ((rc = mpr_pool_imap(p, pid_of, in, 3, &it)) < 0 ||
        (rc = drain(it, 0, &r)) < 0)
        return rc;
    mpr_imap_free(it);
    it = NULL;
    print_same_worker("imap chunksize=3 workers per chunk:", r, 3);
    mpr_obj_decref(r);
    rc = mpr_pool_map(p, late_square, empty, MPR_CHUNKSIZE_NONE, &out);
    case_show("map empty:", rc, out);
    rc = mpr_pool_starmap(p, mul, empty, MPR_CHUNKSIZE_NONE, &out);
    case_show("starmap empty:", rc, out);
    show_imap(p, "imap empty:", 0, late_square, empty, 1);
    show_imap(p, "imap_unordered empty:", 1, late_square, empty, 1);
    if ((rc = mpr_pool_map_async(p, late_square, empty, MPR_CHUNKSIZE_NONE,
                                 count_call, NULL, &calls, &ar)) == 0)
        rc = mpr_asyncresult_get(ar, 30, &out);
    case_show("map_async empty:", rc, out);
    printf("map_async empty, callback calls: %d\n", calls);
    mpr_asyncresult_free(ar);
    rc = mpr_pool_map(p, boom, three, 0, &out);
    case_show("map chunksize=0:", rc, out);
    rc = mpr_pool_imap(p, late_square, three, 0, &it);
    case_show("imap chunksize=0:", rc,
              rc < 0 ? NULL : mpr_obj_str("an iterator"));
    mpr_imap_free(it);
    it = NULL;
    rc = mpr_pool_imap_unordered(p, late_square, three, 0, &it);
    case_show("imap_unordered chunksize=0:", rc,
              rc < 0 ? NULL : mpr_obj_str("an iterator"));
    mpr_imap_free(it);
    it = NULL;
    x = mpr_obj_list_of_steal(2, mpr_obj_int(3), mpr_obj_int(4));
    if ((rc = mpr_pool_imap(p, late_square, x, 1, &it)) < 0)
        return rc;
    mpr_obj_decref(x);
    for (int i = 0; i < 4; i++) {
        static const char *what[] = {
            "next:", "next:", "next at end:", "next again:"};
        out = NULL;
        rc = mpr_imap_next(it, i == 1 ? 30 : MPR_TIMEOUT_NONE, &out);
        if (rc == 0)
            printf("%s StopIteration \n", what[i]);
        else
            case_show(what[i], rc, out);
    }
    mpr_imap_free(it);
    mpr_obj_decref(in);
    mpr_obj_decref(empty);
    mpr_obj_decref(three);
    mpr_obj_decref(prs);
    mpr_obj_decref(prs2);
    return 0;
}

int main(int argc, char **argv)
{
    mpr_pool_options_t o = {.processes = 4};
    mpr_pool_t *p = NULL;
    int rc;

    if ((rc = mpr_main(argc, argv)) == 0 && (rc = mpr_pool_new(&p, &o)) == 0) {
        rc = run(p);
        mpr_pool_terminate(p); /* with Pool(4) as p: __exit__ terminates */
    }
    mpr_pool_free(p);
    return rc < 0 ? case_fail(rc) : 0;
}
