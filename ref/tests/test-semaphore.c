/*
 * test-semaphore.c - multiprocessing.Semaphore and BoundedSemaphore:
 * values, reprs, CPython's construction and over-release errors, timed
 * acquires, cross-process wake-ups.
 */
#include "mpr/lock.h"
#include "mpr/error.h"
#include "mpr/timeout.h"
#include "mprtest.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

const char *mprtest_suite_name = "semaphore";

static mpr_sem_t *sm;

#define ASSERT_REPR(obj, expected)                                             \
    do {                                                                       \
        char *s_ = NULL;                                                       \
        CU_ASSERT_EQUAL(mpr_semlock_repr((obj), &s_, NULL), 0);                \
        CU_ASSERT_STRING_EQUAL(s_ ? s_ : "", (expected));                      \
        free(s_);                                                              \
    } while (0)

static void test_semaphore_values_and_reprs(void)
{
    mpr_sem_t *s;
    mpr_bsem_t *b;

    CU_ASSERT_EQUAL_FATAL(mpr_sem_new(&s, 3), 0);
    ASSERT_REPR(s, "<Semaphore(value=3)>");
    CU_ASSERT_EQUAL(mpr_sem_get_value(s), 3);
    CU_ASSERT_EQUAL(mpr_sem_acquire(s, 1, MPR_TIMEOUT_NONE), 1);
    CU_ASSERT_EQUAL(mpr_sem_get_value(s), 2);
    /* A plain Semaphore may rise above its start value. */
    CU_ASSERT_EQUAL(mpr_sem_release(s), 0);
    CU_ASSERT_EQUAL(mpr_sem_release(s), 0);
    ASSERT_REPR(s, "<Semaphore(value=4)>");
    mpr_sem_free(s);
    CU_ASSERT_EQUAL_FATAL(mpr_bsem_new(&b, 1), 0);
    ASSERT_REPR(b, "<BoundedSemaphore(value=1, maxvalue=1)>");
    mpr_bsem_free(b);
    CU_ASSERT_EQUAL_FATAL(mpr_bsem_new(&b, 2), 0);
    CU_ASSERT_EQUAL(mpr_bsem_acquire(b, 0, 0), 1);
    ASSERT_REPR(b, "<BoundedSemaphore(value=1, maxvalue=2)>");
    CU_ASSERT_EQUAL(mpr_bsem_get_value(b), 1);
    mpr_bsem_free(b);
}

static void test_semaphore_bounded_over_release_is_value_error(void)
{
    mpr_bsem_t *b;
    mpr_sem_t *s;

    CU_ASSERT_EQUAL_FATAL(mpr_bsem_new(&b, 2), 0);
    CU_ASSERT_EQUAL(mpr_bsem_release(b), MPR_EVALUE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "semaphore or lock released too many times");
    ASSERT_REPR(b, "<BoundedSemaphore(value=2, maxvalue=2)>");
    mpr_bsem_acquire(b, 1, MPR_TIMEOUT_NONE);
    CU_ASSERT_EQUAL(mpr_bsem_release(b), 0);
    CU_ASSERT_EQUAL(mpr_bsem_release(b), MPR_EVALUE);
    mpr_bsem_free(b);
    /* Semaphore's bound is SEM_VALUE_MAX. */
    CU_ASSERT_EQUAL_FATAL(mpr_sem_new(&s, 2147483647), 0);
    CU_ASSERT_EQUAL(mpr_sem_release(s), MPR_EVALUE);
    ASSERT_REPR(s, "<Semaphore(value=2147483647)>");
    mpr_sem_free(s);
}

static void test_semaphore_negative_value_is_einval(void)
{
    mpr_sem_t *s = NULL;

    CU_ASSERT_EQUAL(mpr_sem_new(&s, -1), -EINVAL);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "[Errno 22] Invalid argument");
    CU_ASSERT_STRING_EQUAL(mpr_err_pytype(-EINVAL), "OSError");
    CU_ASSERT_EQUAL(mpr_bsem_new(&s, -1), -EINVAL);
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_EQUAL(mpr_sem_new(&s, 0), 0);
    ASSERT_REPR(s, "<Semaphore(value=0)>");
    mpr_sem_free(s);
}

static void test_semaphore_timeouts_at_zero(void)
{
    mpr_sem_t *s;
    double t0;

    /* _TestSemaphore.test_timeout with Semaphore(0). */
    CU_ASSERT_EQUAL_FATAL(mpr_sem_new(&s, 0), 0);
    t0 = mpr_monotonic();
    CU_ASSERT_EQUAL(mpr_sem_acquire(s, 0, MPR_TIMEOUT_NONE), 0);
    CU_ASSERT_EQUAL(mpr_sem_acquire(s, 0, 0.2), 0);
    CU_ASSERT(mpr_monotonic() - t0 < 0.05);
    CU_ASSERT_EQUAL(mpr_sem_acquire(s, 1, 0.1), 0);
    CU_ASSERT(mpr_monotonic() - t0 >= 0.1);
    mpr_sem_free(s);
    CU_ASSERT_EQUAL_FATAL(mpr_sem_new(&s, 1), 0);
    CU_ASSERT_EQUAL(mpr_sem_acquire(s, 1, 0.1), 1);
    CU_ASSERT_EQUAL(mpr_sem_acquire(s, 1, 0.1), 0);
    CU_ASSERT_EQUAL(mpr_sem_acquire(s, 0, 0), 0);
    mpr_sem_free(s);
}

