/*
 * cmd_strength.c - mpconform strength: how many wrong outputs each case
 * rejects (output mutation).
 *
 * For every passing oracle run in a results.json (written by `mpconform run
 * --impl cpython`), the outputs a broken implementation would print are made
 * from the real one — two adjacent distinct lines swapped, a line dropped or
 * duplicated, one number changed, a timestamp or the wall time moved beyond
 * the case's tolerance, the exit status changed, a traceback added to
 * stderr, the output cut short — and each is judged by the same matcher as
 * a real run.  A variant the case accepts is reported, unless the line it
 * touched is one the case leaves free (replacing that line by garbage is
 * accepted too: a `...` or a capture no relation reads) or an allow-list
 * line (conformance/strength.allow: CASE-GLOB KIND REASON) says why CPython
 * itself may print it.  Exit status 1 when a case accepts a variant nobody
 * explained.
 *
 * `mpconform strength judge CASE STDOUT [STDERR [EXIT [WALL]]]` judges one
 * saved (or hand-mutated) output instead: the replay of a wrong output
 * through the matcher.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "cmd.h"
#include "match.h"
#include "results.h"
#include "strength.h"
#include "util.h"

typedef struct {
    const char *cases; /* the cases root */
    double scale;      /* MP_TIME_SCALE of a judged output */
} sopts_t;

static int load_case(const sopts_t *o, const char *id, mpc_case_t *c)
{
    char *path = mpc_xasprintf("%s/%s/case.exp", o->cases, id);
    char *err = NULL;
    int rc = mpc_case_load(path, o->cases, c, &err);
    if (rc != 0) {
        fprintf(stderr, "mpconform strength: %s\n", err ? err : path);
        free(err);
    }
    free(path);
    return rc;
}

/* judge CASE STDOUT [STDERR [EXIT [WALL]]]: one saved output */
static int do_judge(const sopts_t *o, const mpc_strv_t *args)
{
    if (args->n < 3 || args->n > 6)
        mpc_die("strength judge: want CASE STDOUT [STDERR [EXIT [WALL]]]");
    mpc_case_t c;
    if (load_case(o, args->v[1], &c) != 0)
        return 2;
    size_t ol = 0, el = 0;
    char *out = mpc_read_file(args->v[2], &ol);
    char *err = args->n > 3 ? mpc_read_file(args->v[3], &el) : mpc_xstrdup("");
    if (!out || !err) {
        fprintf(stderr, "mpconform strength: cannot read the output\n");
        free(out);
        free(err);
        mpc_case_free(&c);
        return 2;
    }
    mpc_run_output_t r = {out,
                          err,
                          ol,
                          el,
                          args->n > 4 ? atoi(args->v[4]) : 0,
                          args->n > 5 ? atof(args->v[5]) : 0,
                          c.has_time_scale ? c.time_scale : o->scale};
    mpc_captures_t caps = {0};
    mpc_mismatch_t *mm = NULL;
    char *detail = NULL;
    int v = mpc_judge(&c, &r, NULL, &caps, &mm, &detail);
    if (v == MPC_M_PASS) {
        printf("%s: accepted\n", c.id);
    } else {
        char *d = mm ? mpc_mismatch_describe(mm) : NULL;
        printf("%s: %s: %s\n", c.id, v == MPC_M_FAIL ? "rejected" : "error",
               d        ? d
               : detail ? detail
                        : "");
        free(d);
    }
    mpc_captures_free(&caps);
    if (mm)
        mpc_mismatch_free(mm);
    free(detail);
    free(out);
    free(err);
    mpc_case_free(&c);
    return v == MPC_M_PASS ? 0 : 1;
}

static int run(mpc_session_t *s)
{
    const mpc_strv_t *args = &s->o.args;
    sopts_t o = {s->o.cases_root, s->o.time_scale};
    if (args->n && strcmp(args->v[0], "judge") == 0)
        return do_judge(&o, args);
    if (!args->n)
        mpc_die("strength: want RESULTS.json... (or judge CASE STDOUT ...)");
    char *allowp = mpc_xasprintf("%s/conformance/strength.allow", s->o.source);
    mpc_strv_t allow = {0};
    if (mpc_strength_allow_load(allowp, &allow) != 0) {
        free(allowp);
        return 2;
    }
    free(allowp);
    int rc = 0;
    size_t ncases = 0, nbad = 0, tried = 0, rejected = 0;
    printf("%-44s %-10s %6s %8s %5s %7s %5s\n", "case", "method", "tried",
           "rejected", "free", "allowed", "BAD");
    for (size_t f = 0; f < args->n; f++) {
        mpc_run_t run;
        memset(&run, 0, sizeof run);
        if (mpc_results_load_json(args->v[f], &run) != 0) {
            rc = 2;
            continue;
        }
        for (size_t i = 0; i < run.nresults; i++) {
            const mpc_result_t *r = &run.results[i];
            if (!run.oracle_impl || strcmp(r->impl, run.oracle_impl) != 0 ||
                r->status != MPC_PASS || r->truncated)
                continue;
            int sel = !s->o.filters.n;
            for (size_t k = 0; k < s->o.filters.n; k++)
                sel |= fnmatch(s->o.filters.v[k], r->case_id, 0) == 0;
            if (!sel)
                continue;
            mpc_case_t c;
            if (load_case(&o, r->case_id, &c) != 0) {
                rc = 2;
                continue;
            }
            mpc_strength_cell_t t;
            if (mpc_strength_cell(&c, r, run.time_scale, &allow, stdout, &t) <
                0) {
                printf("%-44s %-10s  the recorded run does not pass\n", c.id,
                       r->method);
                rc = rc ? rc : 1;
                nbad++;
                mpc_case_free(&c);
                continue;
            }
            printf("%-44s %-10s %6zu %8zu %5zu %7zu %5zu\n", c.id, r->method,
                   t.tried, t.rejected, t.free_, t.allowed, t.accepted);
            tried += t.tried;
            rejected += t.rejected;
            nbad += t.accepted;
            ncases++;
            mpc_case_free(&c);
        }
        mpc_run_free(&run);
    }
    printf("strength: %zu cells, %zu variants, %zu rejected, %zu accepted "
           "without a reason\n",
           ncases, tried, rejected, nbad);
    if (nbad && !rc)
        rc = 1;
    mpc_strv_free(&allow);
    return rc;
}

const mpc_command_t mpc_cmd_strength = {
    .name = "strength",
    .args = "RESULTS.json...",
    .summary = "replay wrong variants of the oracle's outputs",
    .help = "Output mutation. For every passing oracle cell of the results\n"
            "(mpconform run --impl cpython), judge the wrong outputs a broken\n"
            "implementation would print: adjacent lines swapped, a line\n"
            "dropped or duplicated, a number changed, a timestamp or the wall\n"
            "time moved past the tolerance, the exit status changed, a\n"
            "traceback added, the output cut short. A variant the case\n"
            "accepts is reported unless the case leaves that part free or a\n"
            "line of SOURCE/conformance/strength.allow gives CPython's\n"
            "reason. `mpconform strength judge CASE STDOUT [STDERR [EXIT\n"
            "[WALL]]]` judges one saved output (--time-scale applies).\n",
    .groups = MPC_OPTG_ROOT | MPC_OPTG_SELECT,
    .exits = "0  every variant rejected or explained (judge: accepted)\n"
             "1  a variant accepted without a reason, or a recorded run that\n"
             "   no longer passes (judge: rejected)\n"
             "2  usage error, an unreadable file or case\n",
    .run = run,
};
