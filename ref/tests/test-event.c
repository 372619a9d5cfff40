/*
 * test-event.c - multiprocessing.Event: flag, wait results and timeouts,
 * set by another process, repr, signals during a wait.
 */
#include "mpr/event.h"
#include "mpr/error.h"
#include "mpr/timeout.h"
#include "mprtest.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

const char *mprtest_suite_name = "event";

static mpr_event_t *ev;

static void test_event_flag_and_immediate_waits(void)
{
    mpr_event_t *e;
    double t0;

    CU_ASSERT_EQUAL_FATAL(mpr_event_new(&e), 0);
    CU_ASSERT_EQUAL(mpr_event_is_set(e), 0);
    t0 = mpr_monotonic();
    CU_ASSERT_EQUAL(mpr_event_wait(e, 0.0), 0);
    CU_ASSERT_EQUAL(mpr_event_wait(e, -1.0), 0);
    CU_ASSERT(mpr_monotonic() - t0 < 0.05);
    CU_ASSERT_EQUAL(mpr_event_set(e), 0);
    CU_ASSERT_EQUAL(mpr_event_is_set(e), 1);
    CU_ASSERT_EQUAL(mpr_event_wait(e, MPR_TIMEOUT_NONE), 1);
    CU_ASSERT_EQUAL(mpr_event_wait(e, 0.0), 1);
    CU_ASSERT_EQUAL(mpr_event_set(e), 0); /* twice: still one flag */
    CU_ASSERT_EQUAL(mpr_event_clear(e), 0);
    CU_ASSERT_EQUAL(mpr_event_is_set(e), 0);
    CU_ASSERT_EQUAL(mpr_event_wait(e, 0.0), 0);
    mpr_event_free(e);
}

static void test_event_wait_times_out_after_timeout(void)
{
    mpr_event_t *e;
    double t0, el;

    CU_ASSERT_EQUAL_FATAL(mpr_event_new(&e), 0);
    t0 = mpr_monotonic();
    CU_ASSERT_EQUAL(mpr_event_wait(e, 0.3), 0);
    el = mpr_monotonic() - t0;
    CU_ASSERT(el >= 0.3 && el < 0.45);
    mpr_event_free(e);
}

static void test_event_repr(void)
{
    mpr_event_t *e;
    char *s = NULL, want[64];

    CU_ASSERT_EQUAL_FATAL(mpr_event_new(&e), 0);
    snprintf(want, sizeof(want), "<Event at %p unset>", (void *)e);
    CU_ASSERT_EQUAL(mpr_event_repr(e, &s, NULL), 0);
    CU_ASSERT_STRING_EQUAL(s, want);
    CU_ASSERT_EQUAL(strncmp(s, "<Event at 0x", 12), 0);
    free(s);
    mpr_event_set(e);
    snprintf(want, sizeof(want), "<Event at %p set>", (void *)e);
    CU_ASSERT_EQUAL(mpr_event_repr(e, &s, NULL), 0);
    CU_ASSERT_STRING_EQUAL(s, want);
    free(s);
    mpr_event_free(e);
}

static int child_set_later(void *arg)
{
    (void)arg;
    mpr_sleep(0.1 / mpr_time_scale());
    return mpr_event_set(ev);
}

static int child_wait_set(void *arg)
{
    (void)arg;
    return mpr_event_wait(ev, 5.0) == 1 ? 0 : 1;
}

static int child_wait_briefly(void *arg)
{
    (void)arg;
    return mpr_event_wait(ev, 0.1);
}

static void test_event_set_by_other_process_wakes_all(void)
{
    pid_t setter, w[3];
    double t0 = mpr_monotonic();

    CU_ASSERT_EQUAL_FATAL(mpr_event_new(&ev), 0);
    for (int i = 0; i < 3; i++)
        w[i] = mprtest_fork(child_wait_set, NULL);
    setter = mprtest_fork(child_set_later, NULL);
    CU_ASSERT_EQUAL(mpr_event_wait(ev, 5.0), 1);
    CU_ASSERT(mpr_monotonic() - t0 < 2.0);
    for (int i = 0; i < 3; i++)
        CU_ASSERT_EQUAL(mprtest_wait(w[i], 10), 0);
    CU_ASSERT_EQUAL(mprtest_wait(setter, 10), 0);
    /* clear() in this process is seen by a child. */
    mpr_event_clear(ev);
    CU_ASSERT_EQUAL(mprtest_run_child(child_wait_briefly, NULL, 10), 0);
    mpr_event_free(ev);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
}

static int child_wait_under_signals(void *arg)
{
    struct itimerval it = {{0, 1000}, {0, 1000}};
    struct sigaction sa;
    double t0, el;
    int r;

    (void)arg;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    setitimer(ITIMER_REAL, &it, NULL);
    t0 = mpr_monotonic();
    r = mpr_event_wait(ev, 0.3);
    el = mpr_monotonic() - t0;
    memset(&it, 0, sizeof(it));
    setitimer(ITIMER_REAL, &it, NULL);
    if (r != 0)
        return 10;
    if (alarms < 50)
        return 11;
    return el >= 0.3 && el < 0.5 ? 0 : 12;
}

