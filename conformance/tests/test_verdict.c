/* test_verdict.c - the verdict rules of verdict.h, one test per transition:
 * which cells do not run (and their status), how a run's end becomes a
 * status, how repeated runs aggregate (flaky), and what a known failure
 * makes of each outcome (xfail, xpass, intermittent, another failure). */
#include <stdarg.h>

#include "unit.h"
#include "verdict.h"

/* A tally of the given statuses (terminated by -1). */
static mpc_tally_t tally(int s0, ...)
{
    mpc_tally_t t = {0};
    va_list ap;
    va_start(ap, s0);
    for (int s = s0; s >= 0; s = va_arg(ap, int))
        mpc_tally_add(&t, (mpc_status_t)s);
    va_end(ap);
    return t;
}

static mpc_known_failure_t kf_of(int status, int intermittent)
{
    return (mpc_known_failure_t){
        .case_glob = "x/*",
        .method = "*",
        .status = status,
        .intermittent = intermittent,
        .reason = "why",
    };
}

/* The verdict of a tally with a known failure, and which rule applied. */
static mpc_status_t known(mpc_tally_t t, int kf_status, int intermittent,
                          mpc_kf_outcome_t *how)
{
    mpc_known_failure_t kf = kf_of(kf_status, intermittent);
    return mpc_verdict_known(&t, kf_status < 0 ? NULL : &kf, how);
}

static void test_verdict_not_applicable_in_order(void)
{
    mpc_cell_facts_t f = {1, 1, 1, 1, 1, 0};
    CU_ASSERT_EQUAL(mpc_verdict_applies(&f), MPC_NA_NONE);
    f.has_required = 0;
    CU_ASSERT_EQUAL(mpc_verdict_applies(&f), MPC_NA_NO_FILE);
    f.declared_na = 1; /* n/a, not missing: it has no case.c on purpose */
    CU_ASSERT_EQUAL(mpc_verdict_applies(&f), MPC_NA_DECLARED);
    f.case_has_method = 0;
    CU_ASSERT_EQUAL(mpc_verdict_applies(&f), MPC_NA_CASE_METHOD);
    f.impl_has_method = 0;
    CU_ASSERT_EQUAL(mpc_verdict_applies(&f), MPC_NA_IMPL_METHOD);
    f.installed = 0;
    CU_ASSERT_EQUAL(mpc_verdict_applies(&f), MPC_NA_NOT_INSTALLED);
    f.case_ok = 0; /* a malformed case is an error even when not installed */
    CU_ASSERT_EQUAL(mpc_verdict_applies(&f), MPC_NA_CASE_ERROR);
}

static void test_verdict_not_applicable_status(void)
{
    CU_ASSERT_EQUAL(mpc_verdict_na_status(MPC_NA_CASE_ERROR), MPC_ERROR);
    CU_ASSERT_EQUAL(mpc_verdict_na_status(MPC_NA_NOT_INSTALLED), MPC_SKIP);
    CU_ASSERT_EQUAL(mpc_verdict_na_status(MPC_NA_IMPL_METHOD), MPC_SKIP);
    CU_ASSERT_EQUAL(mpc_verdict_na_status(MPC_NA_CASE_METHOD), MPC_SKIP);
    CU_ASSERT_EQUAL(mpc_verdict_na_status(MPC_NA_NO_FILE), MPC_MISSING);
    CU_ASSERT_EQUAL(mpc_verdict_na_status(MPC_NA_DECLARED), MPC_NOT_APPLICABLE);
}

static void test_verdict_run_end(void)
{
    mpc_run_end_t e = {.exit_status = 0};
    CU_ASSERT_EQUAL(mpc_verdict_ended(&e), -1); /* judge the output */
    e.exit_status = 3;                          /* the judge checks exit: */
    CU_ASSERT_EQUAL(mpc_verdict_ended(&e), -1);
    e.exit_status = -11;
    CU_ASSERT_EQUAL(mpc_verdict_ended(&e), MPC_CRASH);
    e.expected_exit = -11; /* a case may expect its signal */
    CU_ASSERT_EQUAL(mpc_verdict_ended(&e), -1);
    e.expected_exit = -15;
    CU_ASSERT_EQUAL(mpc_verdict_ended(&e), MPC_CRASH);
    e.timed_out = 1; /* killed at the timeout: not a crash */
    e.exit_status = -9;
    CU_ASSERT_EQUAL(mpc_verdict_ended(&e), MPC_TIMEOUT);
    e.start_error = 1;
    CU_ASSERT_EQUAL(mpc_verdict_ended(&e), MPC_ERROR);
    CU_ASSERT_EQUAL(mpc_verdict_judged(MPC_M_PASS), MPC_PASS);
    CU_ASSERT_EQUAL(mpc_verdict_judged(MPC_M_FAIL), MPC_FAIL);
    CU_ASSERT_EQUAL(mpc_verdict_judged(MPC_M_ERROR), MPC_ERROR);
}

