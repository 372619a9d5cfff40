/*
 * cmd_merge.c - `mpconform merge OUT.json IN.json...`: join the results of
 * the shards of one run, check they are that (the same command but for
 * --shard, every shard once), record each shard's command, print the
 * totals and rewrite the four reports beside OUT.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "console.h"
#include "report.h"
#include "results.h"
#include "verdict.h"

/* Options that may differ between the shards of one run. */
static int shard_specific(const char *a, int *takes_value)
{
    static const char *const names[] = {"--shard", "--report", "--jobs", "-j"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        size_t n = strlen(names[i]);
        if (strncmp(a, names[i], n) == 0 && (a[n] == '\0' || a[n] == '=')) {
            *takes_value = a[n] == '\0';
            return 1;
        }
    }
    return 0;
}

/* The shard's command without what may differ between shards, as one
 * string for comparison. */
static char *common_command(const mpc_shard_info_t *sh)
{
    mpc_buf_t b;
    mpc_buf_init(&b);
    for (size_t i = 0; i < sh->argc; i++) {
        int takes_value = 0;
        if (shard_specific(sh->argv[i], &takes_value)) {
            i += (size_t)takes_value;
            continue;
        }
        mpc_buf_printf(&b, "%s%s", b.len ? " " : "", sh->argv[i]);
    }
    return mpc_buf_take(&b);
}

/* Each shard an input brings: its own, or those of a merged run. */
static void add_shards(mpc_shard_info_t **v, size_t *n, char ***from,
                       const mpc_run_t *in, const char *path)
{
    size_t k = in->nshards ? in->nshards : 1;
    *v = mpc_xrealloc(*v, (*n + k) * sizeof **v);
    *from = mpc_xrealloc(*from, (*n + k) * sizeof **from);
    for (size_t i = 0; i < k; i++) {
        mpc_shard_info_t *d = &(*v)[*n];
        const char *shard = in->nshards ? in->shards[i].shard : in->shard;
        char *const *argv = in->nshards ? in->shards[i].argv : in->argv;
        d->argc = in->nshards ? in->shards[i].argc : in->argc;
        d->shard = mpc_xstrdup(shard ? shard : "");
        d->argv = mpc_xcalloc(d->argc + 1, sizeof *d->argv);
        for (size_t j = 0; j < d->argc; j++)
            d->argv[j] = mpc_xstrdup(argv[j]);
        (*from)[(*n)++] = mpc_xstrdup(path);
    }
}

/* The shards make one run: K/N each, one N, every K once, one command.
 * Returns 0, or -1 after saying why on stderr. */
static int check_shards(const mpc_shard_info_t *v, size_t n, char **from)
{
    int total = 0;
    char *seen = NULL, *cmd0 = NULL;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        int k, nn, used = 0;
        if (sscanf(v[i].shard, "%d/%d%n", &k, &nn, &used) != 2 ||
            v[i].shard[used] || nn < 1 || k < 1 || k > nn) {
            fprintf(stderr, "mpconform: merge: %s is not a shard (\"%s\")\n",
                    from[i], v[i].shard);
            rc = -1;
        } else if (i == 0) {
            total = nn;
            seen = mpc_xcalloc((size_t)nn + 1, 1);
            cmd0 = common_command(&v[0]);
        } else if (nn != total) {
            fprintf(stderr,
                    "mpconform: merge: %s is shard %s, %s is of %d shards\n",
                    from[i], v[i].shard, from[0], total);
            rc = -1;
        }
        if (rc == 0 && seen[k]++) {
            fprintf(stderr, "mpconform: merge: shard %s given twice (%s)\n",
                    v[i].shard, from[i]);
            rc = -1;
        }
        char *cmd = rc == 0 ? common_command(&v[i]) : NULL;
        if (cmd && strcmp(cmd, cmd0) != 0) {
            fprintf(stderr,
                    "mpconform: merge: %s and %s are not shards of one run:\n"
                    "  mpconform %s\n  mpconform %s\n",
                    from[0], from[i], cmd0, cmd);
            rc = -1;
        }
        free(cmd);
    }
    for (int k = 1; rc == 0 && k <= total; k++)
        if (!seen[k]) {
            fprintf(stderr, "mpconform: merge: shard %d/%d is missing\n", k,
                    total);
            rc = -1;
        }
    free(seen);
    free(cmd0);
    return rc;
}

