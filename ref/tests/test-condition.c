/*
 * test-condition.c - multiprocessing.Condition: errors without the lock,
 * wait/wait_for results and timeouts, notify(n) and notify_all across
 * processes, timed-out waiters leaving no residue, reprs.
 */
#include "mpr/condition.h"
#include "mpr/error.h"
#include "mpr/timeout.h"
#include "mprtest.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

const char *mprtest_suite_name = "condition";

static mpr_cond_t *cv;
static int *shared; /* [0] woken count, [1] predicate flag */

#define ASSERT_REPR(obj, expected)                                             \
    do {                                                                       \
        char *s_ = NULL;                                                       \
        CU_ASSERT_EQUAL(mpr_cond_repr((obj), &s_, NULL), 0);                   \
        CU_ASSERT_STRING_EQUAL(s_ ? s_ : "", (expected));                      \
        free(s_);                                                              \
    } while (0)

static void map_shared(void)
{
    shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CU_ASSERT_FATAL(shared != MAP_FAILED);
}

static void unmap_shared(void)
{
    munmap(shared, 4096);
}

static void test_condition_reprs(void)
{
    mpr_cond_t *c;
    mpr_lock_t *l;

    CU_ASSERT_EQUAL_FATAL(mpr_cond_new(&c, NULL), 0);
    ASSERT_REPR(c, "<Condition(<RLock(None, 0)>, 0)>");
    mpr_cond_enter(c);
    ASSERT_REPR(c, "<Condition(<RLock(MainProcess, 1)>, 0)>");
    mpr_cond_exit(c);
    mpr_cond_free(c);
    CU_ASSERT_EQUAL_FATAL(mpr_lock_new(&l), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_cond_new(&c, l), 0);
    mpr_lock_free(l); /* the condition keeps its own reference */
    ASSERT_REPR(c, "<Condition(<Lock(owner=None)>, 0)>");
    CU_ASSERT_PTR_NOT_NULL(mpr_cond_get_lock(c));
    mpr_cond_free(c);
}

static int five(void *arg)
{
    (void)arg;
    return 5;
}

static int zero(void *arg)
{
    (void)arg;
    return 0;
}

static void test_condition_use_without_lock_is_assertion(void)
{
    mpr_cond_t *c;

    CU_ASSERT_EQUAL_FATAL(mpr_cond_new(&c, NULL), 0);
    CU_ASSERT_EQUAL(mpr_cond_wait(c, 0.1), MPR_EASSERT);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "must acquire() condition before using wait()");
    CU_ASSERT_EQUAL(mpr_cond_notify(c, 1), MPR_EASSERT);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "lock is not owned");
    CU_ASSERT_EQUAL(mpr_cond_notify_all(c), MPR_EASSERT);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "lock is not owned");
    /* A predicate already true needs no lock (CPython returns it). */
    CU_ASSERT_EQUAL(mpr_cond_wait_for(c, five, NULL, MPR_TIMEOUT_NONE), 5);
    CU_ASSERT_EQUAL(mpr_cond_wait_for(c, zero, NULL, 0.1), MPR_EASSERT);
    mpr_cond_free(c);
}

static void test_condition_wait_timeouts(void)
{
    mpr_cond_t *c;
    double t0;

    CU_ASSERT_EQUAL_FATAL(mpr_cond_new(&c, NULL), 0);
    mpr_cond_enter(c);
    mpr_cond_enter(c); /* depth 2: wait releases both levels */
    t0 = mpr_monotonic();
    CU_ASSERT_EQUAL(mpr_cond_wait(c, 0.2), 0);
    CU_ASSERT(mpr_monotonic() - t0 >= 0.2 && mpr_monotonic() - t0 < 0.4);
    CU_ASSERT_EQUAL(mpr_semlock_count(mpr_cond_get_lock(c)), 2);
    t0 = mpr_monotonic();
    CU_ASSERT_EQUAL(mpr_cond_wait(c, -1.0), 0);
    CU_ASSERT_EQUAL(mpr_cond_wait(c, 0.0), 0);
    CU_ASSERT(mpr_monotonic() - t0 < 0.05);
    CU_ASSERT_EQUAL(mpr_cond_notify(c, 1), 0); /* nobody waits: no-op */
    CU_ASSERT_EQUAL(mpr_cond_wait_for(c, five, NULL, MPR_TIMEOUT_NONE), 5);
    t0 = mpr_monotonic();
    CU_ASSERT_EQUAL(mpr_cond_wait_for(c, zero, NULL, 0.2), 0);
    CU_ASSERT(mpr_monotonic() - t0 >= 0.19 && mpr_monotonic() - t0 < 0.4);
    ASSERT_REPR(c, "<Condition(<RLock(MainProcess, 2)>, 0)>");
    mpr_cond_exit(c);
    mpr_cond_exit(c);
    mpr_cond_free(c);
}

