/*
 * verdict.c - the runner's judgement of a cell (verdict.h): pure rules,
 * no I/O, no allocation.
 */
#include "verdict.h"

#include "match.h"

mpc_na_t mpc_verdict_applies(const mpc_cell_facts_t *f)
{
    if (!f->case_ok)
        return MPC_NA_CASE_ERROR;
    if (!f->installed)
        return MPC_NA_NOT_INSTALLED;
    if (!f->impl_has_method)
        return MPC_NA_IMPL_METHOD;
    if (!f->case_has_method)
        return MPC_NA_CASE_METHOD;
    /* before the file check: an n/a case has no case.c to be missing */
    if (f->declared_na)
        return MPC_NA_DECLARED;
    if (!f->has_required)
        return MPC_NA_NO_FILE;
    return MPC_NA_NONE;
}

mpc_status_t mpc_verdict_na_status(mpc_na_t na)
{
    switch (na) {
    case MPC_NA_CASE_ERROR:
        return MPC_ERROR;
    case MPC_NA_NO_FILE:
        return MPC_MISSING;
    case MPC_NA_DECLARED:
        return MPC_NOT_APPLICABLE;
    default:
        return MPC_SKIP;
    }
}

int mpc_verdict_ended(const mpc_run_end_t *e)
{
    if (e->start_error)
        return MPC_ERROR;
    if (e->timed_out)
        return MPC_TIMEOUT;
    if (e->exit_status < 0 && e->exit_status != e->expected_exit)
        return MPC_CRASH;
    return -1;
}

mpc_status_t mpc_verdict_judged(int match_outcome)
{
    return match_outcome == MPC_M_PASS   ? MPC_PASS
           : match_outcome == MPC_M_FAIL ? MPC_FAIL
                                         : MPC_ERROR;
}

void mpc_tally_add(mpc_tally_t *t, mpc_status_t s)
{
    if (t->runs == 0)
        t->first = s;
    t->runs++;
    if (s == MPC_PASS)
        t->passes++;
    t->seen |= 1u << s;
}

mpc_status_t mpc_tally_status(const mpc_tally_t *t)
{
    if (t->runs == 0)
        return MPC_PASS;
    return t->seen == 1u << t->first ? t->first : MPC_FLAKY;
}

int mpc_verdict_same_divergence(int expected, mpc_status_t seen)
{
    if (expected == (int)seen)
        return 1;
    return (expected == MPC_FAIL || expected == MPC_TIMEOUT) &&
           (seen == MPC_FAIL || seen == MPC_TIMEOUT);
}

/* Every run of t failed with a status kf accepts (no pass among them). */
static int all_runs_known(const mpc_tally_t *t, int expected)
{
    if (t->runs == 0)
        return 0;
    for (int s = 0; s < MPC_NSTATUS; s++)
        if ((t->seen & (1u << s)) &&
            !mpc_verdict_same_divergence(expected, (mpc_status_t)s))
            return 0;
    return 1;
}

mpc_status_t mpc_verdict_known(const mpc_tally_t *t,
                               const mpc_known_failure_t *kf,
                               mpc_kf_outcome_t *how)
{
    mpc_kf_outcome_t h = MPC_KF_NONE;
    mpc_status_t s = mpc_tally_status(t);
    if (!kf)
        h = MPC_KF_NONE;
    else if (kf->status == (int)s || all_runs_known(t, kf->status))
        h = MPC_KF_XFAIL; /* also runs that were fail once, timeout once */
    else if (s == MPC_PASS)
        h = kf->intermittent ? MPC_KF_QUIET : MPC_KF_XPASS;
    else if (s == MPC_FLAKY && kf->intermittent)
        h = MPC_KF_INTERMITTENT;
    else
        h = MPC_KF_OTHER;
    if (how)
        *how = h;
    switch (h) {
    case MPC_KF_XFAIL:
    case MPC_KF_INTERMITTENT:
        return MPC_XFAIL;
    case MPC_KF_XPASS:
        return MPC_XPASS;
    default:
        return s;
    }
}

int mpc_status_is_bad(mpc_status_t s)
{
    return s == MPC_FAIL || s == MPC_TIMEOUT || s == MPC_CRASH ||
           s == MPC_ERROR || s == MPC_XPASS || s == MPC_FLAKY;
}

int mpc_status_is_passed(mpc_status_t s)
{
    return s == MPC_PASS || s == MPC_XFAIL;
}

int mpc_status_is_skipped(mpc_status_t s)
{
    return s == MPC_SKIP || s == MPC_MISSING || s == MPC_NOT_APPLICABLE;
}