static void test_verdict_tally(void)
{
    mpc_tally_t t = {0};
    CU_ASSERT_EQUAL(mpc_tally_status(&t), MPC_PASS);
    t = tally(MPC_PASS, -1);
    CU_ASSERT_EQUAL(mpc_tally_status(&t), MPC_PASS);
    CU_ASSERT_EQUAL(t.runs, 1);
    CU_ASSERT_EQUAL(t.passes, 1);
    t = tally(MPC_FAIL, MPC_FAIL, MPC_FAIL, -1);
    CU_ASSERT_EQUAL(mpc_tally_status(&t), MPC_FAIL);
    CU_ASSERT_EQUAL(t.passes, 0);
    t = tally(MPC_PASS, MPC_PASS, MPC_TIMEOUT, MPC_PASS, -1);
    CU_ASSERT_EQUAL(mpc_tally_status(&t), MPC_FLAKY);
    CU_ASSERT_EQUAL(t.runs, 4);
    CU_ASSERT_EQUAL(t.passes, 3);
    CU_ASSERT_EQUAL(t.first, MPC_PASS);
    t = tally(MPC_FAIL, MPC_CRASH, -1); /* two failures differ: flaky too */
    CU_ASSERT_EQUAL(mpc_tally_status(&t), MPC_FLAKY);
}

static void test_verdict_no_known_failure(void)
{
    mpc_kf_outcome_t how;
    for (int s = MPC_PASS; s <= MPC_ERROR; s++) {
        CU_ASSERT_EQUAL(known(tally(s, -1), -1, 0, &how), s);
        CU_ASSERT_EQUAL(how, MPC_KF_NONE);
    }
    CU_ASSERT_EQUAL(known(tally(MPC_PASS, MPC_FAIL, -1), -1, 0, &how),
                    MPC_FLAKY);
}

static void test_verdict_xfail(void)
{
    mpc_kf_outcome_t how;
    static const int st[] = {MPC_FAIL, MPC_TIMEOUT, MPC_CRASH, MPC_ERROR};
    for (size_t i = 0; i < sizeof st / sizeof *st; i++) {
        CU_ASSERT_EQUAL(known(tally(st[i], -1), st[i], 0, &how), MPC_XFAIL);
        CU_ASSERT_EQUAL(how, MPC_KF_XFAIL);
        CU_ASSERT_EQUAL(known(tally(st[i], st[i], -1), st[i], 0, &how),
                        MPC_XFAIL);
    }
    /* a `flaky` line: a --repeat run that is flaky */
    CU_ASSERT_EQUAL(known(tally(MPC_PASS, MPC_FAIL, -1), MPC_FLAKY, 0, &how),
                    MPC_XFAIL);
    CU_ASSERT_EQUAL(how, MPC_KF_XFAIL);
}

/* Issue 21 point 8: a known divergence that shows up as a hang or as a
 * wrong output is one divergence (billiard's fork pool/order-chunksize was
 * listed as fail and timed out, and the run exited 1). */
static void test_verdict_fail_or_timeout_one_divergence(void)
{
    mpc_kf_outcome_t how;
    CU_ASSERT_EQUAL(known(tally(MPC_TIMEOUT, -1), MPC_FAIL, 0, &how),
                    MPC_XFAIL);
    CU_ASSERT_EQUAL(how, MPC_KF_XFAIL);
    CU_ASSERT_EQUAL(known(tally(MPC_FAIL, -1), MPC_TIMEOUT, 0, &how),
                    MPC_XFAIL);
    /* a --repeat run that was one, then the other: still that divergence */
    CU_ASSERT_EQUAL(
        known(tally(MPC_FAIL, MPC_TIMEOUT, MPC_FAIL, -1), MPC_FAIL, 0, &how),
        MPC_XFAIL);
    CU_ASSERT_EQUAL(how, MPC_KF_XFAIL);
    CU_ASSERT_EQUAL(known(tally(MPC_TIMEOUT, -1), MPC_FAIL, 1, &how),
                    MPC_XFAIL);
    /* a crash or an error is another bug, never excused by a fail line */
    CU_ASSERT_EQUAL(known(tally(MPC_CRASH, -1), MPC_TIMEOUT, 0, &how),
                    MPC_CRASH);
    CU_ASSERT_EQUAL(known(tally(MPC_ERROR, -1), MPC_FAIL, 0, &how), MPC_ERROR);
    CU_ASSERT_EQUAL(known(tally(MPC_FAIL, MPC_CRASH, -1), MPC_FAIL, 0, &how),
                    MPC_FLAKY);
    CU_ASSERT_EQUAL(how, MPC_KF_OTHER);
    /* nor does it make a pass among the runs an expected failure */
    CU_ASSERT_EQUAL(known(tally(MPC_PASS, MPC_TIMEOUT, -1), MPC_FAIL, 0, &how),
                    MPC_FLAKY);
    CU_ASSERT_TRUE(mpc_verdict_same_divergence(MPC_FAIL, MPC_TIMEOUT));
    CU_ASSERT_TRUE(mpc_verdict_same_divergence(MPC_TIMEOUT, MPC_FAIL));
    CU_ASSERT_FALSE(mpc_verdict_same_divergence(MPC_CRASH, MPC_FAIL));
    CU_ASSERT_FALSE(mpc_verdict_same_divergence(MPC_FAIL, MPC_CRASH));
    CU_ASSERT_FALSE(mpc_verdict_same_divergence(MPC_FAIL, MPC_PASS));
    CU_ASSERT_FALSE(mpc_verdict_same_divergence(MPC_FLAKY, MPC_FAIL));
}