/* A child waits up to 5 s; exit 0 when notified (wait returned 1). */
static int child_wait(void *arg)
{
    int r;

    (void)arg;
    mpr_cond_enter(cv);
    r = mpr_cond_wait(cv, 5.0);
    if (r == 1)
        __atomic_add_fetch(&shared[0], 1, __ATOMIC_SEQ_CST);
    mpr_cond_exit(cv);
    return r == 1 ? 0 : 1;
}

static int waiters(void)
{
    char *s = NULL;
    int n = -1;

    mpr_cond_repr(cv, &s, NULL);
    if (s != NULL) {
        char *comma = strrchr(s, ',');
        n = comma ? atoi(comma + 1) : -1;
        free(s);
    }
    return n;
}

static void wait_for_waiters(int n)
{
    double t0 = mpr_monotonic();

    while (waiters() != n && mpr_monotonic() - t0 < 5.0)
        mpr_sleep(0.005 / mpr_time_scale());
}

static int woken(void)
{
    return __atomic_load_n(&shared[0], __ATOMIC_SEQ_CST);
}

static void test_condition_notify_n_across_processes(void)
{
    pid_t pids[6];

    map_shared();
    CU_ASSERT_EQUAL_FATAL(mpr_cond_new(&cv, NULL), 0);
    for (int i = 0; i < 6; i++)
        pids[i] = mprtest_fork(child_wait, NULL);
    wait_for_waiters(6);
    CU_ASSERT_EQUAL(waiters(), 6);
    mpr_sleep(0.05 / mpr_time_scale());
    CU_ASSERT_EQUAL(woken(), 0); /* nobody wakes spontaneously */
    mpr_cond_enter(cv);
    CU_ASSERT_EQUAL(mpr_cond_notify(cv, 2), 0);
    mpr_cond_exit(cv);
    /* notify returns once the two have woken (woken_count). */
    wait_for_waiters(4);
    CU_ASSERT_EQUAL(waiters(), 4);
    mpr_sleep(0.05 / mpr_time_scale());
    CU_ASSERT_EQUAL(woken(), 2);
    mpr_cond_enter(cv);
    CU_ASSERT_EQUAL(mpr_cond_notify(cv, 1), 0);
    mpr_cond_exit(cv);
    wait_for_waiters(3);
    mpr_cond_enter(cv);
    CU_ASSERT_EQUAL(mpr_cond_notify_all(cv), 0);
    CU_ASSERT_EQUAL(mpr_cond_notify(cv, 3), 0); /* nobody left */
    mpr_cond_exit(cv);
    for (int i = 0; i < 6; i++)
        CU_ASSERT_EQUAL(mprtest_wait(pids[i], 10), 0);
    CU_ASSERT_EQUAL(woken(), 6);
    CU_ASSERT_EQUAL(waiters(), 0);
    mpr_cond_free(cv);
    unmap_shared();
}

static int child_wait_short(void *arg)
{
    int r;

    (void)arg;
    mpr_cond_enter(cv);
    r = mpr_cond_wait(cv, 0.05);
    mpr_cond_exit(cv);
    return r == 0 ? 0 : 1;
}

