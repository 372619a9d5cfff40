/*
 * cmd_divergences.c - `mpconform divergences RESULTS.json`: each
 * implementation's divergences from the oracle in that run, grouped by
 * reason (the known-failures entry, or what failed), with the cases and
 * methods that show each (model/divergences.h).  The same list as
 * summary.md's "Divergences" section, for a terminal.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "divergences.h"
#include "results.h"

static int print(const mpc_run_t *run, const mpc_strv_t *only)
{
    mpc_divergence_t *v;
    long n = mpc_divergences(run, &v);
    if (n < 0) {
        fputs("mpconform: divergences: out of memory\n", stderr);
        return 2;
    }
    const char *impl = NULL;
    long shown = 0;
    for (long i = 0; i < n; i++) {
        int wanted = only->n == 0;
        for (size_t k = 0; k < only->n; k++)
            wanted |= strcmp(only->v[k], v[i].impl) == 0;
        if (!wanted)
            continue;
        if (impl == NULL || strcmp(impl, v[i].impl) != 0) {
            impl = v[i].impl;
            printf("%s%s:\n", shown ? "\n" : "", impl);
        }
        printf("  %s %s: %s\n    ", v[i].known ? "known" : "NEW  ", v[i].status,
               v[i].reason);
        mpc_divergence_cells(stdout, run, &v[i], NULL);
        putchar('\n');
        shown++;
    }
    if (shown == 0)
        puts("no divergence from the oracle");
    mpc_divergences_free(v, n);
    return 0;
}

static int run(mpc_session_t *s)
{
    const mpc_strv_t *args = &s->o.args;
    if (args->n != 1)
        mpc_die("divergences: want RESULTS.json");
    mpc_run_t r = {0};
    int rc = 2;
    if (mpc_results_load_json(args->v[0], &r) == 0)
        rc = print(&r, &s->o.impls);
    mpc_run_free(&r);
    return rc;
}

const mpc_command_t mpc_cmd_divergences = {
    .name = "divergences",
    .args = "RESULTS.json [--impl LIST]",
    .summary = "each implementation's divergences from CPython in a run",
    .help = "Print, per implementation (those of --impl, else all but the\n"
            "oracle), its divergences from the oracle in a run, grouped by\n"
            "reason: first the known ones (xfail cells, by the reason of the\n"
            "known-failures line that applied), then the cells that failed\n"
            "(fail, timeout, crash, flaky; by their mismatch or detail), each\n"
            "with its cases and methods ('*': every method the case ran\n"
            "under).  The same list as summary.md's Divergences section.\n",
    .groups = 0,
    .exits = "0  printed (divergences are not an error)\n"
             "2  usage error, or RESULTS.json unreadable or invalid\n",
    .run = run,
};
