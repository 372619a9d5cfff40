/*
 * test-lock.c - multiprocessing.Lock: CPython 3.11's results, errors and
 * reprs, mutual exclusion and wake-ups across processes, timeouts that
 * survive signals, a holder or a waiter killed.
 */
#include "mpr/lock.h"
#include "mpr/barrier.h"
#include "mpr/condition.h"
#include "mpr/event.h"
#include "mpr/sharedctypes.h"
#include "mpr/error.h"
#include "mpr/timeout.h"
#include "base/internal.h"
#include "base/shm.h"
#include "mprtest.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>

const char *mprtest_suite_name = "lock";

static mpr_lock_t *lk;

#define ASSERT_REPR(obj, expected)                                             \
    do {                                                                       \
        char *s_ = NULL;                                                       \
        CU_ASSERT_EQUAL(mpr_lock_repr((obj), &s_, NULL), 0);                   \
        CU_ASSERT_STRING_EQUAL(s_ ? s_ : "", (expected));                      \
        free(s_);                                                              \
    } while (0)

static void test_lock_repr_free_and_held(void)
{
    mpr_lock_t *l;

    CU_ASSERT_EQUAL_FATAL(mpr_lock_new(&l), 0);
    ASSERT_REPR(l, "<Lock(owner=None)>");
    CU_ASSERT_EQUAL(mpr_lock_acquire(l, 1, MPR_TIMEOUT_NONE), 1);
    ASSERT_REPR(l, "<Lock(owner=MainProcess)>");
    CU_ASSERT_EQUAL(mpr_semlock_get_value(l), 0);
    CU_ASSERT_EQUAL(mpr_lock_release(l), 0);
    ASSERT_REPR(l, "<Lock(owner=None)>");
    mpr_lock_free(l);
}

static void test_lock_acquire_results_follow_cpython(void)
{
    mpr_lock_t *l;
    double t0;

    CU_ASSERT_EQUAL_FATAL(mpr_lock_new(&l), 0);
    CU_ASSERT_EQUAL(mpr_lock_acquire(l, 1, -5.0), 1); /* free, negative */
    t0 = mpr_monotonic();
    /* Not reentrant; block=False ignores the timeout; negative = once. */
    CU_ASSERT_EQUAL(mpr_lock_acquire(l, 0, MPR_TIMEOUT_NONE), 0);
    CU_ASSERT_EQUAL(mpr_lock_acquire(l, 0, 5.0), 0);
    CU_ASSERT_EQUAL(mpr_lock_acquire(l, 1, -1.0), 0);
    CU_ASSERT_EQUAL(mpr_lock_acquire(l, 1, 0.0), 0);
    CU_ASSERT(mpr_monotonic() - t0 < 0.05);
    t0 = mpr_monotonic();
    CU_ASSERT_EQUAL(mpr_lock_acquire(l, 1, 0.2), 0);
    CU_ASSERT(mpr_monotonic() - t0 >= 0.2 && mpr_monotonic() - t0 < 0.4);
    CU_ASSERT_EQUAL(mpr_lock_release(l), 0);
    CU_ASSERT_EQUAL(mpr_lock_enter(l), 1);
    CU_ASSERT_EQUAL(mpr_lock_exit(l), 0);
    mpr_lock_free(l);
}

static void test_lock_release_unlocked_is_value_error(void)
{
    mpr_lock_t *l;
    char buf[128];

    CU_ASSERT_EQUAL_FATAL(mpr_lock_new(&l), 0);
    CU_ASSERT_EQUAL(mpr_lock_release(l), MPR_EVALUE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "semaphore or lock released too many times");
    mpr_err_format(MPR_EVALUE, buf, sizeof(buf));
    CU_ASSERT_STRING_EQUAL(
        buf, "ValueError: semaphore or lock released too many times");
    mpr_lock_acquire(l, 1, MPR_TIMEOUT_NONE);
    CU_ASSERT_EQUAL(mpr_lock_release(l), 0);
    CU_ASSERT_EQUAL(mpr_lock_release(l), MPR_EVALUE);
    mpr_lock_free(l);
}