static int child_release_later(void *arg)
{
    (void)arg;
    mpr_sleep(0.1 / mpr_time_scale());
    return mpr_sem_release(sm) == 0 ? 0 : 1;
}

static void test_semaphore_release_in_child_wakes_parent(void)
{
    pid_t pid;
    double t0;

    CU_ASSERT_EQUAL_FATAL(mpr_sem_new(&sm, 0), 0);
    t0 = mpr_monotonic();
    pid = mprtest_fork(child_release_later, NULL);
    CU_ASSERT_EQUAL(mpr_sem_acquire(sm, 1, 5.0), 1);
    CU_ASSERT(mpr_monotonic() - t0 < 2.0);
    CU_ASSERT_EQUAL(mprtest_wait(pid, 10), 0);
    CU_ASSERT_EQUAL(mpr_sem_get_value(sm), 0);
    mpr_sem_free(sm);
}

static int child_take_one(void *arg)
{
    (void)arg;
    return mpr_sem_acquire(sm, 1, 5.0) == 1 ? 0 : 1;
}

static void test_semaphore_counts_across_processes(void)
{
    pid_t pids[4];

    /* Four waiters, released one unit at a time: all four get through
     * and no unit is lost or duplicated. */
    CU_ASSERT_EQUAL_FATAL(mpr_sem_new(&sm, 0), 0);
    for (int i = 0; i < 4; i++)
        pids[i] = mprtest_fork(child_take_one, NULL);
    for (int i = 0; i < 4; i++)
        mpr_sem_release(sm);
    for (int i = 0; i < 4; i++)
        CU_ASSERT_EQUAL(mprtest_wait(pids[i], 10), 0);
    CU_ASSERT_EQUAL(mpr_sem_get_value(sm), 0);
    mpr_sem_free(sm);
}

static int child_block(void *arg)
{
    (void)arg;
    mpr_sem_acquire(sm, 1, MPR_TIMEOUT_NONE);
    return 0;
}

static void test_semaphore_killed_waiter_loses_nothing(void)
{
    pid_t pid;

    CU_ASSERT_EQUAL_FATAL(mpr_sem_new(&sm, 0), 0);
    pid = mprtest_fork(child_block, NULL);
    mpr_sleep(0.05 / mpr_time_scale());
    kill(pid, SIGKILL);
    CU_ASSERT_EQUAL(mprtest_wait(pid, 10), -SIGKILL);
    mpr_sem_release(sm);
    CU_ASSERT_EQUAL(mpr_sem_get_value(sm), 1);
    CU_ASSERT_EQUAL(mpr_sem_acquire(sm, 1, 0.5), 1);
    mpr_sem_free(sm);
}

static void *thread_churn(void *arg)
{
    for (int i = 0; i < 20000; i++) {
        if (mpr_sem_acquire(arg, 1, MPR_TIMEOUT_NONE) != 1 ||
            mpr_sem_release(arg) != 0)
            return (void *)1;
    }
    return NULL;
}

static void test_semaphore_threads_keep_count_consistent(void)
{
    pthread_t t[4];
    void *res;

    CU_ASSERT_EQUAL_FATAL(mpr_sem_new(&sm, 2), 0);
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, thread_churn, sm);
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], &res);
        CU_ASSERT_PTR_NULL(res);
    }
    CU_ASSERT_EQUAL(mpr_sem_get_value(sm), 2);
    CU_ASSERT_EQUAL(mpr_semlock_count(sm), 0);
    mpr_sem_free(sm);
}

int mprtest_register(CU_pSuite s)
{
    MPRTEST_ADD(s, test_semaphore_values_and_reprs,
                "values and reprs of Semaphore and BoundedSemaphore");
    MPRTEST_ADD(s, test_semaphore_bounded_over_release_is_value_error,
                "over-releasing a BoundedSemaphore is ValueError");
    MPRTEST_ADD(s, test_semaphore_negative_value_is_einval,
                "Semaphore(-1) and BoundedSemaphore(-1) are OSError EINVAL");
    MPRTEST_ADD(s, test_semaphore_timeouts_at_zero,
                "timed and non-blocking acquires at value 0");
    MPRTEST_ADD(s, test_semaphore_release_in_child_wakes_parent,
                "a release in a child wakes the parent");
    MPRTEST_ADD(s, test_semaphore_counts_across_processes,
                "units are neither lost nor duplicated across processes");
    MPRTEST_ADD(s, test_semaphore_threads_keep_count_consistent,
                "four threads sharing a Semaphore(2) keep value and count");
    MPRTEST_ADD(s, test_semaphore_killed_waiter_loses_nothing,
                "a waiter killed while blocked loses no unit");
    return 0;
}
