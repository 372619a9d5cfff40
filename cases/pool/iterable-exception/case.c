/*
 * pool/iterable-exception: an exception raised by the input iterable (a
 * generator, or an iterator's __next__) comes out of map(), imap() and
 * imap_unordered() as the same exception, after the results of the
 * chunks before it; the pool stays usable.  The iterables are
 * mpr_pool_iter_t; SayWhenError is an exception class of the program's
 * own (MPR_EXCEPTION).
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

MPR_EXCEPTION(SayWhenError)

/* exception_throwing_generator(total, when) */
typedef struct {
    int total, when, i;
} gen_t;

static int gen_next(void *arg, mpr_obj_t **item)
{
    gen_t *g = arg;

    if (g->when == -1 || g->i == g->when)
        return mpr_target_error(SayWhenError, "Somebody said when");
    if (g->i >= g->total)
        return 0;
    *item = mpr_obj_int(g->i++);
    return *item ? 1 : mpr_last_error();
}

/* a generator object: no __len__ */
static mpr_pool_iter_t generator(gen_t *g, int total, int when)
{
    *g = (gen_t){total, when, 0};
    return (mpr_pool_iter_t){.next = gen_next, .arg = g, .len = -1};
}

/* SpecialIterable: __next__ raises, __len__ is 1 */
static int special_next(void *arg, mpr_obj_t **item)
{
    (void)arg;
    (void)item;
    return mpr_target_error(SayWhenError, "from __next__");
}

static const mpr_pool_iter_t special = {.next = special_next, .len = 1};

/* sqr(x) */
static int sqr(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    int64_t x = mpr_obj_int_value(mpr_obj_item(args, 0));

    (void)kwargs;
    *result = mpr_obj_int(x * x);
    return *result ? 0 : mpr_last_error();
}
MPR_TARGET(sqr)

/* show(what, f): the result's repr, or the exception's class, message and
 * __cause__ (libmpref's exceptions carry none: the iterable's comes back
 * as itself, not from a worker) */
static void show(const char *what, int rc, mpr_obj_t *out)
{
    char line[256];

    if (rc >= 0) {
        case_show(what, 0, out);
        return;
    }
    snprintf(line, sizeof(line), "%s %s %s cause: None", what,
             mpr_err_pytype(rc), mpr_last_error_detail());
    printf("%s\n", line);
}

/* [next(it) for _ in range(n)] */
static int drain(mpr_imap_t *it, int n, mpr_obj_t **out)
{
    mpr_obj_t *got = mpr_obj_list(), *v;
    int rc;

    if (got == NULL)
        return mpr_last_error();
    for (int k = 0; k < n; k++) {
        if ((rc = mpr_imap_next(it, MPR_TIMEOUT_NONE, &v)) <= 0 ||
            (rc = mpr_obj_list_append_steal(got, v)) < 0) {
            mpr_obj_decref(got);
            return rc < 0 ? rc : mpr_target_error(MPR_EVALUE, "StopIteration");
        }
    }
    *out = got;
    return 0;
}

/* drain_unordered(it, total): every value is a distinct square of the
 * input, until the iterable's exception */
static int drain_unordered(const char *what, mpr_imap_t *it, int total)
{
    char expected[64] = {0};
    mpr_obj_t *v;
    int n = 0, rc;

    for (int k = 0; k < total; k++) {
        int64_t x, r;

        if ((rc = mpr_imap_next(it, MPR_TIMEOUT_NONE, &v)) == SayWhenError) {
            printf("%s SayWhenError %s after %d values\n", what,
                   mpr_last_error_detail(), n);
            return 0;
        }
        if (rc < 0)
            return rc;
        if (rc == 0)
            return mpr_target_error(MPR_EVALUE, "StopIteration");
        x = mpr_obj_int_value(v);
        mpr_obj_decref(v);
        for (r = 0; r < total && r * r != x; r++)
            ;
        if (r == total || expected[r]) /* expected.remove(v) */
            return mpr_target_error(MPR_EVALUE,
                                    "list.remove(x): x not in list");
        expected[r] = 1;
        n++;
    }
    printf("%s no exception\n", what);
    return 0;
}

