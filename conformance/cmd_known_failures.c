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
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "divergences.h"
#include "results.h"

/* The version NAME's cells were judged at in the run, or NULL. */
static const char *judged_at(const mpc_run_t *r, const char *impl)
{
    for (size_t i = 0; i < r->nimpls; i++)
        if (strcmp(r->impls[i].name, impl) == 0 && r->impls[i].judged_at &&
            *r->impls[i].judged_at)
            return r->impls[i].judged_at;
    return NULL;
}

/* The lines of the file, each prefixed by `python X.Y: ` (--versioned). */
static int write_versioned(const mpc_run_t *r, const char *impl,
                           const char *ver)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m)
        return -1;
    int rc = mpc_known_failures_write(m, r, impl);
    if (fclose(m) != 0)
        rc = -1;
    for (const char *s = text; rc == 0 && s && *s;) {
        size_t n = strcspn(s, "\n");
        if (*s == '#')
            printf("%.*s\n", (int)n, s);
        else
            printf("python %s: %.*s\n", ver, (int)n, s);
        s += n + (s[n] ? 1 : 0);
    }
    free(text);
    return rc;
}

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
        const char *ver = seen ? judged_at(&r, impl) : NULL;
        if (!seen) {
            fprintf(stderr, "mpconform: %s has no cell of %s\n", args->v[0],
                    impl);
        } else if (s->o.versioned && !ver) {
            fprintf(stderr,
                    "mpconform: %s does not say at which Python version %s "
                    "was judged (--versioned)\n",
                    args->v[0], impl);
        } else {
            printf("# Known failures of %s, written by `mpconform "
                   "known-failures` from %s\n"
                   "# (generated %s): CASE-ID METHOD STATUS REASON...\n",
                   impl, args->v[0], r.generated ? r.generated : "?");
            if (s->o.versioned) {
                printf("# judged at Python %s: each line holds there only\n",
                       ver);
                rc = write_versioned(&r, impl, ver) < 0 ? 2 : 0;
            } else {
                rc = mpc_known_failures_write(stdout, &r, impl) < 0 ? 2 : 0;
            }
            if (fflush(stdout) != 0 || ferror(stdout))
                rc = 2;
        }
    }
    mpc_run_free(&r);
    return rc;
}

const mpc_command_t mpc_cmd_known_failures = {
    .name = "known-failures",
    .args = "RESULTS.json --impl NAME [--versioned]",
    .summary = "write a known-failures file for NAME from a run (stdout)",
    .help = "Write to stdout the lines of a known-failures file (PROFILES.md)\n"
            "for implementation NAME from a run: one `CASE METHOD STATUS\n"
            "REASON` per case and method where NAME diverged from the oracle\n"
            "(METHOD `*` when every method the case ran under diverged the\n"
            "same way).  A cell that was xfail keeps its line's status and\n"
            "reason; a cell that failed gets its status (fail, timeout,\n"
            "crash, flaky) and what failed (the mismatch or the detail) as\n"
            "the reason, to be reviewed before the file is committed.\n"
            "With --versioned every line is qualified by the version NAME\n"
            "was judged at in that run (`python 3.9: CASE ...`, PROFILES.md),\n"
            "for a file that holds the lines of several versions.\n",
    .groups = 0,
    .exits = "0  written\n"
             "2  usage error, RESULTS.json unreadable or invalid, or NAME has "
             "no cell in it\n",
    .run = run,
};
