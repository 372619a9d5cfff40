/*
 * test-barrier.c - multiprocessing.Barrier: arrival indices, release
 * together, action, abort, reset, timeouts breaking it for every party,
 * Barrier(0), n_waiting, reprs.
 */
#include "mpr/barrier.h"
#include "mpr/error.h"
#include "mpr/timeout.h"
#include "mprtest.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

const char *mprtest_suite_name = "barrier";

#define BROKEN MPR_EBROKENBARRIER

static mpr_barrier_t *bar;
static double *times; /* shared: per-party release times, counters */

static void map_shared(void)
{
    times = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                 -1, 0);
    CU_ASSERT_FATAL(times != MAP_FAILED);
}

static void unmap_shared(void)
{
    munmap(times, 4096);
}

static void assert_repr(mpr_barrier_t *b, const char *tail)
{
    char *s = NULL, want[128];

    snprintf(want, sizeof(want),
             "<multiprocessing.synchronize.Barrier at %p: %s>", (void *)b,
             tail);
    CU_ASSERT_EQUAL(mpr_barrier_repr(b, &s, NULL), 0);
    CU_ASSERT_STRING_EQUAL(s ? s : "", want);
    free(s);
}

static void test_barrier_attributes_and_reprs(void)
{
    mpr_barrier_t *b;

    CU_ASSERT_EQUAL_FATAL(mpr_barrier_new(&b, 3, NULL), 0);
    CU_ASSERT_EQUAL(mpr_barrier_parties(b), 3);
    CU_ASSERT_EQUAL(mpr_barrier_n_waiting(b), 0);
    CU_ASSERT_EQUAL(mpr_barrier_broken(b), 0);
    assert_repr(b, "waiters=0/3");
    CU_ASSERT_EQUAL(mpr_barrier_abort(b), 0);
    CU_ASSERT_EQUAL(mpr_barrier_broken(b), 1);
    assert_repr(b, "broken");
    CU_ASSERT_EQUAL(mpr_barrier_wait(b, MPR_TIMEOUT_NONE), BROKEN);
    CU_ASSERT_STRING_EQUAL(mpr_err_pytype(BROKEN),
                           "threading.BrokenBarrierError");
    CU_ASSERT_EQUAL(mpr_barrier_reset(b), 0);
    CU_ASSERT_EQUAL(mpr_barrier_broken(b), 0);
    mpr_barrier_free(b);
}

static void test_barrier_single_party_never_blocks(void)
{
    mpr_barrier_t *b;

    CU_ASSERT_EQUAL_FATAL(mpr_barrier_new(&b, 1, NULL), 0);
    for (int i = 0; i < 3; i++)
        CU_ASSERT_EQUAL(mpr_barrier_wait(b, MPR_TIMEOUT_NONE), 0);
    mpr_barrier_free(b);
}

static void test_barrier_timeout_breaks_it(void)
{
    mpr_barrier_t *b;
    mpr_barrier_options_t o = {.has_timeout = 1, .timeout = 0.1};
    double t0;

    CU_ASSERT_EQUAL_FATAL(mpr_barrier_new(&b, 3, NULL), 0);
    t0 = mpr_monotonic();
    CU_ASSERT_EQUAL(mpr_barrier_wait(b, 0.2), BROKEN);
    CU_ASSERT(mpr_monotonic() - t0 >= 0.19 && mpr_monotonic() - t0 < 0.4);
    CU_ASSERT_EQUAL(mpr_barrier_broken(b), 1);
    t0 = mpr_monotonic();
    CU_ASSERT_EQUAL(mpr_barrier_wait(b, MPR_TIMEOUT_NONE), BROKEN);
    CU_ASSERT(mpr_monotonic() - t0 < 0.05);
    mpr_barrier_reset(b);
    CU_ASSERT_EQUAL(mpr_barrier_wait(b, -1.0), BROKEN); /* at once */
    CU_ASSERT(mpr_monotonic() - t0 < 0.05);
    /* A NaN timeout is OSError and leaves the barrier whole (CPython). */
    mpr_barrier_reset(b);
    CU_ASSERT_EQUAL(mpr_barrier_wait(b, NAN), -EINVAL);
    CU_ASSERT_EQUAL(mpr_barrier_broken(b), 0);
    CU_ASSERT_EQUAL(mpr_barrier_n_waiting(b), 0);
    mpr_barrier_free(b);
    /* The constructor's timeout applies to a bare wait(). */
    CU_ASSERT_EQUAL_FATAL(mpr_barrier_new(&b, 2, &o), 0);
    t0 = mpr_monotonic();
    CU_ASSERT_EQUAL(mpr_barrier_wait(b, MPR_TIMEOUT_NONE), BROKEN);
    CU_ASSERT(mpr_monotonic() - t0 >= 0.09 && mpr_monotonic() - t0 < 0.3);
    mpr_barrier_free(b);
}

