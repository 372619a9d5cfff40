/*
 * cmd_diff.c - `mpconform diff OLD.json NEW.json`: what changed between two
 * runs, cell by cell (case x implementation x method): newly failing, newly
 * passing, newly flaky, known failures that stopped happening, other
 * changes, and the cases added and removed.  A regression (a cell newly
 * failing or newly flaky) makes it exit 1, so CI can gate on a baseline.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "results.h"
#include "verdict.h"

typedef enum {
    D_FAILING, /* not bad before, bad now (not an xfail that passes) */
    D_FLAKY,   /* flaky now, not before */
    D_PASSING, /* bad before, pass now */
    D_STOPPED, /* xfail before, pass or xpass now */
    D_OTHER,   /* any other change of status */
    D_ADDED,   /* a cell only in NEW */
    D_REMOVED, /* a cell only in OLD */
    D_NKINDS
} kind_t;

static const char *const titles[D_NKINDS] = {
    "newly failing", "newly flaky",
    "newly passing", "known failures that stopped happening",
    "other changes", "added cells",
    "removed cells",
};

/* The kind of change from o to n (both present), or -1 for none. */
static int classify(mpc_status_t o, mpc_status_t n)
{
    if (o == n)
        return -1;
    if (o == MPC_XFAIL && (n == MPC_PASS || n == MPC_XPASS))
        return D_STOPPED;
    if (n == MPC_FLAKY)
        return D_FLAKY;
    if (mpc_status_is_bad(n) && !mpc_status_is_bad(o))
        return D_FAILING;
    if (n == MPC_PASS && mpc_status_is_bad(o))
        return D_PASSING;
    return D_OTHER;
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

static void line(mpc_buf_t *b, const mpc_result_t *o, const mpc_result_t *n)
{
    const mpc_result_t *r = n ? n : o;
    mpc_buf_printf(b, "  %s/%s %s", r->impl, r->method, r->case_id);
    if (o && n)
        mpc_buf_printf(b, ": %s -> %s", mpc_status_name(o->status),
                       mpc_status_name(n->status));
    else
        mpc_buf_printf(b, ": %s", mpc_status_name(r->status));
    if (n && n->detail && *n->detail && mpc_status_is_bad(n->status))
        mpc_buf_printf(b, ": %s", n->detail);
    mpc_buf_addc(b, '\n');
}

/* The cases one run has and the other has not. */
static size_t case_list(mpc_buf_t *b, const mpc_run_t *in,
                        const mpc_run_t *not_in)
{
    size_t n = 0;
    for (size_t i = 0; i < in->ncases; i++)
        if (!has_case(not_in, in->cases[i].id)) {
            mpc_buf_printf(b, "  %s\n", in->cases[i].id);
            n++;
        }
    return n;
}

static void section(const char *title, size_t n, mpc_buf_t *b)
{
    if (n)
        printf("%s (%zu):\n%s", title, n, b->s);
}

static int diff(const mpc_run_t *old, const mpc_run_t *new_)
{
    mpc_buf_t out[D_NKINDS];
    size_t count[D_NKINDS] = {0};
    for (int k = 0; k < D_NKINDS; k++)
        mpc_buf_init(&out[k]);
    for (size_t i = 0; i < new_->nresults; i++) {
        const mpc_result_t *n = &new_->results[i], *o = find(old, n);
        int k = o ? classify(o->status, n->status) : D_ADDED;
        if (k >= 0) {
            line(&out[k], o, n);
            count[k]++;
        }
    }
    for (size_t i = 0; i < old->nresults; i++)
        if (!find(new_, &old->results[i])) {
            line(&out[D_REMOVED], &old->results[i], NULL);
            count[D_REMOVED]++;
        }
    mpc_buf_t added, removed;
    mpc_buf_init(&added);
    mpc_buf_init(&removed);
    size_t nadded = case_list(&added, new_, old);
    size_t nremoved = case_list(&removed, old, new_);
    printf("mpconform diff: %zu cells before, %zu now\n", old->nresults,
           new_->nresults);
    for (int k = 0; k < D_NKINDS; k++) {
        section(titles[k], count[k], &out[k]);
        mpc_buf_free(&out[k]);
    }
    section("added cases", nadded, &added);
    section("removed cases", nremoved, &removed);
    mpc_buf_free(&added);
    mpc_buf_free(&removed);
    size_t bad = count[D_FAILING] + count[D_FLAKY];
    if (bad)
        printf("regression: %zu newly failing, %zu newly flaky\n",
               count[D_FAILING], count[D_FLAKY]);
    else
        printf("no regression\n");
    return bad ? 1 : 0;
}

static int run(mpc_session_t *s)
{
    const mpc_strv_t *args = &s->o.args;
    if (args->n != 2)
        mpc_die("diff: want OLD.json NEW.json");
    mpc_run_t old = {0}, new_ = {0};
    int rc = 2;
    if (mpc_results_load_json(args->v[0], &old) == 0 &&
        mpc_results_load_json(args->v[1], &new_) == 0)
        rc = diff(&old, &new_);
    mpc_run_free(&old);
    mpc_run_free(&new_);
    return rc;
}

const mpc_command_t mpc_cmd_diff = {
    .name = "diff",
    .args = "OLD.json NEW.json",
    .summary = "what changed between two runs; exit 1 on a regression",
    .help = "Compare two results.json (a baseline and a new run) cell by cell\n"
            "(case x implementation x method) and list: newly failing cells\n"
            "(not fail/timeout/crash/error/xpass/flaky before, one of them\n"
            "now), newly flaky, newly passing, known failures that stopped\n"
            "happening (xfail before, pass or xpass now), other changes of\n"
            "status, cells and cases added and removed.\n",
    .groups = 0,
    .exits = "0  no regression\n"
             "1  a cell is newly failing or newly flaky\n"
             "2  usage error, an unreadable results.json\n",
    .run = run,
};
