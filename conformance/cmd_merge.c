/*
 * cmd_merge.c - `mpconform merge OUT.json IN.json...`: join the results of
 * shards and rewrite the four reports beside OUT.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "report.h"
#include "results.h"

static int run(mpc_session_t *s)
{
    const mpc_strv_t *args = &s->o.args;
    if (args->n < 2)
        mpc_die("merge: want OUT.json IN.json...");
    mpc_run_t out = {0};
    for (size_t i = 1; i < args->n; i++) {
        mpc_run_t in = {0};
        if (mpc_results_load_json(args->v[i], &in) < 0)
            return 2;
        if (i == 1) {
            out = in;
            continue;
        }
        if (mpc_run_merge(&out, &in) < 0) {
            mpc_run_free(&in);
            return 2;
        }
        mpc_run_free(&in);
    }
    free(out.shard);
    out.shard = mpc_xasprintf("merged %zu", args->n - 1);
    const char *outp = args->v[0];
    const char *slash = strrchr(outp, '/');
    char *dir =
        slash ? mpc_xstrndup(outp, (size_t)(slash - outp)) : mpc_xstrdup(".");
    int rc = mpc_report_write_all(&out, dir) < 0 ? 2 : 0;
    if (rc == 0 && strcmp(slash ? slash + 1 : outp, "results.json") != 0)
        rc = mpc_results_write_json(&out, outp) < 0 ? 2 : 0;
    if (rc == 0)
        printf("merged %zu results into %s (reports in %s)\n", out.nresults,
               outp, dir);
    free(dir);
    mpc_run_free(&out);
    return rc;
}

const mpc_command_t mpc_cmd_merge = {
    .name = "merge",
    .args = "OUT.json IN.json...",
    .summary = "join shard results, rewrite the reports beside OUT",
    .help = "Join the results.json of shards (mpconform run --shard K/N) into\n"
            "OUT.json and write junit.xml, summary.md and index.html beside\n"
            "it.\n",
    .groups = 0,
    .exits = "0  merged\n"
             "2  usage error, an unreadable or conflicting shard\n",
    .run = run,
};