/* The status counts and closing line, as `run` prints them; 1 when a
 * cell failed. */
static int totals(const mpc_run_t *run)
{
    mpc_console_t con = {.tap = 0};
    for (size_t i = 0; i < run->nresults; i++)
        if ((int)run->results[i].status >= 0 &&
            run->results[i].status < MPC_NSTATUS)
            con.counts[run->results[i].status]++;
    mpc_console_totals(&con);
    return mpc_console_bad(&con) ? 1 : 0;
}

static int write_out(mpc_run_t *out, const char *outp)
{
    const char *slash = strrchr(outp, '/');
    char *dir =
        slash ? mpc_xstrndup(outp, (size_t)(slash - outp)) : mpc_xstrdup(".");
    int rc = mpc_report_write_all(out, dir) < 0 ? 2 : 0;
    if (rc == 0 && strcmp(slash ? slash + 1 : outp, "results.json") != 0)
        rc = mpc_results_write_json(out, outp) < 0 ? 2 : 0;
    if (rc == 0)
        printf("merged %zu results of %zu shards into %s (reports in %s)\n",
               out->nresults, out->nshards, outp, dir);
    free(dir);
    return rc;
}

static void free_from(char **from, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(from[i]);
    free(from);
}

static int run(mpc_session_t *s)
{
    const mpc_strv_t *args = &s->o.args;
    if (args->n < 2)
        mpc_die("merge: want OUT.json IN.json...");
    mpc_run_t out = {0};
    mpc_shard_info_t *shards = NULL;
    char **from = NULL;
    size_t nshards = 0;
    int rc = 0;
    for (size_t i = 1; i < args->n && rc == 0; i++) {
        mpc_run_t in = {0};
        if (mpc_results_load_json(args->v[i], &in) < 0) {
            rc = 2;
            break;
        }
        add_shards(&shards, &nshards, &from, &in, args->v[i]);
        if (i == 1)
            out = in;
        else if (mpc_run_merge(&out, &in) < 0)
            rc = 2;
        if (i > 1)
            mpc_run_free(&in);
    }
    if (rc == 0 && check_shards(shards, nshards, from) < 0)
        rc = 2;
    free_from(from, nshards);
    /* the merged run's shards replace the first input's (if merged) */
    mpc_run_t tmp = {.shards = out.shards, .nshards = out.nshards};
    mpc_run_free(&tmp);
    out.shards = shards;
    out.nshards = nshards;
    if (rc == 0) {
        free(out.shard);
        out.shard = mpc_xasprintf("merged %zu", nshards);
        rc = write_out(&out, args->v[0]);
    }
    if (rc == 0)
        rc = totals(&out);
    mpc_run_free(&out);
    return rc;
}

const mpc_command_t mpc_cmd_merge = {
    .name = "merge",
    .args = "OUT.json IN.json...",
    .summary = "join shard results, rewrite the reports beside OUT",
    .help = "Join the results.json of the shards of one run (mpconform run\n"
            "--shard K/N, each K once; an empty shard's file too) into\n"
            "OUT.json, record each shard's command, write junit.xml,\n"
            "summary.md and index.html beside it, and print the totals.\n"
            "Shards of different commands (anything but --shard, --report,\n"
            "--jobs), a shard given twice or a missing shard are refused.\n",
    .groups = 0,
    .exits = "0  merged; no cell is fail, timeout, crash, error, xpass, flaky\n"
             "1  merged; some cell is\n"
             "2  usage error, an unreadable file, shards that are not one\n"
             "   run (nothing written)\n",
    .run = run,
};
