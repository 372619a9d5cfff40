/*
 * test-rlock.c - multiprocessing.RLock: recursion, ownership by process +
 * thread, the AssertionError of a release by a non-owner, reprs.
 */
#include "mpr/lock.h"
#include "mpr/error.h"
#include "mpr/timeout.h"
#include "mprtest.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

const char *mprtest_suite_name = "rlock";

static mpr_rlock_t *rl;

#define NOT_OWNED "attempt to release recursive lock not owned by thread"

#define ASSERT_REPR(obj, expected)                                             \
    do {                                                                       \
        char *s_ = NULL;                                                       \
        CU_ASSERT_EQUAL(mpr_rlock_repr((obj), &s_, NULL), 0);                  \
        CU_ASSERT_STRING_EQUAL(s_ ? s_ : "", (expected));                      \
        free(s_);                                                              \
    } while (0)

static void test_rlock_recursion_and_reprs(void)
{
    mpr_rlock_t *r;

    CU_ASSERT_EQUAL_FATAL(mpr_rlock_new(&r), 0);
    ASSERT_REPR(r, "<RLock(None, 0)>");
    CU_ASSERT_EQUAL(mpr_rlock_acquire(r, 1, MPR_TIMEOUT_NONE), 1);
    ASSERT_REPR(r, "<RLock(MainProcess, 1)>");
    CU_ASSERT_EQUAL(mpr_rlock_acquire(r, 0, 0), 1);   /* acquire(False) */
    CU_ASSERT_EQUAL(mpr_rlock_acquire(r, 1, 0.0), 1); /* timeout=0 */
    ASSERT_REPR(r, "<RLock(MainProcess, 3)>");
    CU_ASSERT_EQUAL(mpr_semlock_get_value(r), 0);
    for (int i = 0; i < 3; i++)
        CU_ASSERT_EQUAL(mpr_rlock_release(r), 0);
    ASSERT_REPR(r, "<RLock(None, 0)>");
    CU_ASSERT_EQUAL(mpr_semlock_get_value(r), 1);
    mpr_rlock_free(r);
}

static void test_rlock_release_unowned_is_assertion(void)
{
    mpr_rlock_t *r;
    char buf[160];

    CU_ASSERT_EQUAL_FATAL(mpr_rlock_new(&r), 0);
    CU_ASSERT_EQUAL(mpr_rlock_release(r), MPR_EASSERT);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), NOT_OWNED);
    mpr_err_format(MPR_EASSERT, buf, sizeof(buf));
    CU_ASSERT_STRING_EQUAL(buf, "AssertionError: " NOT_OWNED);
    /* test_rlock: three acquires, three releases, the fourth fails. */
    for (int i = 0; i < 3; i++)
        mpr_rlock_acquire(r, 1, MPR_TIMEOUT_NONE);
    for (int i = 0; i < 3; i++)
        CU_ASSERT_EQUAL(mpr_rlock_release(r), 0);
    CU_ASSERT_EQUAL(mpr_rlock_release(r), MPR_EASSERT);
    mpr_rlock_free(r);
}

static void *thread_take(void *arg)
{
    return (void *)(long)mpr_rlock_acquire(arg, 0, 0);
}

static void *thread_release(void *arg)
{
    return (void *)(long)mpr_rlock_release(arg);
}

static void test_rlock_other_thread_is_not_owner(void)
{
    mpr_rlock_t *r;
    pthread_t t;
    void *res;

    CU_ASSERT_EQUAL_FATAL(mpr_rlock_new(&r), 0);
    pthread_create(&t, NULL, thread_take, r);
    pthread_join(t, &res);
    CU_ASSERT_EQUAL((long)res, 1);
    ASSERT_REPR(r, "<RLock(SomeOtherThread, nonzero)>");
    CU_ASSERT_EQUAL(mpr_rlock_acquire(r, 0, 0), 0);
    CU_ASSERT_EQUAL(mpr_rlock_release(r), MPR_EASSERT);
    mpr_rlock_acquire(r, 0, 0);
    /* Held by this thread now?  No: the other thread still holds it. */
    ASSERT_REPR(r, "<RLock(SomeOtherThread, nonzero)>");
    mpr_rlock_free(r);
    /* A thread cannot release what the main thread holds. */
    CU_ASSERT_EQUAL_FATAL(mpr_rlock_new(&r), 0);
    mpr_rlock_acquire(r, 1, MPR_TIMEOUT_NONE);
    pthread_create(&t, NULL, thread_release, r);
    pthread_join(t, &res);
    CU_ASSERT_EQUAL((long)res, MPR_EASSERT);
    CU_ASSERT_EQUAL(mpr_rlock_release(r), 0);
    mpr_rlock_free(r);
}

