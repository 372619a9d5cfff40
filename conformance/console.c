/*
 * console.c - the runner's terminal and TAP output (console.h).
 */
#include "console.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict.h"

static const char *upper_status(mpc_status_t s)
{
    static const char *const up[] = {"pass",  "FAIL",  "TIMEOUT", "CRASH",
                                     "ERROR", "skip",  "missing", "xfail",
                                     "XPASS", "FLAKY", "n/a"};
    return up[s];
}

static void print_tap_comment(const char *label, const char *text)
{
    const char *s = text;
    int first = 1;
    while (*s) {
        size_t n = strcspn(s, "\n");
        printf("# %s%.*s\n", first ? label : "  ", (int)n, s);
        first = 0;
        s += n;
        if (*s)
            s++;
    }
}

static void print_output_block(const char *name, const char *text, int mark)
{
    printf("    --- %s ---\n", name);
    int no = 1;
    const char *s = text ? text : "";
    while (*s) {
        size_t n = strcspn(s, "\n");
        printf("    %s%4d| %.*s\n", no == mark ? ">" : " ", no, (int)n, s);
        no++;
        s += n;
        if (*s)
            s++;
    }
}

static void tap_cell(mpc_console_t *c, const mpc_result_t *r)
{
    c->tapn++;
    int ok = !mpc_status_is_bad(r->status) && r->status != MPC_XFAIL;
    printf("%s %d - %s/%s/%s", ok ? "ok" : "not ok", c->tapn, r->impl,
           r->method, r->case_id);
    if (mpc_status_is_skipped(r->status))
        printf(" # SKIP %s%s",
               r->status == MPC_MISSING          ? "missing: "
               : r->status == MPC_NOT_APPLICABLE ? "n/a: "
                                                 : "",
               r->detail);
    else if (r->status == MPC_XFAIL || r->status == MPC_XPASS)
        printf(" # TODO %s", r->detail);
    printf("\n");
    if (mpc_status_is_bad(r->status)) {
        char *line =
            mpc_xasprintf("%s: %s", mpc_status_name(r->status), r->detail);
        print_tap_comment("", line);
        free(line);
        const mpc_mismatch_t *m = r->mismatch;
        if (m && m->stream[0] && m->relation[0]) {
            print_tap_comment("relation: ", m->relation);
            print_tap_comment("values:   ", m->values);
        } else if (m && m->stream[0]) {
            print_tap_comment("expected: ", m->expected);
            print_tap_comment("actual:   ", m->actual);
        }
        if (c->verbose) {
            print_tap_comment("stdout: ", r->out ? r->out : "");
            print_tap_comment("stderr: ", r->err ? r->err : "");
        }
    }
    for (size_t i = 0; i < r->nleaks; i++)
        printf("# LEAK %s\n", r->leaks[i]);
    fflush(stdout);
}

static void verbose_failure(const mpc_result_t *r)
{
    const mpc_mismatch_t *m = r->mismatch;
    if (m && m->relation[0])
        printf("    relation %s: %s\n", m->relation, m->values);
    else if (m)
        printf("    %s line %d\n    expected: %s\n    actual:   %s\n",
               m->stream, m->line, m->expected, m->actual);
    print_output_block("stdout", r->out,
                       m && strcmp(m->stream, "stdout") == 0 ? m->line : 0);
    print_output_block("stderr", r->err,
                       m && strcmp(m->stream, "stderr") == 0 ? m->line : 0);
}

void mpc_console_cell(mpc_console_t *c, const mpc_result_t *r)
{
    c->counts[r->status]++;
    c->done++;
    if (c->tap) {
        tap_cell(c, r);
        return;
    }
    int show = mpc_status_is_bad(r->status) || r->nleaks || !c->tty;
    if (c->tty)
        fputs("\r\033[K", stderr);
    if (show) {
        printf("%-7s %s/%s %s", upper_status(r->status), r->impl, r->method,
               r->case_id);
        if (r->runs)
            printf(" (%.2fs)", r->duration_s);
        if (r->detail && *r->detail)
            printf(": %s", r->detail);
        printf("\n");
        for (size_t i = 0; i < r->nleaks; i++)
            printf("  LEAK %s\n", r->leaks[i]);
        if (c->verbose && mpc_status_is_bad(r->status))
            verbose_failure(r);
        fflush(stdout);
    }
    if (c->tty) {
        fprintf(stderr, "[%zu/%zu] %d failed  %s/%s %s", c->done, c->total,
                mpc_console_bad(c), r->impl, r->method, r->case_id);
        fflush(stderr);
    }
}

void mpc_console_end(mpc_console_t *c)
{
    if (c->tty && !c->tap)
        fputs("\r\033[K", stderr);
}

int mpc_console_bad(const mpc_console_t *c)
{
    int bad = 0;
    for (int s = 0; s < MPC_NSTATUS; s++)
        if (mpc_status_is_bad((mpc_status_t)s))
            bad += c->counts[s];
    return bad;
}

void mpc_console_matrix(const mpc_taskset_t *ts, mpc_profile_t **sel,
                        size_t nsel, const mpc_strv_t *methods)
{
    const mpc_session_t *s = ts->s;
    size_t idw = 4;
    for (size_t i = 0; i < s->ncases; i++)
        if (strlen(s->cases[i].id) > idw)
            idw = strlen(s->cases[i].id);
    size_t ncol = nsel * methods->n;
    size_t *w = mpc_xcalloc(ncol + 1, sizeof *w);
    printf("\n%-*s", (int)idw, "case");
    for (size_t pi = 0; pi < nsel; pi++)
        for (size_t mi = 0; mi < methods->n; mi++) {
            char *h = mpc_xasprintf("%s/%s", sel[pi]->name, methods->v[mi]);
            size_t c = pi * methods->n + mi;
            w[c] = strlen(h) > 7 ? strlen(h) : 7;
            printf("  %-*s", (int)w[c], h);
            free(h);
        }
    printf("\n");
    for (size_t ci = 0; ci < s->ncases; ci++) {
        printf("%-*s", (int)idw, s->cases[ci].id);
        for (size_t c = 0; c < ncol; c++) {
            const mpc_result_t *r = &ts->v[ci * ncol + c].res;
            char cell[32];
            snprintf(cell, sizeof cell, "%s%s", upper_status(r->status),
                     r->nleaks ? "+LEAK" : "");
            printf("  %-*s", (int)w[c], cell);
        }
        printf("\n");
    }
    free(w);
}

void mpc_console_totals(const mpc_console_t *c)
{
    int passed = 0, skipped = 0;
    for (int s = 0; s < MPC_NSTATUS; s++) {
        if (mpc_status_is_passed((mpc_status_t)s))
            passed += c->counts[s];
        if (mpc_status_is_skipped((mpc_status_t)s))
            skipped += c->counts[s];
    }
    const char *pfx = c->tap ? "# " : "";
    printf("%s", pfx);
    int any = 0;
    for (int s = 0; s < MPC_NSTATUS; s++)
        if (c->counts[s]) {
            printf("%s%d %s", any ? ", " : "", c->counts[s],
                   mpc_status_name((mpc_status_t)s));
            any = 1;
        }
    if (!any)
        printf("nothing ran");
    printf("\n%s%d passed, %d failed, %d skipped\n", pfx, passed,
           mpc_console_bad(c), skipped);
}
