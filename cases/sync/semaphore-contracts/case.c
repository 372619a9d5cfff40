/*
 * sync/semaphore-contracts: Semaphore and BoundedSemaphore values, reprs,
 * release above the initial value or past the bound, block=False and
 * timeouts, negative values; three children blocked on a Semaphore(0)
 * pass one per release.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>

/* repr(s) in a static buffer (enough for these reprs) */
static const char *rep(mpr_semlock_t *s)
{
    static char bufs[2][64];
    static int which;
    char *r, *out = bufs[which ^= 1];

    out[0] = '\0';
    if (mpr_semlock_repr(s, &r, NULL) == 0) {
        snprintf(out, sizeof(bufs[0]), "%s", r);
        mpr_free(r);
    }
    return out;
}

static void print_error(const char *label, int r)
{
    if (r < 0)
        printf("%s %s %s\n", label, mpr_err_pytype(r), mpr_last_error_detail());
    else
        printf("%s no error\n", label);
}

static void timed(const char *label, mpr_sem_t *s, int block, double timeout)
{
    double t0 = mpr_monotonic();
    int r = mpr_sem_acquire(s, block, timeout);

    printf("%s: %s after %.3f s\n", label, case_bool(r), mpr_monotonic() - t0);
}

static int taker(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_queue_t *results;
    mpr_sem_t *sem;

    (void)kwargs;
    if ((sem = case_arg(args, 0, MPR_HANDLE_SEMLOCK)) == NULL ||
        (results = case_arg(args, 1, MPR_HANDLE_QUEUE)) == NULL)
        return mpr_last_error();
    mpr_sem_acquire(sem, 1, MPR_TIMEOUT_NONE);
    return mpr_queue_put(results, mpr_obj_item(args, 2), 1, MPR_TIMEOUT_NONE);
}
MPR_TARGET(taker)

static int64_t get_int(mpr_queue_t *q)
{
    mpr_obj_t *o;
    int64_t v = -1;

    if (mpr_queue_get(q, &o, 1, MPR_TIMEOUT_NONE) == 0) {
        v = mpr_obj_int_value(o);
        mpr_obj_decref(o);
    }
    return v;
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    mpr_sem_t *sem, *zero, *gate, *d1, *neg;
    mpr_bsem_t *bsem, *d2, *b0;
    mpr_queue_t *results;
    mpr_process_t *ps[3];
    int64_t passed[3];
    mpr_obj_t *o;
    int a, b, r, codes[3];

    if (mpr_main(argc, argv) < 0 || mpr_sem_new(&d1, 1) < 0 ||
        mpr_bsem_new(&d2, 1) < 0)
        return 1;
    printf("defaults: %s %s\n", rep(d1), rep(d2));
    mpr_sem_free(d1);
    mpr_bsem_free(d2);
    if (mpr_sem_new(&sem, 2) < 0)
        return 1;
    printf("start: %s %d\n", rep(sem), mpr_sem_get_value(sem));
    for (int i = 0; i < 2; i++) {
        a = mpr_sem_acquire(sem, 1, MPR_TIMEOUT_NONE);
        printf("acquire(): %s %d\n", case_bool(a), mpr_sem_get_value(sem));
    }
    a = mpr_sem_acquire(sem, 0, MPR_TIMEOUT_NONE);
    printf("acquire(False) at 0: %s %d\n", case_bool(a),
           mpr_sem_get_value(sem));
    for (int i = 0; i < 4; i++)
        mpr_sem_release(sem);
    printf("4 releases, above the initial 2: %s %d\n", rep(sem),
           mpr_sem_get_value(sem));
    mpr_sem_free(sem);

    if (mpr_sem_new(&zero, 0) < 0)
        return 1;
    timed("acquire(False)", zero, 0, MPR_TIMEOUT_NONE);
    timed("acquire(False, None)", zero, 0, MPR_TIMEOUT_NONE);
    timed("acquire(False, 5)", zero, 0, 5);
    timed("acquire(True, -1)", zero, 1, -1);
    timed("acquire(True, 0.2)", zero, 1, 0.2);
    timed("acquire(timeout=0.3)", zero, 1, 0.3);
    printf("still: %s\n", rep(zero));
    mpr_sem_free(zero);

    if (mpr_bsem_new(&bsem, 2) < 0)
        return 1;
    printf("bounded: %s\n", rep(bsem));
    a = mpr_bsem_acquire(bsem, 1, MPR_TIMEOUT_NONE);
    b = mpr_bsem_acquire(bsem, 1, MPR_TIMEOUT_NONE);
    printf("acquire() x2: %s %s %s\n", case_bool(a), case_bool(b), rep(bsem));
    for (int i = 0; i < 2; i++)
        if (mpr_bsem_release(bsem) == 0)
            printf("release(): None %s\n", rep(bsem));
    print_error("release() past 2:", mpr_bsem_release(bsem));
    printf("unchanged: %s %d\n", rep(bsem), mpr_bsem_get_value(bsem));
    mpr_bsem_free(bsem);
    if (mpr_bsem_new(&b0, 0) < 0)
        return 1;
    print_error("BoundedSemaphore(0).release():", mpr_bsem_release(b0));
    mpr_bsem_free(b0);
    neg = NULL;
    r = mpr_sem_new(&neg, -1);
    print_error("Semaphore(-1):", r);
    if (r == 0)
        mpr_sem_free(neg);
    r = mpr_bsem_new(&neg, -1);
    print_error("BoundedSemaphore(-1):", r);
    if (r == 0)
        mpr_bsem_free(neg);

    /* three children block in acquire() on a Semaphore(0): each release()
     * lets exactly one through */
    if (mpr_sem_new(&gate, 0) < 0 || mpr_queue_new(&results, 0) < 0)
        return 1;
    for (int i = 0; i < 3; i++) {
        mpr_obj_t *args = mpr_obj_tuple_steal(
            3, mpr_obj_handle(MPR_HANDLE_SEMLOCK, gate),
            mpr_obj_handle(MPR_HANDLE_QUEUE, results), mpr_obj_int(i));
        mpr_process_options_t opts = {.target = taker, .args = args};
        if (args == NULL || mpr_process_new(&ps[i], &opts) < 0)
            return 1;
        mpr_obj_decref(args);
    }
    for (int i = 0; i < 3; i++)
        if (mpr_process_start(ps[i]) < 0)
            return 1;
    mpr_sem_release(gate);
    mpr_sem_release(gate);
    passed[0] = get_int(results);
    passed[1] = get_int(results);
    printf("after 2 releases, 2 children passed\n");
    if ((r = mpr_queue_get(results, &o, 1, 0.5)) == 0) {
        printf("a third passed too\n");
        mpr_obj_decref(o);
    } else if (r == MPR_EEMPTY) {
        printf("the third is still blocked: %s\n", rep(gate));
    }
    mpr_sem_release(gate);
    passed[2] = get_int(results);
    qsort(passed, 3, sizeof(passed[0]), cmp64);
    for (int i = 0; i < 3; i++) {
        mpr_process_join(ps[i], MPR_TIMEOUT_NONE);
        if (mpr_process_exitcode(ps[i], &codes[i]) != 1)
            codes[i] = -999;
        mpr_process_free(ps[i]);
    }
    printf("after the third release: children [%lld, %lld, %lld] passed, "
           "exit codes [%d, %d, %d] %s\n",
           (long long)passed[0], (long long)passed[1], (long long)passed[2],
           codes[0], codes[1], codes[2], rep(gate));
    mpr_queue_free(results);
    mpr_sem_free(gate);
    return 0;
}
