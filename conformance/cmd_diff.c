/*
 * cmd_diff.c - `mpconform diff OLD.json NEW.json`: what changed between two
 * runs, cell by cell (case x implementation x method): newly failing, newly
 * flaky, newly passing, known failures that stopped happening, other
 * changes, and the cells and cases added and removed.  A regression (a
 * cell newly failing or newly flaky) makes it exit 1, so CI can gate on a
 * baseline.  With --report DIR, also DIR/diff.html.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "report.h"
#include "results.h"
#include "verdict.h"

/* The kind of change from o to n (both present), or -1 for none. */
static int classify(mpc_status_t o, mpc_status_t n)
{
    if (o == n)
        return -1;
    if (o == MPC_XFAIL && (n == MPC_PASS || n == MPC_XPASS))
        return MPC_DIFF_STOPPED;
    if (n == MPC_FLAKY)
        return MPC_DIFF_FLAKY;
    if (mpc_status_is_bad(n) && !mpc_status_is_bad(o))
        return MPC_DIFF_FAILING;
    if (n == MPC_PASS && mpc_status_is_bad(o))
        return MPC_DIFF_PASSING;
    return MPC_DIFF_OTHER;
}

static const mpc_result_t *find(const mpc_run_t *run, const mpc_result_t *r)
{
    for (size_t i = 0; i < run->nresults; i++) {
        const mpc_result_t *x = &run->results[i];
        if (strcmp(x->case_id, r->case_id) == 0 &&
            strcmp(x->impl, r->impl) == 0 && strcmp(x->method, r->method) == 0)
            return x;
    }
    return NULL;
}

static int has_case(const mpc_run_t *run, const char *id)
{
    for (size_t i = 0; i < run->ncases; i++)
        if (strcmp(run->cases[i].id, id) == 0)
            return 1;
    return 0;
}

/* The cases of `in` that `not_in` has not (borrowed ids). */
static const char **case_list(const mpc_run_t *in, const mpc_run_t *not_in,
                              size_t *n)
{
    const char **v = mpc_xcalloc(in->ncases + 1, sizeof *v);
    *n = 0;
    for (size_t i = 0; i < in->ncases; i++)
        if (!has_case(not_in, in->cases[i].id))
            v[(*n)++] = in->cases[i].id;
    return v;
}

static void add(mpc_diff_t *d, int kind, const mpc_result_t *o,
                const mpc_result_t *n)
{
    d->v[d->n++] =
        (mpc_diff_entry_t){.kind = (mpc_diff_kind_t)kind, .old = o, .new_ = n};
    d->count[kind]++;
}

static int by_kind(const void *a, const void *b)
{
    const mpc_diff_entry_t *x = a, *y = b;
    return x->kind != y->kind ? (int)x->kind - (int)y->kind
           : x < y            ? -1
                              : x > y;
}

static void diff(const mpc_run_t *old, const mpc_run_t *new_, mpc_diff_t *d)
{
    d->v = mpc_xcalloc(old->nresults + new_->nresults + 1, sizeof *d->v);
    for (size_t i = 0; i < new_->nresults; i++) {
        const mpc_result_t *n = &new_->results[i], *o = find(old, n);
        int k = o ? classify(o->status, n->status) : MPC_DIFF_ADDED;
        if (k >= 0)
            add(d, k, o, n);
    }
    for (size_t i = 0; i < old->nresults; i++)
        if (!find(new_, &old->results[i]))
            add(d, MPC_DIFF_REMOVED, &old->results[i], NULL);
    /* qsort is not stable: the address keeps each kind in run order */
    if (d->n)
        qsort(d->v, d->n, sizeof *d->v, by_kind);
    d->added_cases = case_list(new_, old, &d->nadded);
    d->removed_cases = case_list(old, new_, &d->nremoved);
}

