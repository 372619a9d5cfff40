/*
 * test-timeout.c - deadlines follow CPython SemLock's timeout rules, and
 * the scaled sleep honours MP_TIME_SCALE and survives signals.
 */
#include "mpr/timeout.h"
#include "mpr/error.h"
#include "base/internal.h"
#include "mprtest.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

const char *mprtest_suite_name = "timeout";

static void test_timeout_none_is_infinite(void)
{
    mpr_deadline_t d;
    struct timespec rel = {123, 0};

    CU_ASSERT_EQUAL(mpr_deadline_init(&d, 1, MPR_TIMEOUT_NONE), 0);
    CU_ASSERT_TRUE(d.infinite);
    CU_ASSERT_EQUAL(mpr_deadline_remaining(&d, &rel), 1);
    CU_ASSERT_EQUAL(rel.tv_sec, 123); /* untouched */
    CU_ASSERT_TRUE(isinf(mpr_deadline_seconds(&d)));
}

static void test_timeout_deadline_is_now_plus_timeout(void)
{
    mpr_deadline_t d;
    double before = mpr_monotonic(), left;

    CU_ASSERT_EQUAL(mpr_deadline_init(&d, 1, 2.5), 0);
    CU_ASSERT_FALSE(d.infinite);
    left = mpr_deadline_seconds(&d);
    CU_ASSERT(left > 2.4 && left <= 2.5);
    CU_ASSERT(d.at.tv_nsec >= 0 && d.at.tv_nsec < 1000000000L);
    CU_ASSERT_DOUBLE_EQUAL((double)d.at.tv_sec + d.at.tv_nsec / 1e9,
                           before + 2.5, 0.05);
}

static void test_timeout_zero_and_negative_expire_at_once(void)
{
    static const double values[] = {0.0, -0.0, -1.0, -1e300};
    mpr_deadline_t d;
    struct timespec rel;

    /* SemLock clamps a negative timeout to 0: one try, no wait. */
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        CU_ASSERT_EQUAL(mpr_deadline_init(&d, 1, values[i]), 0);
        CU_ASSERT_EQUAL(mpr_deadline_remaining(&d, &rel), 0);
        CU_ASSERT(rel.tv_sec == 0 && rel.tv_nsec == 0);
        CU_ASSERT_EQUAL(mpr_deadline_seconds(&d), 0.0);
    }
}

static void test_timeout_nonblocking_ignores_timeout(void)
{
    mpr_deadline_t d;
    struct timespec rel;

    CU_ASSERT_EQUAL(mpr_deadline_init(&d, 0, 10.0), 0);
    CU_ASSERT_EQUAL(mpr_deadline_remaining(&d, &rel), 0);
    CU_ASSERT_EQUAL(mpr_deadline_init(&d, 0, MPR_TIMEOUT_NONE), 0);
    CU_ASSERT_FALSE(d.infinite);
    CU_ASSERT_EQUAL(mpr_deadline_remaining(&d, &rel), 0);
}

static void test_timeout_nan_and_huge_are_einval(void)
{
    mpr_deadline_t d;

    /* CPython: lock.acquire(timeout=nan) and timeout=9.3e18 raise
     * OSError: [Errno 22] Invalid argument. */
    CU_ASSERT_EQUAL(mpr_deadline_init(&d, 1, NAN), -EINVAL);
    CU_ASSERT_EQUAL(mpr_deadline_init(&d, 1, 9.3e18), -EINVAL);
    CU_ASSERT_STRING_EQUAL(mpr_strerror(-EINVAL),
                           "[Errno 22] Invalid argument");
    CU_ASSERT_EQUAL(mpr_deadline_init(&d, 1, 1e18), 0);
}

static void test_timeout_remaining_decreases(void)
{
    mpr_deadline_t d;
    struct timespec rel;

    mpr_deadline_init(&d, 1, 0.05);
    CU_ASSERT_EQUAL(mpr_deadline_remaining(&d, &rel), 1);
    CU_ASSERT_EQUAL(mpr_sleep(0.06 / mpr_time_scale()), 0);
    CU_ASSERT_EQUAL(mpr_deadline_remaining(&d, &rel), 0);
}