static int child_take_and_exit(void *arg)
{
    (void)arg;
    return mpr_rlock_acquire(rl, 0, 0) == 1 ? 0 : 1;
}

static void test_rlock_other_process_is_not_owner(void)
{
    CU_ASSERT_EQUAL_FATAL(mpr_rlock_new(&rl), 0);
    CU_ASSERT_EQUAL(mprtest_run_child(child_take_and_exit, NULL, 10), 0);
    ASSERT_REPR(rl, "<RLock(SomeOtherProcess, nonzero)>");
    CU_ASSERT_EQUAL(mpr_rlock_acquire(rl, 1, 0.05), 0);
    CU_ASSERT_EQUAL(mpr_rlock_release(rl), MPR_EASSERT);
    mpr_rlock_free(rl);
}

/* A forked child inherits the object but not the ownership (CPython's
 * SemLock._after_fork resets the count). */
static int child_inherited_count_is_zero(void *arg)
{
    char *s = NULL;
    int ok;

    (void)arg;
    if (mpr_semlock_count(rl) != 0 || mpr_semlock_is_mine(rl))
        return 10;
    if (mpr_rlock_release(rl) != MPR_EASSERT)
        return 11;
    if (mpr_rlock_acquire(rl, 0, 0) != 0)
        return 12;
    mpr_rlock_repr(rl, &s, NULL);
    ok = s != NULL && !strcmp(s, "<RLock(SomeOtherProcess, nonzero)>");
    free(s);
    return ok ? 0 : 13;
}

static void test_rlock_fork_child_does_not_inherit_ownership(void)
{
    CU_ASSERT_EQUAL_FATAL(mpr_rlock_new(&rl), 0);
    mpr_rlock_acquire(rl, 1, MPR_TIMEOUT_NONE);
    mpr_rlock_acquire(rl, 1, MPR_TIMEOUT_NONE);
    CU_ASSERT_EQUAL(mprtest_run_child(child_inherited_count_is_zero, NULL, 10),
                    0);
    ASSERT_REPR(rl, "<RLock(MainProcess, 2)>");
    mpr_rlock_release(rl);
    mpr_rlock_release(rl);
    mpr_rlock_free(rl);
}

static int child_wait_for_release(void *arg)
{
    (void)arg;
    return mpr_rlock_acquire(rl, 1, 5.0) == 1 ? 0 : 1;
}

static void test_rlock_last_release_wakes_other_process(void)
{
    pid_t pid;

    CU_ASSERT_EQUAL_FATAL(mpr_rlock_new(&rl), 0);
    mpr_rlock_acquire(rl, 1, MPR_TIMEOUT_NONE);
    mpr_rlock_acquire(rl, 1, MPR_TIMEOUT_NONE);
    pid = mprtest_fork(child_wait_for_release, NULL);
    mpr_rlock_release(rl);
    mpr_sleep(0.1 / mpr_time_scale());
    /* Still held once: the child must still be waiting. */
    CU_ASSERT_EQUAL(mprtest_wait(pid, 0), MPRTEST_TIMEOUT);
    mpr_rlock_free(rl);
    CU_ASSERT_EQUAL_FATAL(mpr_rlock_new(&rl), 0);
    mpr_rlock_acquire(rl, 1, MPR_TIMEOUT_NONE);
    mpr_rlock_acquire(rl, 1, MPR_TIMEOUT_NONE);
    pid = mprtest_fork(child_wait_for_release, NULL);
    mpr_rlock_release(rl);
    mpr_rlock_release(rl);
    CU_ASSERT_EQUAL(mprtest_wait(pid, 10), 0);
    mpr_rlock_free(rl);
}

int mprtest_register(CU_pSuite s)
{
    MPRTEST_ADD(s, test_rlock_recursion_and_reprs,
                "an RLock is reentrant; repr shows owner and depth");
    MPRTEST_ADD(s, test_rlock_release_unowned_is_assertion,
                "releasing an RLock not held is AssertionError");
    MPRTEST_ADD(s, test_rlock_other_thread_is_not_owner,
                "another thread of the process is not the owner");
    MPRTEST_ADD(s, test_rlock_other_process_is_not_owner,
                "another process is not the owner");
    MPRTEST_ADD(s, test_rlock_fork_child_does_not_inherit_ownership,
                "a forked child does not inherit the ownership");
    MPRTEST_ADD(s, test_rlock_last_release_wakes_other_process,
                "only the last release frees the RLock for another process");
    return 0;
}