static void test_lock_bad_timeouts_fail_only_when_waiting(void)
{
    mpr_lock_t *l;

    CU_ASSERT_EQUAL_FATAL(mpr_lock_new(&l), 0);
    /* CPython tries first: a free lock is taken whatever the timeout. */
    CU_ASSERT_EQUAL(mpr_lock_acquire(l, 1, NAN), 1);
    CU_ASSERT_EQUAL(mpr_lock_acquire(l, 1, NAN), -EINVAL);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "[Errno 22] Invalid argument");
    CU_ASSERT_EQUAL(mpr_lock_acquire(l, 1, 1e300), -EINVAL);
    CU_ASSERT_EQUAL(mpr_lock_acquire(l, 1, 9.3e18), -EINVAL);
    CU_ASSERT_EQUAL(mpr_lock_acquire(l, 0, NAN), 0); /* never waits */
    mpr_lock_release(l);
    CU_ASSERT_EQUAL(mpr_lock_acquire(l, 1, 1e18), 1);
    mpr_lock_release(l);
    mpr_lock_free(l);
}

static int child_hold_and_exit(void *arg)
{
    (void)arg;
    return mpr_lock_acquire(lk, 0, 0) == 1 ? 0 : 1;
}

static void test_lock_held_by_dead_process_can_be_released(void)
{
    double t0;

    CU_ASSERT_EQUAL_FATAL(mpr_lock_new(&lk), 0);
    CU_ASSERT_EQUAL(mprtest_run_child(child_hold_and_exit, NULL, 10), 0);
    ASSERT_REPR(lk, "<Lock(owner=SomeOtherProcess)>");
    /* The others can still time out... */
    t0 = mpr_monotonic();
    CU_ASSERT_EQUAL(mpr_lock_acquire(lk, 1, 0.1), 0);
    CU_ASSERT(mpr_monotonic() - t0 >= 0.1);
    /* ...and a Lock has no owner check: anyone may release it. */
    CU_ASSERT_EQUAL(mpr_lock_release(lk), 0);
    ASSERT_REPR(lk, "<Lock(owner=None)>");
    CU_ASSERT_EQUAL(mpr_lock_acquire(lk, 0, 0), 1);
    mpr_lock_release(lk);
    mpr_lock_free(lk);
}

static int child_wait_forever(void *arg)
{
    (void)arg;
    mpr_lock_acquire(lk, 1, MPR_TIMEOUT_NONE);
    return 3;
}

static void test_lock_killed_waiter_leaves_lock_usable(void)
{
    pid_t pid;

    CU_ASSERT_EQUAL_FATAL(mpr_lock_new(&lk), 0);
    mpr_lock_acquire(lk, 1, MPR_TIMEOUT_NONE);
    pid = mprtest_fork(child_wait_forever, NULL);
    mpr_sleep(0.05 / mpr_time_scale());
    kill(pid, SIGKILL);
    CU_ASSERT_EQUAL(mprtest_wait(pid, 10), -SIGKILL);
    CU_ASSERT_EQUAL(mpr_lock_release(lk), 0);
    CU_ASSERT_EQUAL(mpr_lock_acquire(lk, 1, 0.5), 1);
    CU_ASSERT_EQUAL(mpr_lock_release(lk), 0);
    mpr_lock_free(lk);
}

static int child_acquire_within(void *arg)
{
    double t0 = mpr_monotonic();
    int r = mpr_lock_acquire(lk, 1, *(double *)arg);

    if (r != 1)
        return 10 + (r < 0);
    return mpr_monotonic() - t0 < *(double *)arg ? 0 : 12;
}

static void test_lock_release_wakes_other_process(void)
{
    double timeout = 5.0;
    pid_t pid;

    CU_ASSERT_EQUAL_FATAL(mpr_lock_new(&lk), 0);
    mpr_lock_acquire(lk, 1, MPR_TIMEOUT_NONE);
    pid = mprtest_fork(child_acquire_within, &timeout);
    mpr_sleep(0.1 / mpr_time_scale());
    CU_ASSERT_EQUAL(mpr_lock_release(lk), 0);
    CU_ASSERT_EQUAL(mprtest_wait(pid, 10), 0);
    ASSERT_REPR(lk, "<Lock(owner=SomeOtherProcess)>");
    mpr_lock_free(lk);
}

/* Two processes x 10000 increments of a plain shared int under the lock. */
static long *counter;

static int child_increment(void *arg)
{
    (void)arg;
    for (int i = 0; i < 10000; i++) {
        if (mpr_lock_acquire(lk, 1, MPR_TIMEOUT_NONE) != 1)
            return 1;
        long v = *(volatile long *)counter;
        *(volatile long *)counter = v + 1;
        mpr_lock_release(lk);
    }
    return 0;
}

