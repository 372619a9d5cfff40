/*
 * cmd_versions.c - `mpconform versions RESULTS.json`: the cross-version
 * view of a run (model/versions.h): each implementation's Python version
 * and oracle, the cases' `change:` sections by version, and per case and
 * start method the CPythons whose verdicts or output differ.
 */
#include <stdio.h>

#include "cmd.h"
#include "results.h"
#include "versions.h"

static int run(mpc_session_t *s)
{
    const mpc_strv_t *args = &s->o.args;
    if (args->n != 1)
        mpc_die("versions: want RESULTS.json");
    mpc_run_t r = {0};
    int rc = 2;
    if (mpc_results_load_json(args->v[0], &r) == 0) {
        long rows = mpc_versions_write(stdout, &r, 0);
        rc = rows < 0 ? 2 : 0;
        if (rows < 0)
            fputs("mpconform: versions: out of memory\n", stderr);
        if (fflush(stdout) != 0 || ferror(stdout))
            rc = 2;
    }
    mpc_run_free(&r);
    return rc;
}

const mpc_command_t mpc_cmd_versions = {
    .name = "versions",
    .args = "RESULTS.json",
    .summary = "the cross-version view of a run: what changed between CPythons",
    .help = "Print, from a run: each implementation's Python version, its\n"
            "oracle (the CPython it was judged against) and the version it\n"
            "was judged at; the `change:` sections of the run's cases, by\n"
            "version; and per case and start method the CPythons whose\n"
            "verdicts or output (numbers aside) differ, with the case's\n"
            "`change:` sections.  summary.md and index.html hold the same\n"
            "section when more than one CPython ran.\n",
    .groups = 0,
    .exits = "0  printed (differences are not an error)\n"
             "2  usage error, or RESULTS.json unreadable or invalid\n",
    .run = run,
};