static void test_barrier_zero_and_negative_parties(void)
{
    mpr_barrier_t *b;
    double t0;

    /* Accepted in 3.11; such a barrier only ends by timeout. */
    CU_ASSERT_EQUAL_FATAL(mpr_barrier_new(&b, 0, NULL), 0);
    assert_repr(b, "waiters=0/0");
    t0 = mpr_monotonic();
    CU_ASSERT_EQUAL(mpr_barrier_wait(b, 0.1), BROKEN);
    CU_ASSERT(mpr_monotonic() - t0 >= 0.09);
    mpr_barrier_free(b);
    CU_ASSERT_EQUAL_FATAL(mpr_barrier_new(&b, -1, NULL), 0);
    assert_repr(b, "waiters=0/-1");
    mpr_barrier_free(b);
}

/* Party i: wait, record the release time, exit with 10 + arrival index. */
static int child_party(void *arg)
{
    int r = mpr_barrier_wait(bar, 10.0);

    times[(long)arg] = mpr_monotonic();
    return r >= 0 ? 10 + r : (r == BROKEN ? 2 : 3);
}

static void test_barrier_indices_and_release_together(void)
{
    pid_t pids[2];
    int seen = 0, r;
    double t0 = mpr_monotonic();

    map_shared();
    CU_ASSERT_EQUAL_FATAL(mpr_barrier_new(&bar, 3, NULL), 0);
    for (long i = 0; i < 2; i++)
        pids[i] = mprtest_fork(child_party, (void *)i);
    /* One party (this one) arrives 0.5 s late: nobody leaves before. */
    mpr_sleep(0.5 / mpr_time_scale());
    CU_ASSERT_EQUAL(mpr_barrier_n_waiting(bar), 2);
    r = mpr_barrier_wait(bar, 10.0);
    times[2] = mpr_monotonic();
    CU_ASSERT_EQUAL(r, 2); /* last to arrive */
    seen |= 1 << r;
    for (int i = 0; i < 2; i++) {
        int code = mprtest_wait(pids[i], 10) - 10;
        CU_ASSERT(code >= 0 && code < 3);
        if (code >= 0 && code < 3)
            seen |= 1 << code;
    }
    CU_ASSERT_EQUAL(seen, 7); /* {0, 1, 2} */
    for (int i = 0; i < 3; i++) {
        CU_ASSERT(times[i] - t0 >= 0.5);
        CU_ASSERT(fabs(times[i] - times[2]) < 0.1);
    }
    CU_ASSERT_EQUAL(mpr_barrier_n_waiting(bar), 0);
    CU_ASSERT_EQUAL(mpr_barrier_broken(bar), 0);
    mpr_barrier_free(bar);
    unmap_shared();
}

static long *passes; /* [0] action runs, [1] parties past the barrier */

static int count_action(void *arg)
{
    (void)arg;
    /* Before anyone is released: every party passed every earlier round
     * and nobody this one. */
    passes[0]++;
    return __atomic_load_n(&passes[1], __ATOMIC_SEQ_CST) == 3 * (passes[0] - 1)
               ? 0
               : MPR_EVALUE;
}

static int child_rounds(void *arg)
{
    for (long i = 0; i < (long)arg; i++) {
        if (mpr_barrier_wait(bar, 10.0) < 0)
            return 1;
        /* The next action needs this party back: exactly i + 1 ran. */
        if (__atomic_load_n(&passes[0], __ATOMIC_SEQ_CST) != i + 1)
            return 2;
        __atomic_add_fetch(&passes[1], 1, __ATOMIC_SEQ_CST);
    }
    return 0;
}

static void test_barrier_action_runs_once_per_round(void)
{
    mpr_barrier_options_t o = {.action = count_action};
    pid_t pids[3];

    map_shared();
    passes = (long *)(times + 64);
    CU_ASSERT_EQUAL_FATAL(mpr_barrier_new(&bar, 3, &o), 0);
    for (int i = 0; i < 3; i++)
        pids[i] = mprtest_fork(child_rounds, (void *)200L);
    for (int i = 0; i < 3; i++)
        CU_ASSERT_EQUAL(mprtest_wait(pids[i], 60), 0);
    CU_ASSERT_EQUAL(passes[0], 200);
    CU_ASSERT_EQUAL(passes[1], 600);
    CU_ASSERT_EQUAL(mpr_barrier_broken(bar), 0);
    mpr_barrier_free(bar);
    unmap_shared();
}

static int failing_action(void *arg)
{
    (void)arg;
    return MPR_EVALUE;
}

static void test_barrier_failing_action_breaks_it(void)
{
    mpr_barrier_options_t o = {.action = failing_action};
    pid_t pid;

    map_shared();
    CU_ASSERT_EQUAL_FATAL(mpr_barrier_new(&bar, 2, &o), 0);
    pid = mprtest_fork(child_party, (void *)0L);
    mpr_sleep(0.05 / mpr_time_scale());
    CU_ASSERT_EQUAL(mpr_barrier_wait(bar, 10.0), MPR_EVALUE);
    CU_ASSERT_EQUAL(mprtest_wait(pid, 10), 2); /* BrokenBarrierError */
    CU_ASSERT_EQUAL(mpr_barrier_broken(bar), 1);
    mpr_barrier_free(bar);
    unmap_shared();
}