int main(int argc, char **argv)
{
    static const int imap_runs[3][4] = {
        {10, 3, 1, 3}, {20, 7, 2, 6}, {20, 7, 4, 4}};
    static const int unordered_runs[2][3] = {{10, 3, 1}, {20, 7, 2}};
    mpr_pool_options_t o = {.processes = 2};
    mpr_obj_t *out, *five;
    mpr_pool_t *pool, *p;
    mpr_pool_iter_t g;
    mpr_imap_t *it;
    gen_t state;
    char what[64];
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = mpr_pool_new(&pool, &o)) < 0 ||
        (rc = mpr_pool_enter(pool, &p)) < 0)
        return case_fail(rc);
    for (int k = 0; k < 2; k++) {
        g = generator(&state, 1, -1);
        out = NULL;
        rc = mpr_pool_map_iter(p, sqr, &g, 1, &out);
        show("map when=-1:", rc, out);
    }
    g = generator(&state, 10, 3);
    out = NULL;
    rc = mpr_pool_map_iter(p, sqr, &g, 1, &out);
    show("map when=3:", rc, out);
    for (int k = 0; k < 2; k++) {
        out = NULL;
        rc = mpr_pool_map_iter(p, sqr, &special, 1, &out);
        show("map SpecialIterable:", rc, out);
    }
    for (int k = 0; k < 2; k++) {
        g = generator(&state, 1, -1);
        if ((rc = mpr_pool_imap_iter(p, sqr, &g, 1, &it)) < 0)
            return case_fail(rc);
        out = NULL;
        rc = mpr_imap_next(it, MPR_TIMEOUT_NONE, &out);
        show("imap when=-1:", rc, out);
        mpr_imap_free(it);
    }
    for (int k = 0; k < 3; k++) {
        const int *run = imap_runs[k];

        g = generator(&state, run[0], run[1]);
        if ((rc = mpr_pool_imap_iter(p, sqr, &g, run[2], &it)) < 0 ||
            (rc = drain(it, run[3], &out)) < 0)
            return case_fail(rc);
        snprintf(what, sizeof(what), "imap chunksize=%d:", run[2]);
        case_show(what, 0, out);
        out = NULL;
        rc = mpr_imap_next(it, MPR_TIMEOUT_NONE, &out);
        show("imap next:", rc, out);
        mpr_imap_free(it);
    }
    for (int k = 0; k < 2; k++) {
        g = generator(&state, 1, -1);
        if ((rc = mpr_pool_imap_unordered_iter(p, sqr, &g, 1, &it)) < 0)
            return case_fail(rc);
        out = NULL;
        rc = mpr_imap_next(it, MPR_TIMEOUT_NONE, &out);
        show("imap_unordered when=-1:", rc, out);
        mpr_imap_free(it);
    }
    for (int k = 0; k < 2; k++) {
        const int *run = unordered_runs[k];

        g = generator(&state, run[0], run[1]);
        snprintf(what, sizeof(what), "imap_unordered chunksize=%d:", run[2]);
        if ((rc = mpr_pool_imap_unordered_iter(p, sqr, &g, run[2], &it)) < 0 ||
            (rc = drain_unordered(what, it, run[0])) < 0)
            return case_fail(rc);
        mpr_imap_free(it);
    }
    if ((five = case_range_list(0, 5)) == NULL)
        return case_fail(mpr_last_error());
    out = NULL;
    rc = mpr_pool_map(p, sqr, five, MPR_CHUNKSIZE_NONE, &out);
    show("map after:", rc, out);
    /* list(p.imap(sqr, range(5), 2)), sorted(p.imap_unordered(...)) */
    for (int k = 0; k < 2; k++) {
        rc = k == 0 ? mpr_pool_imap(p, sqr, five, 2, &it)
                    : mpr_pool_imap_unordered(p, sqr, five, 1, &it);
        if (rc < 0 || (rc = drain(it, 5, &out)) < 0)
            return case_fail(rc);
        if (k == 1) {
            mpr_obj_t *s = case_sorted(out);
            mpr_obj_decref(out);
            out = s;
        }
        show(k == 0 ? "imap after:" : "imap_unordered after:", 0, out);
        mpr_imap_free(it);
    }
    mpr_obj_decref(five);
    mpr_pool_terminate(p); /* __exit__ */
    mpr_pool_free(pool);
    return 0;
}