static void test_timeout_sleep_rejects_bad_lengths(void)
{
    CU_ASSERT_EQUAL(mpr_sleep(-1.0), MPR_EVALUE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "sleep length must be non-negative");
    CU_ASSERT_EQUAL(mpr_sleep(NAN), MPR_EVALUE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "Invalid value NaN (not a number)");
    CU_ASSERT_EQUAL(mpr_sleep(1e300), MPR_EOVERFLOW);
    CU_ASSERT_EQUAL(mpr_sleep(0.0), 0);
}

/* In a child, so the once-read scale starts from this environment. */
static int child_scaled_sleep(void *arg)
{
    double t0, elapsed;

    setenv("MP_TIME_SCALE", (const char *)arg, 1);
    mpr__time_scale_reset();
    t0 = mpr_monotonic();
    if (mpr_sleep(1.0) != 0)
        return 10;
    elapsed = mpr_monotonic() - t0;
    return elapsed >= mpr_time_scale() && elapsed < mpr_time_scale() + 0.5
               ? (int)(mpr_time_scale() * 100 + 0.5)
               : 11;
}

static void test_timeout_sleep_honours_time_scale(void)
{
    CU_ASSERT_EQUAL(mprtest_run_child(child_scaled_sleep, "0.05", 10), 5);
    CU_ASSERT_EQUAL(mprtest_run_child(child_scaled_sleep, "0.2", 10), 20);
    /* Unparsable or negative values mean 1.0 (no scaling), never 0. */
    CU_ASSERT_EQUAL(mprtest_run_child(child_scaled_sleep, "-3", 10), 100);
    CU_ASSERT_EQUAL(mprtest_run_child(child_scaled_sleep, "fast", 10), 100);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
}

static int child_sleep_through_signals(void *arg)
{
    struct sigaction sa;
    struct itimerval it = {{0, 20000}, {0, 20000}};
    double t0, elapsed;

    (void)arg;
    setenv("MP_TIME_SCALE", "1", 1);
    mpr__time_scale_reset();
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_alarm; /* no SA_RESTART: nanosleep sees EINTR */
    sigaction(SIGALRM, &sa, NULL);
    setitimer(ITIMER_REAL, &it, NULL);
    t0 = mpr_monotonic();
    if (mpr_sleep(0.2) != 0)
        return 10;
    elapsed = mpr_monotonic() - t0;
    if (alarms < 3)
        return 11; /* the signals never interrupted the sleep */
    return elapsed >= 0.2 && elapsed < 0.4 ? 0 : 12;
}

static void test_timeout_sleep_resumes_after_eintr(void)
{
    CU_ASSERT_EQUAL(mprtest_run_child(child_sleep_through_signals, NULL, 10),
                    0);
}

static int failing_nanosleep(const void *req, void *rem)
{
    (void)req;
    (void)rem;
    errno = EFAULT;
    return -1;
}

static void test_timeout_sleep_reports_os_errors(void)
{
    mpr__sys.nanosleep = failing_nanosleep;
    CU_ASSERT_EQUAL(mpr_sleep(0.5), -EFAULT);
    mpr__sys_reset();
    CU_ASSERT_EQUAL(mpr_sleep(0.0), 0);
}

int mprtest_register(CU_pSuite s)
{
    MPRTEST_ADD(s, test_timeout_none_is_infinite,
                "timeout None gives an infinite deadline");
    MPRTEST_ADD(s, test_timeout_deadline_is_now_plus_timeout,
                "a deadline is CLOCK_MONOTONIC now plus the timeout");
    MPRTEST_ADD(s, test_timeout_zero_and_negative_expire_at_once,
                "zero and negative timeouts mean one try, as SemLock");
    MPRTEST_ADD(s, test_timeout_nonblocking_ignores_timeout,
                "block=False ignores the timeout");
    MPRTEST_ADD(s, test_timeout_nan_and_huge_are_einval,
                "NaN and oversized timeouts are OSError EINVAL");
    MPRTEST_ADD(s, test_timeout_remaining_decreases,
                "time remaining reaches zero once the deadline passes");
    MPRTEST_ADD(s, test_timeout_sleep_rejects_bad_lengths,
                "sleep rejects negative, NaN and huge lengths as CPython");
    MPRTEST_ADD(s, test_timeout_sleep_honours_time_scale,
                "sleep is scaled by MP_TIME_SCALE");
    MPRTEST_ADD(s, test_timeout_sleep_resumes_after_eintr,
                "sleep resumes after EINTR for the remaining time");
    MPRTEST_ADD(s, test_timeout_sleep_reports_os_errors,
                "sleep turns an OS failure into -errno");
    return 0;
}
