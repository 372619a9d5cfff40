/*
 * sync/barrier-contracts: a Barrier(3) passed five times by the parent and
 * two children; arrival indices, n_waiting, the repr, an action counting
 * passes in a shared Value, read by every party after each wait.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>

#define PASSES 5

/* repr(b) in a static buffer */
static const char *rep(mpr_barrier_t *b)
{
    static char buf[128];
    char *r;

    buf[0] = '\0';
    if (mpr_barrier_repr(b, &r, NULL) == 0) {
        snprintf(buf, sizeof(buf), "%s", r);
        mpr_free(r);
    }
    return buf;
}

static int64_t passes(mpr_value_t *counter)
{
    int64_t x = -1;
    mpr_value_get_int64(counter, &x);
    return x;
}

/* the action: counts passes */
static int bump(void *arg)
{
    mpr_value_t *counter = arg;
    return mpr_value_set_int64(counter, passes(counter) + 1);
}

/* n passes: (index, passes) pairs in seen[2*k], seen[2*k+1] */
static int run_passes(mpr_barrier_t *b, mpr_value_t *counter, int n,
                      int64_t *seen)
{
    for (int k = 0; k < n; k++) {
        int i = mpr_barrier_wait(b, MPR_TIMEOUT_NONE);
        if (i < 0)
            return i;
        seen[2 * k] = i;
        seen[2 * k + 1] = passes(counter);
    }
    return 0;
}