static void test_condition_timed_out_waiters_leave_no_residue(void)
{
    pid_t pids[3];

    map_shared();
    CU_ASSERT_EQUAL_FATAL(mpr_cond_new(&cv, NULL), 0);
    for (int i = 0; i < 3; i++)
        pids[i] = mprtest_fork(child_wait_short, NULL);
    for (int i = 0; i < 3; i++)
        CU_ASSERT_EQUAL(mprtest_wait(pids[i], 10), 0);
    /* Fresh waiters are all woken by one notify_all. */
    for (int i = 0; i < 3; i++)
        pids[i] = mprtest_fork(child_wait, NULL);
    wait_for_waiters(3);
    mpr_cond_enter(cv);
    mpr_cond_notify_all(cv);
    mpr_cond_exit(cv);
    for (int i = 0; i < 3; i++)
        CU_ASSERT_EQUAL(mprtest_wait(pids[i], 10), 0);
    CU_ASSERT_EQUAL(woken(), 3);
    mpr_cond_free(cv);
    unmap_shared();
}

static int flag_set(void *arg)
{
    return __atomic_load_n((int *)arg, __ATOMIC_SEQ_CST);
}

static int child_set_flag(void *arg)
{
    (void)arg;
    mpr_sleep(0.1 / mpr_time_scale());
    mpr_cond_enter(cv);
    __atomic_store_n(&shared[1], 7, __ATOMIC_SEQ_CST);
    mpr_cond_notify(cv, 1);
    mpr_cond_exit(cv);
    return 0;
}

static void test_condition_wait_for_predicate_set_by_child(void)
{
    pid_t pid;

    map_shared();
    CU_ASSERT_EQUAL_FATAL(mpr_cond_new(&cv, NULL), 0);
    pid = mprtest_fork(child_set_flag, NULL);
    mpr_cond_enter(cv);
    CU_ASSERT_EQUAL(mpr_cond_wait_for(cv, flag_set, &shared[1], 5.0), 7);
    mpr_cond_exit(cv);
    CU_ASSERT_EQUAL(mprtest_wait(pid, 10), 0);
    mpr_cond_free(cv);
    unmap_shared();
}

static int child_rebuilt_notifies(void *arg)
{
    mpr_cond_t *c;

    if (mpr_cond_rebuild(&c, arg) != 0)
        return 10;
    mpr_cond_enter(c);
    __atomic_store_n(&shared[1], 1, __ATOMIC_SEQ_CST);
    mpr_cond_notify_all(c);
    mpr_cond_exit(c);
    mpr_cond_free(c);
    return 0;
}

static void test_condition_token_rebuilds_the_same_condition(void)
{
    mpr_obj_t *tok;
    pid_t pid;

    map_shared();
    CU_ASSERT_EQUAL_FATAL(mpr_cond_new(&cv, NULL), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_cond_reduce(cv, &tok), 0);
    mpr_cond_enter(cv);
    pid = mprtest_fork(child_rebuilt_notifies, tok);
    CU_ASSERT_EQUAL(mpr_cond_wait_for(cv, flag_set, &shared[1], 5.0), 1);
    mpr_cond_exit(cv);
    CU_ASSERT_EQUAL(mprtest_wait(pid, 10), 0);
    mpr_obj_decref(tok);
    mpr_cond_free(cv);
    unmap_shared();
}

/* rebuild(tok) of a token built from a real one; returns its result and
 * frees what a wrong success made. */
static int rebuild_str(const char *tok)
{
    mpr_obj_t *o = mpr_obj_str(tok);
    mpr_cond_t *c = NULL;
    int rc = mpr_cond_rebuild(&c, o);

    if (rc == 0)
        mpr_cond_free(c);
    mpr_obj_decref(o);
    return rc;
}

/* Every malformed part of a token ("C" S<off>@<segment> "|" <segment>,
 * a segment being pid:fd:size:ino) is ValueError "bad shared handle",
 * and a failed rebuild leaves no mapping or descriptor behind. */
