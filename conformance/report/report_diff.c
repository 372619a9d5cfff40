/*
 * report_diff.c - diff.html of `mpconform diff --report DIR`: the sections
 * of the text output as one self-contained page (no script, inline CSS).
 */
#include <stdio.h>

#include "report.h"
#include "report_html.h"
#include "rpt.h"

static const char *const titles[MPC_NDIFF] = {
    "newly failing", "newly flaky",
    "newly passing", "known failures that stopped happening",
    "other changes", "added cells",
    "removed cells",
};

const char *mpc_diff_title(mpc_diff_kind_t k)
{
    return (int)k >= 0 && k < MPC_NDIFF ? titles[k] : "?";
}

static void cell(FILE *f, const mpc_result_t *r)
{
    if (r == NULL) {
        fputs("<td>-</td>", f);
        return;
    }
    fprintf(f, "<td class=\"%s\">", rpt_status(r->status));
    rpt_html_status(f, r->status);
    fputs("</td>", f);
}

static void row(FILE *f, const mpc_diff_entry_t *e)
{
    const mpc_result_t *r = e->new_ ? e->new_ : e->old;
    fputs("<tr><td>", f);
    rpt_html_text(f, r->case_id);
    fputs("</td><td>", f);
    rpt_html_text(f, r->impl);
    fputc('/', f);
    rpt_html_text(f, r->method);
    fputs("</td>", f);
    cell(f, e->old);
    cell(f, e->new_);
    fputs("<td>", f);
    rpt_html_text(f, e->new_ ? e->new_->detail : "");
    fputs("</td></tr>\n", f);
}

static void case_list(FILE *f, const char *title, const char **ids, size_t n)
{
    if (n == 0)
        return;
    fprintf(f, "<h2>%s (%zu)</h2>\n<ul>\n", title, n);
    for (size_t i = 0; i < n; i++) {
        fputs("<li>", f);
        rpt_html_text(f, ids[i]);
        fputs("</li>\n", f);
    }
    fputs("</ul>\n", f);
}

int mpc_report_diff_html(const mpc_diff_t *d, const char *path)
{
    mdl_file_t rf;
    if (mdl_open(&rf, path) < 0)
        return -1;
    FILE *f = rf.f;
    size_t bad = d->count[MPC_DIFF_FAILING] + d->count[MPC_DIFF_FLAKY];
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<title>mpconform diff</title>\n<style>\n"
          "body{font-family:sans-serif;margin:1.5em}"
          "table{border-collapse:collapse}"
          "td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}"
          ".fail,.timeout,.crash,.error,.xpass,.flaky{background:#fdd}"
          ".pass{background:#dfd}.xfail{background:#ffd}"
          ".verdict{font-weight:bold}\n</style></head><body>\n"
          "<h1>mpconform diff</h1>\n<p>before: <code>",
          f);
    rpt_html_text(f, d->old_path);
    fputs("</code><br>now: <code>", f);
    rpt_html_text(f, d->new_path);
    fputs("</code></p>\n<p class=\"verdict\">", f);
    if (bad)
        fprintf(f, "regression: %zu newly failing, %zu newly flaky",
                d->count[MPC_DIFF_FAILING], d->count[MPC_DIFF_FLAKY]);
    else
        fputs("no regression", f);
    fputs("</p>\n", f);
    for (size_t i = 0; i < d->n; i++) {
        const mpc_diff_entry_t *e = &d->v[i];
        if (i == 0 || d->v[i - 1].kind != e->kind)
            fprintf(f,
                    "<h2>%s (%zu)</h2>\n<table><tr><th>case</th>"
                    "<th>impl/method</th><th>before</th><th>now</th>"
                    "<th>detail</th></tr>\n",
                    titles[e->kind], d->count[e->kind]);
        row(f, e);
        if (i + 1 == d->n || d->v[i + 1].kind != e->kind)
            fputs("</table>\n", f);
    }
    case_list(f, "added cases", d->added_cases, d->nadded);
    case_list(f, "removed cases", d->removed_cases, d->nremoved);
    fputs("</body></html>\n", f);
    return mdl_close(&rf, 0);
}