static void test_verdict_xpass(void)
{
    mpc_kf_outcome_t how;
    CU_ASSERT_EQUAL(known(tally(MPC_PASS, -1), MPC_FAIL, 0, &how), MPC_XPASS);
    CU_ASSERT_EQUAL(how, MPC_KF_XPASS);
    CU_ASSERT_EQUAL(known(tally(MPC_PASS, MPC_PASS, -1), MPC_TIMEOUT, 0, &how),
                    MPC_XPASS);
    CU_ASSERT_TRUE(mpc_status_is_bad(MPC_XPASS));
}

static void test_verdict_intermittent(void)
{
    mpc_kf_outcome_t how;
    /* the failure did not happen: pass */
    CU_ASSERT_EQUAL(known(tally(MPC_PASS, -1), MPC_TIMEOUT, 1, &how), MPC_PASS);
    CU_ASSERT_EQUAL(how, MPC_KF_QUIET);
    /* it happened: xfail */
    CU_ASSERT_EQUAL(known(tally(MPC_TIMEOUT, -1), MPC_TIMEOUT, 1, &how),
                    MPC_XFAIL);
    CU_ASSERT_EQUAL(how, MPC_KF_XFAIL);
    /* some runs of a --repeat: xfail */
    CU_ASSERT_EQUAL(
        known(tally(MPC_PASS, MPC_TIMEOUT, MPC_PASS, -1), MPC_TIMEOUT, 1, &how),
        MPC_XFAIL);
    CU_ASSERT_EQUAL(how, MPC_KF_INTERMITTENT);
}

static void test_verdict_other_failure(void)
{
    mpc_kf_outcome_t how;
    CU_ASSERT_EQUAL(known(tally(MPC_CRASH, -1), MPC_FAIL, 0, &how), MPC_CRASH);
    CU_ASSERT_EQUAL(how, MPC_KF_OTHER);
    CU_ASSERT_EQUAL(known(tally(MPC_ERROR, -1), MPC_TIMEOUT, 0, &how),
                    MPC_ERROR);
    CU_ASSERT_EQUAL(how, MPC_KF_OTHER);
    /* a flaky run of a failure that is not intermittent stays flaky */
    CU_ASSERT_EQUAL(known(tally(MPC_PASS, MPC_FAIL, -1), MPC_FAIL, 0, &how),
                    MPC_FLAKY);
    CU_ASSERT_EQUAL(how, MPC_KF_OTHER);
    CU_ASSERT_EQUAL(known(tally(MPC_FAIL, -1), MPC_FLAKY, 0, &how), MPC_FAIL);
    CU_ASSERT_EQUAL(how, MPC_KF_OTHER);
}

static void test_verdict_bad_passed_skipped(void)
{
    static const struct {
        mpc_status_t s;
        int bad, passed, skipped;
    } want[] = {
        {MPC_PASS, 0, 1, 0},           {MPC_FAIL, 1, 0, 0},
        {MPC_TIMEOUT, 1, 0, 0},        {MPC_CRASH, 1, 0, 0},
        {MPC_ERROR, 1, 0, 0},          {MPC_SKIP, 0, 0, 1},
        {MPC_MISSING, 0, 0, 1},        {MPC_XFAIL, 0, 1, 0},
        {MPC_XPASS, 1, 0, 0},          {MPC_FLAKY, 1, 0, 0},
        {MPC_NOT_APPLICABLE, 0, 0, 1},
    };
    CU_ASSERT_EQUAL(sizeof want / sizeof *want, MPC_NSTATUS);
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        CU_ASSERT_EQUAL(mpc_status_is_bad(want[i].s), want[i].bad);
        CU_ASSERT_EQUAL(mpc_status_is_passed(want[i].s), want[i].passed);
        CU_ASSERT_EQUAL(mpc_status_is_skipped(want[i].s), want[i].skipped);
    }
}

int main(void)
{
    static const t_test_t tests[] = {
        {"cells that do not run, in rule order",
         test_verdict_not_applicable_in_order},
        {"their status", test_verdict_not_applicable_status},
        {"a run's end: error, timeout, crash, judged", test_verdict_run_end},
        {"repeated runs: flaky", test_verdict_tally},
        {"no known failure", test_verdict_no_known_failure},
        {"known failure happened: xfail", test_verdict_xfail},
        {"fail and timeout are one divergence",
         test_verdict_fail_or_timeout_one_divergence},
        {"known failure passed: xpass", test_verdict_xpass},
        {"intermittent known failure", test_verdict_intermittent},
        {"another failure than expected", test_verdict_other_failure},
        {"bad, passed, skipped", test_verdict_bad_passed_skipped},
        {NULL, NULL},
    };
    return t_run_suite("verdict", tests);
}
