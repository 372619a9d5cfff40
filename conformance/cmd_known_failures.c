/*
 * cmd_known_failures.c - `mpconform known-failures RESULTS.json --impl
 * NAME`: a known-failures file (PROFILES.md) for NAME from a run, on
 * stdout: one line "CASE METHOD STATUS REASON" per case and method that
 * diverged (METHOD "*" when every method the case ran under diverged the
 * same way), the entries that applied kept with their reason, new failures
 * with what failed as the reason.  wpt's update-expectations, for this
 * harness: review it, then commit it as conformance/impls/NAME.known-failures.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "divergences.h"
#include "results.h"

static int run(mpc_session_t *s)
{
    const mpc_strv_t *args = &s->o.args;
    if (args->n != 1 || s->o.impls.n != 1)
        mpc_die("known-failures: want RESULTS.json --impl NAME");
    const char *impl = s->o.impls.v[0];
    mpc_run_t r = {0};
    int rc = 2;
    if (mpc_results_load_json(args->v[0], &r) == 0) {
        int seen = 0;
        for (size_t i = 0; i < r.nresults; i++)
            seen |= strcmp(r.results[i].impl, impl) == 0;
        if (!seen) {
            fprintf(stderr, "mpconform: %s has no cell of %s\n", args->v[0],
                    impl);
        } else {
            printf("# Known failures of %s, written by `mpconform "
                   "known-failures` from %s\n"
                   "# (generated %s): CASE-ID METHOD STATUS REASON...\n",
                   impl, args->v[0], r.generated ? r.generated : "?");
            rc = mpc_known_failures_write(stdout, &r, impl) < 0 ? 2 : 0;
            if (fflush(stdout) != 0 || ferror(stdout))
                rc = 2;
        }
    }
    mpc_run_free(&r);
    return rc;
}

const mpc_command_t mpc_cmd_known_failures = {
    .name = "known-failures",
    .args = "RESULTS.json --impl NAME",
    .summary = "write a known-failures file for NAME from a run (stdout)",
    .help = "Write to stdout the lines of a known-failures file (PROFILES.md)\n"
            "for implementation NAME from a run: one `CASE METHOD STATUS\n"
            "REASON` per case and method where NAME diverged from the oracle\n"
            "(METHOD `*` when every method the case ran under diverged the\n"
            "same way).  A cell that was xfail keeps its line's status and\n"
            "reason; a cell that failed gets its status (fail, timeout,\n"
            "crash, flaky) and what failed (the mismatch or the detail) as\n"
            "the reason, to be reviewed before the file is committed.\n",
    .groups = 0,
    .exits = "0  written\n"
             "2  usage error, RESULTS.json unreadable or invalid, or NAME has "
             "no cell in it\n",
    .run = run,
};