static void test_lock_mutual_exclusion_across_processes(void)
{
    pid_t a, b;

    counter = mmap(NULL, sizeof(long), PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CU_ASSERT_FATAL(counter != MAP_FAILED);
    CU_ASSERT_EQUAL_FATAL(mpr_lock_new(&lk), 0);
    a = mprtest_fork(child_increment, NULL);
    b = mprtest_fork(child_increment, NULL);
    CU_ASSERT_EQUAL(mprtest_wait(a, 30), 0);
    CU_ASSERT_EQUAL(mprtest_wait(b, 30), 0);
    CU_ASSERT_EQUAL(*counter, 20000);
    mpr_lock_free(lk);
    munmap(counter, sizeof(long));
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
}

static int child_timeout_under_signals(void *arg)
{
    struct itimerval it = {{0, 1000}, {0, 1000}};
    struct sigaction sa;
    double t0, el;
    int r;

    (void)arg;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_alarm; /* no SA_RESTART: futex_wait sees EINTR */
    sigaction(SIGALRM, &sa, NULL);
    setitimer(ITIMER_REAL, &it, NULL);
    mpr_lock_acquire(lk, 1, MPR_TIMEOUT_NONE);
    t0 = mpr_monotonic();
    r = mpr_lock_acquire(lk, 1, 0.3);
    el = mpr_monotonic() - t0;
    memset(&it, 0, sizeof(it));
    setitimer(ITIMER_REAL, &it, NULL);
    if (r != 0)
        return 10;
    if (alarms < 50)
        return 11;
    return el >= 0.3 && el < 0.5 ? 0 : 12;
}

static void test_lock_timeout_survives_signal_storm(void)
{
    CU_ASSERT_EQUAL_FATAL(mpr_lock_new(&lk), 0);
    CU_ASSERT_EQUAL(mprtest_run_child(child_timeout_under_signals, NULL, 10),
                    0);
    mpr_lock_free(lk);
}

static void *thread_acquire(void *arg)
{
    return (void *)(long)mpr_lock_acquire(arg, 0, 0);
}

static void *thread_release(void *arg)
{
    return (void *)(long)mpr_lock_release(arg);
}

static void test_lock_other_thread_owner_repr(void)
{
    pthread_t t;
    void *res;
    mpr_lock_t *l;

    CU_ASSERT_EQUAL_FATAL(mpr_lock_new(&l), 0);
    pthread_create(&t, NULL, thread_acquire, l);
    pthread_join(t, &res);
    CU_ASSERT_EQUAL((long)res, 1);
    ASSERT_REPR(l, "<Lock(owner=SomeOtherThread)>");
    pthread_create(&t, NULL, thread_release, l);
    pthread_join(t, &res);
    CU_ASSERT_EQUAL((long)res, 0);
    ASSERT_REPR(l, "<Lock(owner=None)>");
    mpr_lock_free(l);
}

static int child_rebuild_sees_same_lock(void *arg)
{
    mpr_lock_t *l;
    int r;

    if (mpr_semlock_rebuild(&l, arg) != 0)
        return 10;
    r = mpr_lock_acquire(l, 0, 0); /* the parent holds it */
    mpr_lock_free(l);
    return r == 0 ? 0 : 11;
}

static void test_lock_token_rebuilds_the_same_lock(void)
{
    mpr_obj_t *tok, *bad;
    mpr_lock_t *l, *l2 = NULL;

    CU_ASSERT_EQUAL_FATAL(mpr_lock_new(&l), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_semlock_reduce(l, &tok), 0);
    mpr_lock_acquire(l, 1, MPR_TIMEOUT_NONE);
    CU_ASSERT_EQUAL(mprtest_run_child(child_rebuild_sees_same_lock, tok, 10),
                    0);
    /* In this process too: a second object over the same semaphore. */
    CU_ASSERT_EQUAL(mpr_semlock_rebuild(&l2, tok), 0);
    CU_ASSERT_EQUAL(mpr_semlock_get_value(l2), 0);
    CU_ASSERT_EQUAL(mpr_lock_release(l2), 0);
    CU_ASSERT_EQUAL(mpr_semlock_get_value(l), 1);
    mpr_lock_free(l2);
    bad = mpr_obj_str("S0@nonsense");
    CU_ASSERT_EQUAL(mpr_semlock_rebuild(&l2, bad), MPR_EVALUE);
    mpr_obj_decref(bad);
    bad = mpr_obj_int(3);
    CU_ASSERT_EQUAL(mpr_semlock_rebuild(&l2, bad), MPR_EVALUE);
    mpr_obj_decref(bad);
    mpr_obj_decref(tok);
    mpr_lock_free(l);
}

/* A lock token with bytes after it, or an offset past its segment, is
 * "bad shared handle" and leaves nothing open. */
static void test_lock_token_with_trailing_bytes_is_bad(void)
{
    mpr_obj_t *tok, *bad;
    mpr_lock_t *l, *l2 = NULL;
    char v[256];
    const char *at;

    CU_ASSERT_EQUAL_FATAL(mpr_lock_new(&l), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_semlock_reduce(l, &tok), 0);
    snprintf(v, sizeof(v), "%sx", mpr_obj_str_utf8(tok, NULL));
    bad = mpr_obj_str(v);
    CU_ASSERT_EQUAL(mpr_semlock_rebuild(&l2, bad), MPR_EVALUE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "bad shared handle");
    mpr_obj_decref(bad);
    at = strchr(mpr_obj_str_utf8(tok, NULL), '@');
    CU_ASSERT_FATAL(at != NULL);
    snprintf(v, sizeof(v), "S999999999%s", at);
    bad = mpr_obj_str(v);
    CU_ASSERT_EQUAL(mpr_semlock_rebuild(&l2, bad), MPR_EVALUE);
    mpr_obj_decref(bad);
    mpr_obj_decref(tok);
    mpr_lock_free(l);
}

/* Fault injection: the Nth allocation or mapping fails. */
static int fail_at, calls;

static void *counting_calloc(size_t n, size_t size)
{
    if (++calls == fail_at) {
        errno = ENOMEM;
        return NULL;
    }
    return calloc(n, size);
}

static void *counting_mmap(void *a, size_t n, int prot, int flags, int fd,
                           off_t off)
{
    if (++calls == fail_at) {
        errno = ENOMEM;
        return MAP_FAILED;
    }
    return mmap(a, n, prot, flags, fd, off);
}

static mpr_obj_t *ten;

static int make_each(int which)
{
    mpr_semlock_t *l;
    mpr_cond_t *c;
    mpr_event_t *e;
    mpr_barrier_t *b;
    mpr_value_t *v;
    mpr_array_t *a;
    int r;

    switch (which) {
    case 0:
        if ((r = mpr_lock_new(&l)) == 0)
            mpr_lock_free(l);
        break;
    case 1:
        if ((r = mpr_cond_new(&c, NULL)) == 0)
            mpr_cond_free(c);
        break;
    case 2:
        if ((r = mpr_event_new(&e)) == 0)
            mpr_event_free(e);
        break;
    case 3:
        if ((r = mpr_barrier_new(&b, 2, NULL)) == 0)
            mpr_barrier_free(b);
        break;
    case 4:
        if ((r = mpr_value_new(&v, "i", ten, NULL)) == 0)
            mpr_value_free(v);
        break;
    default:
        if ((r = mpr_array_new(&a, "d", ten, NULL)) == 0)
            mpr_array_free(a);
        break;
    }
    return r;
}

static void test_lock_constructors_fail_cleanly(void)
{
    int fds = mprtest_count_fds();

    ten = mpr_obj_int(10);
    /* Fail every allocation and every mapping in turn: each constructor
     * returns -ENOMEM and leaves no descriptor or mapping behind, until
     * N passes the number of calls it makes. */
    for (int which = 0; which < 6; which++) {
        for (int kind = 0; kind < 2; kind++) {
            int r;
            fail_at = 0;
            do {
                fail_at++;
                calls = 0;
                if (kind == 0)
                    mpr__sys.calloc = counting_calloc;
                else
                    mpr__sys.mmap = counting_mmap;
                r = make_each(which);
                mpr__sys_reset();
                CU_ASSERT(r == 0 || r == -ENOMEM);
                CU_ASSERT_EQUAL(mprtest_count_fds(), fds);
            } while (r != 0 && fail_at < 50);
            CU_ASSERT_EQUAL(r, 0);
            CU_ASSERT(fail_at > 1);
        }
    }
    mpr_obj_decref(ten);
}

static int child_rebuild_after_creator_freed(void *arg)
{
    mpr_lock_t *l;
    int r;

    mpr_sleep(0.05 / mpr_time_scale());
    if (mpr_semlock_rebuild(&l, arg) != 0)
        return 10;
    r = mpr_lock_acquire(l, 0, 0);
    mpr_lock_free(l);
    return r == 1 ? 0 : 11;
}

static void test_lock_fork_child_rebuilds_without_creator(void)
{
    mpr_lock_t *a, *b;
    mpr_obj_t *tok;
    pid_t pid;

    /* A forked child holds the creator's descriptors: like CPython's
     * inherited semaphore, it does not need the creator's object. */
    CU_ASSERT_EQUAL_FATAL(mpr_lock_new(&a), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_semlock_reduce(a, &tok), 0);
    pid = mprtest_fork(child_rebuild_after_creator_freed, tok);
    mpr_lock_free(a);
    CU_ASSERT_EQUAL(mprtest_wait(pid, 10), 0);
    /* In the creator, the token is stale now: the descriptor number is
     * reused by another segment, whose inode differs. */
    CU_ASSERT_EQUAL_FATAL(mpr_lock_new(&b), 0);
    CU_ASSERT_EQUAL(mpr_semlock_rebuild(&a, tok), MPR_EVALUE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "bad shared handle");
    mpr_lock_free(b);
    mpr_obj_decref(tok);
}

static int no_memfd(const char *name, unsigned flags)
{
    (void)name, (void)flags;
    errno = ENOSYS;
    return -1;
}

static int child_take(void *arg)
{
    (void)arg;
    return mpr_lock_acquire(lk, 0, 0) == 1 ? 0 : 1;
}

static void test_lock_works_without_memfd(void)
{
    /* The POSIX shm fallback: private, unlinked at once (the harness
     * checks /dev/shm after the test), shared with a forked child. */
    mpr__sys.memfd_create = no_memfd;
    CU_ASSERT_EQUAL_FATAL(mpr_lock_new(&lk), 0);
    mpr__sys_reset();
    CU_ASSERT_EQUAL(mprtest_run_child(child_take, NULL, 10), 0);
    CU_ASSERT_EQUAL(mpr_lock_acquire(lk, 0, 0), 0);
    CU_ASSERT_EQUAL(mpr_lock_release(lk), 0);
    mpr_lock_free(lk);
}

static void test_lock_free_null_is_noop(void)
{
    mpr_lock_free(NULL);
    mpr_semlock_free(NULL);
    CU_PASS("no crash");
}

int mprtest_register(CU_pSuite s)
{
    MPRTEST_ADD(s, test_lock_repr_free_and_held,
                "repr is <Lock(owner=None)> free, owner=MainProcess held");
    MPRTEST_ADD(s, test_lock_acquire_results_follow_cpython,
                "acquire returns 1/0 with CPython's block and timeout rules");
    MPRTEST_ADD(s, test_lock_release_unlocked_is_value_error,
                "releasing an unlocked Lock is ValueError");
    MPRTEST_ADD(s, test_lock_bad_timeouts_fail_only_when_waiting,
                "NaN and huge timeouts are EINVAL only when a wait is needed");
    MPRTEST_ADD(s, test_lock_held_by_dead_process_can_be_released,
                "a Lock held by a dead process times out others and can be "
                "released by anyone");
    MPRTEST_ADD(s, test_lock_killed_waiter_leaves_lock_usable,
                "a waiter killed while blocked leaves the Lock usable");
    MPRTEST_ADD(s, test_lock_release_wakes_other_process,
                "release wakes a waiter in another process");
    MPRTEST_ADD(s, test_lock_mutual_exclusion_across_processes,
                "two processes x 10000 locked increments give 20000");
    MPRTEST_ADD(s, test_lock_timeout_survives_signal_storm,
                "a timed acquire keeps its deadline through a signal storm");
    MPRTEST_ADD(s, test_lock_other_thread_owner_repr,
                "a Lock held by another thread shows owner=SomeOtherThread");
    MPRTEST_ADD(s, test_lock_token_with_trailing_bytes_is_bad,
                "a lock token with trailing bytes or a far offset is 'bad "
                "shared handle'");
    MPRTEST_ADD(s, test_lock_token_rebuilds_the_same_lock,
                "a token rebuilds the same Lock in another process");
    MPRTEST_ADD(s, test_lock_constructors_fail_cleanly,
                "every constructor fails cleanly at each allocation and map");
    MPRTEST_ADD(s, test_lock_fork_child_rebuilds_without_creator,
                "a fork child rebuilds from its inherited descriptor; a stale "
                "token is refused");
    MPRTEST_ADD(s, test_lock_works_without_memfd,
                "without memfd_create, an unlinked shm object is used");
    MPRTEST_ADD(s, test_lock_free_null_is_noop, "free(NULL) is a no-op");
    return 0;
}
