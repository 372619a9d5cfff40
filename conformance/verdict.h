/*
 * verdict.h - the runner's judgement of a cell, as pure functions: which
 * status a cell gets from the facts of its case, its implementation and its
 * runs, and how a known failure (PROFILES.md) turns it into xfail, xpass or
 * leaves it alone.  No I/O, no allocation: the task code (task.c) gathers
 * the facts, calls these and writes the detail line.
 *
 * The order of the rules is the product's judgement; each transition has a
 * unit test (tests/test_verdict.c).
 */
#ifndef MPC_VERDICT_H
#define MPC_VERDICT_H

#include "profile.h"
#include "results.h"

/* Why a cell does not run, in the order the rules are applied. */
typedef enum {
    MPC_NA_NONE,          /* it runs */
    MPC_NA_CASE_ERROR,    /* the case file is malformed: error */
    MPC_NA_NOT_INSTALLED, /* the profile's probe failed: skip */
    MPC_NA_IMPL_METHOD,   /* the profile has no such start method: skip */
    MPC_NA_CASE_METHOD,   /* the case does not apply to the method: skip */
    MPC_NA_DECLARED,      /* the case declares its contract not
                           * expressible there (`not-applicable:`): n/a */
    MPC_NA_NO_FILE,       /* the case has no file the profile requires
                           * (case.c for ref): missing */
} mpc_na_t;

/* The facts about a cell known before it runs (1 = yes). */
typedef struct {
    int case_ok;         /* the case file parsed */
    int installed;       /* the profile's probe passed */
    int impl_has_method; /* the profile lists the method */
    int case_has_method; /* the case lists the method */
    int has_required;    /* the profile's `requires:` file exists (or none) */
    int declared_na;     /* the case says `not-applicable:` this profile */
} mpc_cell_facts_t;

/* The first rule that keeps a cell from running, or MPC_NA_NONE. */
mpc_na_t mpc_verdict_applies(const mpc_cell_facts_t *f);
/* The status of a cell that does not run for reason na (not MPC_NA_NONE). */
mpc_status_t mpc_verdict_na_status(mpc_na_t na);

/* How one run of a case ended, as the supervisor saw it. */
typedef struct {
    int start_error;   /* it could not be started */
    int timed_out;     /* killed at its timeout */
    int exit_status;   /* exit code, or -N when killed by signal N */
    int expected_exit; /* the case's `exit:` (a case may expect -SIGTERM) */
} mpc_run_end_t;

/* The status of a run from how it ended, or -1 when the output must be
 * judged (mpc_verdict_judged).  A signal the case does not expect is a
 * crash, before any look at the output. */
int mpc_verdict_ended(const mpc_run_end_t *e);
/* The status of a judged run from mpc_judge's MPC_M_PASS / MPC_M_FAIL /
 * MPC_M_ERROR (an error: the case itself is wrong, e.g. an ambiguous item). */
mpc_status_t mpc_verdict_judged(int match_outcome);

/* The runs of one cell (--repeat N): their statuses, the first one, the
 * count of passes.  Zero-initialise, then mpc_tally_add each run. */
typedef struct {
    int runs, passes;
    mpc_status_t first;
    unsigned seen; /* bit (1u << status) for each status seen */
} mpc_tally_t;

void mpc_tally_add(mpc_tally_t *t, mpc_status_t s);
/* The first run's status when every run had the same, else flaky. */
mpc_status_t mpc_tally_status(const mpc_tally_t *t);

/*
 * A known divergence shows up as a wrong output or as a hang, depending on
 * timing (billiard's Pool under fork: a worker's lost result is a wrong
 * list one run and a wait that never ends the next).  So `fail` and
 * `timeout` are one divergence: a known-failures line expecting either
 * accepts both.  crash, error and flaky stay distinct (a crash is a
 * different bug; an error is the harness's or the case's, never excused).
 * Returns 1 when a known failure expecting `expected` accepts `seen`.
 */
int mpc_verdict_same_divergence(int expected, mpc_status_t seen);

/* What a known failure did to a cell. */
typedef enum {
    MPC_KF_NONE,         /* no known failure: the tally's status */
    MPC_KF_XFAIL,        /* the expected failure happened: xfail */
    MPC_KF_INTERMITTENT, /* an intermittent failure was flaky: xfail */
    MPC_KF_QUIET,        /* an intermittent failure did not happen: pass */
    MPC_KF_XPASS,        /* a known failure passes: xpass (a failure) */
    MPC_KF_OTHER,        /* another failure than expected: keeps its status */
} mpc_kf_outcome_t;

/* The verdict of a cell whose runs are t, given the known failure kf
 * (NULL: none).  *how (optional) says which rule applied. */
mpc_status_t mpc_verdict_known(const mpc_tally_t *t,
                               const mpc_known_failure_t *kf,
                               mpc_kf_outcome_t *how);

/* A status that makes `run` exit 1: fail, timeout, crash, error, xpass,
 * flaky.  A leak does not change a cell's status (a passing cell with a
 * leak stays pass and carries the leak), so it is not counted here. */
int mpc_status_is_bad(mpc_status_t s);
/* Counted as passed in the closing line (pass, xfail) and as skipped
 * (skip, missing, n/a). */
int mpc_status_is_passed(mpc_status_t s);
int mpc_status_is_skipped(mpc_status_t s);

#endif /* MPC_VERDICT_H */