/* party(barrier, counter, results, n, passes) */
static int party(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_barrier_options_t bo = {.action = bump};
    int64_t seen[2 * PASSES];
    mpr_queue_t *results;
    mpr_value_t *counter;
    mpr_barrier_t *b;
    mpr_obj_t *list, *res;
    int r;

    (void)kwargs;
    if ((r = mpr_value_rebuild(&counter, mpr_obj_item(args, 1))) < 0)
        return r;
    bo.action_arg = counter;
    if ((r = mpr_barrier_rebuild(&b, mpr_obj_item(args, 0), &bo)) < 0 ||
        (r = mpr_queue_rebuild(&results, mpr_obj_item(args, 2))) < 0 ||
        (r = run_passes(b, counter, PASSES, seen)) < 0)
        return r;
    list = mpr_obj_list();
    for (int k = 0; k < PASSES; k++)
        mpr_obj_list_append_steal(
            list, mpr_obj_tuple_steal(2, mpr_obj_int(seen[2 * k]),
                                      mpr_obj_int(seen[2 * k + 1])));
    res = mpr_obj_tuple_steal(2, mpr_obj_incref(mpr_obj_item(args, 3)), list);
    r = res == NULL ? mpr_last_error()
                    : mpr_queue_put(results, res, 1, MPR_TIMEOUT_NONE);
    mpr_obj_decref(res);
    mpr_queue_free(results);
    mpr_barrier_free(b);
    mpr_value_free(counter);
    return r;
}
MPR_TARGET(party)

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    mpr_barrier_options_t bo = {
        .action = bump, .has_timeout = 1, .timeout = 30};
    mpr_sync_options_t raw = {.raw = 1};
    int64_t seen[3][2 * PASSES];
    mpr_barrier_t *one, *b;
    mpr_value_t *counter;
    mpr_queue_t *results;
    mpr_process_t *ps[2];
    mpr_obj_t *zero;
    int a0, a1, i, codes[2];

    if (mpr_main(argc, argv) < 0 || mpr_barrier_new(&one, 1, NULL) < 0)
        return 1;
    a0 = mpr_barrier_wait(one, MPR_TIMEOUT_NONE);
    a1 = mpr_barrier_wait(one, MPR_TIMEOUT_NONE);
    printf("Barrier(1).wait(): %d %d %d\n", a0, a1, mpr_barrier_n_waiting(one));
    mpr_barrier_free(one);

    zero = mpr_obj_int(0);
    if (mpr_value_new(&counter, "i", zero, &raw) < 0)
        return 1;
    mpr_obj_decref(zero);
    bo.action_arg = counter;
    if (mpr_barrier_new(&b, 3, &bo) < 0 || mpr_queue_new(&results, 0) < 0)
        return 1;
    printf("new: %d %d %s %s\n", mpr_barrier_parties(b),
           mpr_barrier_n_waiting(b), case_bool(mpr_barrier_broken(b)), rep(b));
    for (int n = 0; n < 2; n++) {
        mpr_obj_t *bt = NULL, *vt = NULL, *qt = NULL, *args;
        mpr_barrier_reduce(b, &bt);
        mpr_value_reduce(counter, &vt);
        mpr_queue_reduce(results, &qt);
        args = mpr_obj_tuple_steal(5, bt, vt, qt, mpr_obj_int(n + 1),
                                   mpr_obj_int(PASSES));
        mpr_process_options_t o = {.target = party, .args = args};
        if (args == NULL || mpr_process_new(&ps[n], &o) < 0)
            return 1;
        mpr_obj_decref(args);
    }
    for (int n = 0; n < 2; n++)
        if (mpr_process_start(ps[n]) < 0)
            return 1;
    /* the first pass: the parent arrives last, once both children wait */
    while (mpr_barrier_n_waiting(b) < 2)
        mpr_sleep(0.01);
    printf("two waiting: %d %s passes: %lld\n", mpr_barrier_n_waiting(b),
           rep(b), (long long)passes(counter));
    if ((i = mpr_barrier_wait(b, MPR_TIMEOUT_NONE)) < 0)
        return 1;
    printf("the parent arrived last: %d passes: %lld\n", i,
           (long long)passes(counter));
    seen[0][0] = i;
    seen[0][1] = passes(counter);
    if (run_passes(b, counter, PASSES - 1, &seen[0][2]) < 0)
        return 1;
    for (int k = 0; k < 2; k++) {
        mpr_obj_t *o = NULL, *list;
        int64_t n;
        if (mpr_queue_get(results, &o, 1, MPR_TIMEOUT_NONE) < 0)
            return 1;
        n = mpr_obj_int_value(mpr_obj_item(o, 0));
        list = mpr_obj_item(o, 1);
        for (size_t j = 0; j < PASSES; j++) {
            seen[n][2 * j] =
                mpr_obj_int_value(mpr_obj_item(mpr_obj_item(list, j), 0));
            seen[n][2 * j + 1] =
                mpr_obj_int_value(mpr_obj_item(mpr_obj_item(list, j), 1));
        }
        mpr_obj_decref(o);
    }
    for (int n = 0; n < 2; n++) {
        mpr_process_join(ps[n], MPR_TIMEOUT_NONE);
        if (mpr_process_exitcode(ps[n], &codes[n]) != 1)
            codes[n] = -999;
        mpr_process_free(ps[n]);
    }
    for (int k = 0; k < PASSES; k++) {
        int64_t idx[3] = {seen[0][2 * k], seen[1][2 * k], seen[2][2 * k]};
        qsort(idx, 3, sizeof(idx[0]), cmp64);
        printf("pass %d: indices [%lld, %lld, %lld], passes seen [%lld, %lld, "
               "%lld]\n",
               k + 1, (long long)idx[0], (long long)idx[1], (long long)idx[2],
               (long long)seen[0][2 * k + 1], (long long)seen[1][2 * k + 1],
               (long long)seen[2][2 * k + 1]);
    }
    printf("children parties got index 2 in pass 1: [%s, %s]\n",
           case_bool(seen[1][0] == 2), case_bool(seen[2][0] == 2));
    printf("after: %d %s %s passes: %lld exit codes: [%d, %d]\n",
           mpr_barrier_n_waiting(b), case_bool(mpr_barrier_broken(b)), rep(b),
           (long long)passes(counter), codes[0], codes[1]);
    mpr_queue_free(results);
    mpr_barrier_free(b);
    mpr_value_free(counter);
    return 0;
}