static void print_line(const mpc_diff_entry_t *e)
{
    const mpc_result_t *o = e->old, *n = e->new_, *r = n ? n : o;
    printf("  %s/%s %s", r->impl, r->method, r->case_id);
    if (o && n)
        printf(": %s -> %s", mpc_status_name(o->status),
               mpc_status_name(n->status));
    else
        printf(": %s", mpc_status_name(r->status));
    if (n && n->detail && *n->detail && mpc_status_is_bad(n->status))
        printf(": %s", n->detail);
    printf("\n");
}

static void print_cases(const char *title, const char **ids, size_t n)
{
    if (n)
        printf("%s (%zu):\n", title, n);
    for (size_t i = 0; i < n; i++)
        printf("  %s\n", ids[i]);
}

/* The text; returns 1 on a regression. */
static int print_diff(const mpc_diff_t *d, size_t nold, size_t nnew)
{
    printf("mpconform diff: %zu cells before, %zu now\n", nold, nnew);
    for (size_t i = 0; i < d->n; i++) {
        if (i == 0 || d->v[i - 1].kind != d->v[i].kind)
            printf("%s (%zu):\n", mpc_diff_title(d->v[i].kind),
                   d->count[d->v[i].kind]);
        print_line(&d->v[i]);
    }
    print_cases("added cases", d->added_cases, d->nadded);
    print_cases("removed cases", d->removed_cases, d->nremoved);
    size_t bad = d->count[MPC_DIFF_FAILING] + d->count[MPC_DIFF_FLAKY];
    if (bad)
        printf("regression: %zu newly failing, %zu newly flaky\n",
               d->count[MPC_DIFF_FAILING], d->count[MPC_DIFF_FLAKY]);
    else
        printf("no regression\n");
    return bad ? 1 : 0;
}

/* --report DIR given: DIR/diff.html.  Returns 0 or 2. */
static int write_html(const mpc_session_t *s, const mpc_diff_t *d)
{
    const mpc_opts_t *o = &s->o;
    int given = 0;
    for (int i = 2; i < o->argc; i++)
        given |= strncmp(o->argv[i], "--report", 8) == 0;
    if (!given)
        return 0;
    if (mpc_mkdirs(o->report) < 0) {
        fprintf(stderr, "mpconform: cannot create %s\n", o->report);
        return 2;
    }
    char *path = mpc_xasprintf("%s/diff.html", o->report);
    int rc = mpc_report_diff_html(d, path) < 0 ? 2 : 0;
    if (rc == 0)
        printf("diff: %s\n", path);
    free(path);
    return rc;
}

static int run(mpc_session_t *s)
{
    const mpc_strv_t *args = &s->o.args;
    if (args->n != 2)
        mpc_die("diff: want OLD.json NEW.json");
    mpc_run_t old = {0}, new_ = {0};
    int rc = 2;
    if (mpc_results_load_json(args->v[0], &old) == 0 &&
        mpc_results_load_json(args->v[1], &new_) == 0) {
        mpc_diff_t d = {.old_path = args->v[0], .new_path = args->v[1]};
        diff(&old, &new_, &d);
        rc = print_diff(&d, old.nresults, new_.nresults);
        int hrc = write_html(s, &d);
        rc = hrc ? hrc : rc;
        free(d.v);
        free(d.added_cases);
        free(d.removed_cases);
    }
    mpc_run_free(&old);
    mpc_run_free(&new_);
    return rc;
}

const mpc_command_t mpc_cmd_diff = {
    .name = "diff",
    .args = "OLD.json NEW.json [--report DIR]",
    .summary = "what changed between two runs; exit 1 on a regression",
    .help = "Compare two results.json (a baseline and a new run) cell by cell\n"
            "(case x implementation x method) and list: newly failing cells\n"
            "(not fail/timeout/crash/error/xpass/flaky before, one of them\n"
            "now), newly flaky, newly passing, known failures that stopped\n"
            "happening (xfail before, pass or xpass now), other changes of\n"
            "status, cells and cases added and removed.  With --report DIR,\n"
            "the same as DIR/diff.html.\n",
    .groups = 0,
    .exits = "0  no regression\n"
             "1  a cell is newly failing or newly flaky\n"
             "2  usage error, an unreadable results.json, diff.html not "
             "written\n",
    .run = run,
};