static void test_event_wait_survives_signal_storm(void)
{
    CU_ASSERT_EQUAL_FATAL(mpr_event_new(&ev), 0);
    CU_ASSERT_EQUAL(mprtest_run_child(child_wait_under_signals, NULL, 10), 0);
    mpr_event_free(ev);
}

static void test_event_bad_timeout(void)
{
    mpr_event_t *e;

    CU_ASSERT_EQUAL_FATAL(mpr_event_new(&e), 0);
    CU_ASSERT_EQUAL(mpr_event_wait(e, NAN), -EINVAL);
    CU_ASSERT_EQUAL(mpr_event_is_set(e), 0); /* the lock was given back */
    mpr_event_set(e);
    CU_ASSERT_EQUAL(mpr_event_wait(e, NAN), 1); /* no wait needed */
    mpr_event_free(e);
}

static int child_rebuilt_sets(void *arg)
{
    mpr_event_t *e;
    int r;

    if (mpr_event_rebuild(&e, arg) != 0)
        return 10;
    r = mpr_event_set(e);
    mpr_event_free(e);
    return r;
}

static void test_event_token_rebuilds_the_same_event(void)
{
    mpr_obj_t *tok, *bad;
    mpr_event_t *e2;

    CU_ASSERT_EQUAL_FATAL(mpr_event_new(&ev), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_event_reduce(ev, &tok), 0);
    CU_ASSERT_EQUAL(mprtest_run_child(child_rebuilt_sets, tok, 10), 0);
    CU_ASSERT_EQUAL(mpr_event_is_set(ev), 1);
    bad = mpr_obj_str("E");
    CU_ASSERT_EQUAL(mpr_event_rebuild(&e2, bad), MPR_EVALUE);
    mpr_obj_decref(bad);
    mpr_obj_decref(tok);
    mpr_event_free(ev);
}

static int rebuild_event_str(const char *tok)
{
    mpr_obj_t *o = mpr_obj_str(tok);
    mpr_event_t *e = NULL;
    int rc = mpr_event_rebuild(&e, o);

    if (rc == 0)
        mpr_event_free(e);
    mpr_obj_decref(o);
    return rc;
}

/* An Event token is "E" S<off>@<segment> "|" <segment>; each malformed
 * part, and a segment smaller than an Event's, is "bad shared handle",
 * leaving nothing mapped or open. */
static void test_event_malformed_tokens_are_bad_shared_handles(void)
{
    mpr_obj_t *tok, *num = mpr_obj_int(1);
    mpr_event_t *e = NULL;
    char t[256], v[300], lock[160], seg[96];
    const char *bar;

    CU_ASSERT_EQUAL_FATAL(mpr_event_new(&ev), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_event_reduce(ev, &tok), 0);
    snprintf(t, sizeof(t), "%s", mpr_obj_str_utf8(tok, NULL));
    bar = strchr(t, '|');
    CU_ASSERT_FATAL(t[0] == 'E' && bar != NULL);
    snprintf(lock, sizeof(lock), "%.*s", (int)(bar - t - 1), t + 1);
    snprintf(seg, sizeof(seg), "%s", bar + 1);
    CU_ASSERT_EQUAL(rebuild_event_str(t), 0);
    CU_ASSERT_EQUAL(mpr_event_rebuild(&e, num), MPR_EVALUE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "bad shared handle");
    snprintf(v, sizeof(v), "B%s", t + 1); /* a Barrier's tag */
    CU_ASSERT_EQUAL(rebuild_event_str(v), MPR_EVALUE);
    snprintf(v, sizeof(v), "E%s#%s", lock, seg); /* no '|' */
    CU_ASSERT_EQUAL(rebuild_event_str(v), MPR_EVALUE);
    snprintf(v, sizeof(v), "E%s|x%s", lock, seg); /* bad segment */
    CU_ASSERT_EQUAL(rebuild_event_str(v), MPR_EVALUE);
    snprintf(v, sizeof(v), "%s!", t); /* trailing bytes */
    CU_ASSERT_EQUAL(rebuild_event_str(v), MPR_EVALUE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "bad shared handle");
    mpr_obj_decref(tok);
    mpr_obj_decref(num);
    mpr_event_free(ev);
    ev = NULL;
}

int mprtest_register(CU_pSuite s)
{
    MPRTEST_ADD(s, test_event_flag_and_immediate_waits,
                "is_set, set, clear and waits that need no waiting");
    MPRTEST_ADD(s, test_event_wait_times_out_after_timeout,
                "wait on an unset Event returns 0 after about the timeout");
    MPRTEST_ADD(s, test_event_repr, "repr is <Event at 0x... unset|set>");
    MPRTEST_ADD(s, test_event_set_by_other_process_wakes_all,
                "set in another process wakes every waiter");
    MPRTEST_ADD(s, test_event_wait_survives_signal_storm,
                "a timed wait keeps its deadline through a signal storm");
    MPRTEST_ADD(s, test_event_bad_timeout,
                "a NaN timeout is EINVAL only when a wait is needed");
    MPRTEST_ADD(s, test_event_malformed_tokens_are_bad_shared_handles,
                "each malformed part of an Event token is 'bad shared "
                "handle'");
    MPRTEST_ADD(s, test_event_token_rebuilds_the_same_event,
                "a token rebuilds the same Event in another process");
    return 0;
}