static void wait_n_waiting(int n)
{
    double t0 = mpr_monotonic();

    while (mpr_barrier_n_waiting(bar) != n && mpr_monotonic() - t0 < 5.0)
        mpr_sleep(0.005 / mpr_time_scale());
}

static void check_breaker(int (*breaker)(mpr_barrier_t *), int broken_after)
{
    pid_t pids[2];

    map_shared();
    CU_ASSERT_EQUAL_FATAL(mpr_barrier_new(&bar, 3, NULL), 0);
    for (long i = 0; i < 2; i++)
        pids[i] = mprtest_fork(child_party, (void *)i);
    wait_n_waiting(2);
    CU_ASSERT_EQUAL(mpr_barrier_n_waiting(bar), 2);
    CU_ASSERT_EQUAL(breaker(bar), 0);
    for (int i = 0; i < 2; i++)
        CU_ASSERT_EQUAL(mprtest_wait(pids[i], 10), 2);
    CU_ASSERT_EQUAL(mpr_barrier_broken(bar), broken_after);
    /* After a reset, all parties pass again. */
    mpr_barrier_reset(bar);
    for (long i = 0; i < 2; i++)
        pids[i] = mprtest_fork(child_party, (void *)i);
    CU_ASSERT(mpr_barrier_wait(bar, 10.0) >= 0);
    for (int i = 0; i < 2; i++)
        CU_ASSERT(mprtest_wait(pids[i], 10) >= 10);
    mpr_barrier_free(bar);
    unmap_shared();
}

static void test_barrier_abort_breaks_waiters(void)
{
    check_breaker(mpr_barrier_abort, 1);
}

static void test_barrier_reset_breaks_waiters(void)
{
    check_breaker(mpr_barrier_reset, 0);
}

static int child_late_timeout(void *arg)
{
    (void)arg;
    return mpr_barrier_wait(bar, 0.2) == BROKEN ? 0 : 1;
}

static void test_barrier_timeout_breaks_every_party(void)
{
    pid_t pid;

    CU_ASSERT_EQUAL_FATAL(mpr_barrier_new(&bar, 3, NULL), 0);
    pid = mprtest_fork(child_late_timeout, NULL);
    /* This party waits longer, but the child's timeout breaks it too. */
    CU_ASSERT_EQUAL(mpr_barrier_wait(bar, 5.0), BROKEN);
    CU_ASSERT_EQUAL(mprtest_wait(pid, 10), 0);
    mpr_barrier_free(bar);
}

static int child_rebuilt_party(void *arg)
{
    mpr_barrier_t *b;
    int r;

    if (mpr_barrier_rebuild(&b, arg, NULL) != 0)
        return 1;
    r = mpr_barrier_wait(b, 10.0);
    mpr_barrier_free(b);
    return r >= 0 ? 10 + r : 2;
}

static void test_barrier_token_rebuilds_the_same_barrier(void)
{
    mpr_obj_t *tok;
    pid_t pid;
    int mine;

    CU_ASSERT_EQUAL_FATAL(mpr_barrier_new(&bar, 2, NULL), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_barrier_reduce(bar, &tok), 0);
    pid = mprtest_fork(child_rebuilt_party, tok);
    mine = mpr_barrier_wait(bar, 10.0);

    /* Indices 0 and 1, in either order. */
    CU_ASSERT_EQUAL(mine + mprtest_wait(pid, 10), 11);
    mpr_obj_decref(tok);
    mpr_barrier_free(bar);
}

int mprtest_register(CU_pSuite s)
{
    MPRTEST_ADD(s, test_barrier_attributes_and_reprs,
                "parties, n_waiting, broken, abort, reset and reprs");
    MPRTEST_ADD(s, test_barrier_single_party_never_blocks,
                "Barrier(1).wait() returns 0 every time");
    MPRTEST_ADD(s, test_barrier_timeout_breaks_it,
                "a timeout, a negative timeout or the default one break it");
    MPRTEST_ADD(s, test_barrier_zero_and_negative_parties,
                "Barrier(0) and Barrier(-1) are accepted as in 3.11");
    MPRTEST_ADD(
        s, test_barrier_indices_and_release_together,
        "arrival indices 0..2; a party 0.5 s late releases all together");
    MPRTEST_ADD(s, test_barrier_action_runs_once_per_round,
                "the action runs once per round before the release");
    MPRTEST_ADD(s, test_barrier_failing_action_breaks_it,
                "a failing action breaks the barrier for everyone");
    MPRTEST_ADD(s, test_barrier_abort_breaks_waiters,
                "abort gives every waiter BrokenBarrierError");
    MPRTEST_ADD(s, test_barrier_reset_breaks_waiters,
                "reset gives every waiter BrokenBarrierError, then it works");
    MPRTEST_ADD(s, test_barrier_timeout_breaks_every_party,
                "one party's timeout breaks the barrier for all");
    MPRTEST_ADD(s, test_barrier_token_rebuilds_the_same_barrier,
                "a token rebuilds the same Barrier in another process");
    return 0;
}