static void test_condition_malformed_tokens_are_bad_shared_handles(void)
{
    mpr_obj_t *tok, *num = mpr_obj_int(1);
    mpr_cond_t *c = NULL;
    char t[256], v[300], lock[160], seg[96];
    const char *bar, *at;
    unsigned long long pid, fd, size, ino;

    CU_ASSERT_EQUAL_FATAL(mpr_cond_new(&cv, NULL), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_cond_reduce(cv, &tok), 0);
    snprintf(t, sizeof(t), "%s", mpr_obj_str_utf8(tok, NULL));
    bar = strchr(t, '|');
    at = strchr(t, '@');
    CU_ASSERT_FATAL(t[0] == 'C' && t[1] == 'S' && bar != NULL && at != NULL);
    snprintf(lock, sizeof(lock), "%.*s", (int)(bar - t - 1), t + 1);
    snprintf(seg, sizeof(seg), "%s", bar + 1);
    CU_ASSERT_FATAL(
        sscanf(seg, "%llu:%llu:%llu:%llu", &pid, &fd, &size, &ino) == 4);
    CU_ASSERT_EQUAL(rebuild_str(t), 0); /* the real one works */

    CU_ASSERT_EQUAL(mpr_cond_rebuild(&c, num), MPR_EVALUE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "bad shared handle");
    snprintf(v, sizeof(v), "X%s", t + 1); /* another object's tag */
    CU_ASSERT_EQUAL(rebuild_str(v), MPR_EVALUE);
    snprintf(v, sizeof(v), "CX%s", t + 2); /* the lock's tag */
    CU_ASSERT_EQUAL(rebuild_str(v), MPR_EVALUE);
    snprintf(v, sizeof(v), "CS%s", at); /* no offset */
    CU_ASSERT_EQUAL(rebuild_str(v), MPR_EVALUE);
    snprintf(v, sizeof(v), "CS99999999%s", at); /* past the segment */
    CU_ASSERT_EQUAL(rebuild_str(v), MPR_EVALUE);
    snprintf(v, sizeof(v), "C%s#%s", lock, seg); /* no '|' */
    CU_ASSERT_EQUAL(rebuild_str(v), MPR_EVALUE);
    snprintf(v, sizeof(v), "%sx", t); /* trailing bytes */
    CU_ASSERT_EQUAL(rebuild_str(v), MPR_EVALUE);
    snprintf(v, sizeof(v), "C%s|0:%llu:%llu:%llu", lock, fd, size, ino);
    CU_ASSERT_EQUAL(rebuild_str(v), MPR_EVALUE); /* pid 0 */
    snprintf(v, sizeof(v), "C%s|%llu:%llu", lock, pid, fd);
    CU_ASSERT_EQUAL(rebuild_str(v), MPR_EVALUE); /* cut short */
    snprintf(v, sizeof(v), "C%s|%llu:%llu:%llu:", lock, pid, fd, size);
    CU_ASSERT_EQUAL(rebuild_str(v), MPR_EVALUE); /* no inode */
    snprintf(v, sizeof(v), "C%s|%llu:%llu:%llu:%llu", lock, pid, fd, size * 64,
             ino);
    CU_ASSERT_EQUAL(rebuild_str(v), MPR_EVALUE); /* larger than it is */
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "bad shared handle");
    mpr_obj_decref(tok);
    mpr_obj_decref(num);
    mpr_cond_free(cv);
    cv = NULL;
}

int mprtest_register(CU_pSuite s)
{
    MPRTEST_ADD(s, test_condition_reprs,
                "reprs show the lock and the number of waiters");
    MPRTEST_ADD(s, test_condition_use_without_lock_is_assertion,
                "wait and notify without the lock are AssertionError");
    MPRTEST_ADD(s, test_condition_wait_timeouts,
                "wait and wait_for time out as CPython and restore the lock");
    MPRTEST_ADD(s, test_condition_notify_n_across_processes,
                "notify(n) wakes exactly n waiters in other processes");
    MPRTEST_ADD(s, test_condition_timed_out_waiters_leave_no_residue,
                "timed-out waiters leave no residue for notify_all");
    MPRTEST_ADD(s, test_condition_wait_for_predicate_set_by_child,
                "wait_for returns the predicate's value set by a child");
    MPRTEST_ADD(s, test_condition_malformed_tokens_are_bad_shared_handles,
                "each malformed part of a token is 'bad shared handle'");
    MPRTEST_ADD(s, test_condition_token_rebuilds_the_same_condition,
                "a token rebuilds the same Condition in another process");
    return 0;
}
