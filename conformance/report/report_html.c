/*
 * report_html.c - index.html: one self-contained page (inline CSS and JS,
 * no network) with the totals, the matrix coloured by status and, for
 * every cell that is not a plain pass, a detail block: expected line,
 * actual line, broken relation, values, leaks and the captured output.
 *
 * The matrix and details are complete HTML without the script (cells link
 * to #rN anchors); report_html_assets.c adds the filters and the in-place
 * expansion.  All run text goes through rpt_xml_escape, which also drops
 * control bytes and replaces invalid UTF-8, since captured output can be
 * anything.
 */
#include "results.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_html.h"
#include "rpt.h"

static void h(FILE *f, const char *s)
{
    rpt_xml_escape(f, s, 0);
}

static void ha(FILE *f, const char *name, const char *s)
{
    fprintf(f, " %s=\"", name);
    rpt_xml_escape(f, s, 1);
    fputc('"', f);
}

static void lines(FILE *f, const char *const *v)
{
    for (; *v != NULL; v++)
        fputs(*v, f);
}

static const mpc_case_info_t *case_info(const mpc_run_t *run, const char *id)
{
    for (size_t i = 0; i < run->ncases; i++)
        if (strcmp(rpt_str(run->cases[i].id), id) == 0)
            return &run->cases[i];
    return NULL;
}

/* The area of a case: its declared area, or for a case known only from
 * results the part of its id before the first '/' (into buf). */
static const char *area_of(const mpc_run_t *run, const char *id, char *buf,
                           size_t size)
{
    const mpc_case_info_t *c = case_info(run, id);
    if (c != NULL && rpt_str(c->area)[0] != '\0')
        return c->area;
    size_t n = strcspn(id, "/");
    n = n < size - 1 ? n : size - 1;
    memcpy(buf, id, n);
    buf[n] = '\0';
    return buf;
}

static void area_attr(FILE *f, const mpc_run_t *run, const char *id)
{
    char buf[128];
    ha(f, "data-area", area_of(run, id, buf, sizeof buf));
}

static void head(FILE *f, const mpc_run_t *run)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
          "<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, "
          "initial-scale=1\">\n"
          "<title>mpconform conformance report</title>\n<style>\n",
          f);
    lines(f, rpt_html_css);
    fputs("</style>\n</head>\n<body data-ready=\"0\">\n<header>\n"
          "<h1>mpconform conformance report</h1>\n<p class=\"meta\">"
          "Generated <b>",
          f);
    h(f, run->generated);
    fputs("</b> &middot; runner <b>", f);
    h(f, run->runner_version);
    fputs("</b> &middot; oracle <b>", f);
    h(f, run->oracle_impl);
    fputc(' ', f);
    h(f, run->oracle_version);
    fputs("</b> (", f);
    h(f, run->oracle_mode);
    fprintf(f,
            ") &middot; time scale <b>%g</b> &middot; jobs <b>%d</b> "
            "&middot; repeat <b>%d</b> &middot; shard <b>",
            run->time_scale, run->jobs, run->repeat);
    h(f, run->shard);
    fprintf(f, "</b> &middot; <b>%zu</b> results</p>\n", run->nresults);
    if (run->argc > 0) {
        fputs("<p class=\"meta\">Command: <code>mpconform", f);
        for (size_t i = 0; i < run->argc; i++) {
            fputc(' ', f);
            h(f, run->argv[i]);
        }
        fputs("</code></p>\n", f);
    }
    fputs("</header>\n", f);
}

static void totals_row(FILE *f, const mpc_run_t *run, const rpt_column_t *c)
{
    size_t n[MPC_NSTATUS], leaks = 0;
    rpt_count(run, c->impl, c->method, n);
    for (size_t i = 0; i < run->nresults; i++) {
        const mpc_result_t *r = &run->results[i];
        if (strcmp(rpt_str(r->impl), c->impl) == 0 &&
            strcmp(rpt_str(r->method), c->method) == 0)
            leaks += r->nleaks > 0;
    }
    fputs("<tr><td class=\"name\">", f);
    h(f, c->impl);
    fputs("</td><td class=\"name\">", f);
    h(f, c->method);
    fputs("</td>", f);
    for (int s = 0; s < MPC_NSTATUS; s++)
        fprintf(f, "<td class=\"%s\">%zu</td>",
                n[s] ? rpt_status((mpc_status_t)s) : "zero", n[s]);
    fprintf(f, "<td class=\"%s\">%zu</td></tr>\n", leaks ? "" : "zero", leaks);
}

static void totals(FILE *f, const mpc_run_t *run, const rpt_column_t *cols,
                   long ncols)
{
    fputs("<section id=\"totals\">\n<h2>Totals</h2>\n<table class=\"totals\">"
          "<thead><tr><th>implementation</th><th>method</th>",
          f);
    for (int s = 0; s < MPC_NSTATUS; s++)
        fprintf(f, "<th class=\"st-%s\">%s</th>", rpt_status((mpc_status_t)s),
                rpt_status((mpc_status_t)s));
    fputs("<th>leaks</th></tr></thead>\n<tbody>\n", f);
    for (long k = 0; k < ncols; k++)
        totals_row(f, run, &cols[k]);
    fputs("</tbody></table>\n", f);
    for (size_t i = 0; i < run->nimpls; i++) {
        const mpc_impl_info_t *im = &run->impls[i];
        if (im->installed)
            continue;
        fputs("<p class=\"meta\">Not installed: <b>", f);
        h(f, im->name);
        fputs("</b> &mdash; ", f);
        h(f, im->reason);
        fputs("</p>\n", f);
    }
    fputs("</section>\n", f);
}

/* "passed/ran" under a method, ran leaving out skip and missing: the
 * score a reader compares between implementations at a glance. */
static void ratio(FILE *f, const mpc_run_t *run, const rpt_column_t *c)
{
    size_t n[MPC_NSTATUS], ran = 0;
    rpt_count(run, c->impl, c->method, n);
    for (int s = 0; s < MPC_NSTATUS; s++)
        ran += s == MPC_SKIP || s == MPC_MISSING ? 0 : n[s];
    if (ran == 0)
        fputs("<span class=\"ratio none\">&mdash;</span>", f);
    else
        fprintf(f, "<span class=\"ratio%s\">%zu/%zu</span>",
                n[MPC_PASS] == ran ? " all" : "", n[MPC_PASS], ran);
}

/* Two header rows: implementations (spanning their methods), methods
 * with their pass ratio. */
static void matrix_head(FILE *f, const mpc_run_t *run, const rpt_column_t *cols,
                        long ncols)
{
    fputs("<thead><tr><th class=\"case\" rowspan=\"2\">case</th>"
          "<th rowspan=\"2\">area</th>",
          f);
    for (long k = 0; k < ncols;) {
        long span = 1;
        while (k + span < ncols &&
               strcmp(cols[k + span].impl, cols[k].impl) == 0)
            span++;
        fprintf(f, "<th class=\"impl\" colspan=\"%ld\"", span);
        ha(f, "data-impl", cols[k].impl);
        fputc('>', f);
        h(f, cols[k].impl);
        fputs("</th>", f);
        k += span;
    }
    fputs("</tr>\n<tr class=\"methods\">", f);
    for (long k = 0; k < ncols; k++) {
        fputs("<th", f);
        ha(f, "data-impl", cols[k].impl);
        ha(f, "data-method", cols[k].method);
        fputc('>', f);
        h(f, cols[k].method);
        ratio(f, run, &cols[k]);
        fputs("</th>", f);
    }
    fputs("</tr></thead>\n", f);
}

/* Upper case for failures, as in summary.md. */
static void status_label(FILE *f, mpc_status_t s)
{
    for (const char *p = rpt_status(s); *p; p++)
        fputc(rpt_is_failure(s) && *p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p,
              f);
}

static int has_detail(const mpc_result_t *r)
{
    return r->status != MPC_PASS || r->nleaks > 0;
}

static void cell(FILE *f, const mpc_run_t *run, const mpc_result_t *r,
                 const rpt_column_t *c)
{
    if (r == NULL) {
        fputs("<td class=\"none\"", f);
        ha(f, "data-impl", c->impl);
        fputs(">&mdash;</td>", f);
        return;
    }
    fprintf(f, "<td class=\"c st-%s\" data-status=\"%s\"",
            rpt_status(r->status), rpt_status(r->status));
    ha(f, "data-impl", c->impl);
    fprintf(f, " title=\"%.2f s", r->duration_s);
    if (rpt_str(r->detail)[0]) {
        fputs(" &#10;", f);
        rpt_xml_escape(f, r->detail, 1);
    }
    fputs("\">", f);
    if (has_detail(r))
        fprintf(f, "<a href=\"#r%zu\">", (size_t)(r - run->results));
    status_label(f, r->status);
    if (r->nleaks > 0)
        fputs("<span class=\"leak\">LEAK</span>", f);
    fputs(has_detail(r) ? "</a></td>" : "</td>", f);
}

static void matrix_row(FILE *f, const mpc_run_t *run, const char *id,
                       const rpt_column_t *cols, long ncols)
{
    const mpc_case_info_t *ci = case_info(run, id);
    fputs("<tr class=\"row\"", f);
    ha(f, "data-case", id);
    area_attr(f, run, id);
    fputs("><th class=\"case\"", f);
    if (ci != NULL) { /* the full title, which the cell may cut */
        fputs(" title=\"", f);
        rpt_xml_escape(f, ci->title, 1);
        if (rpt_str(ci->source)[0]) {
            fputs(" &#10;source: ", f);
            rpt_xml_escape(f, ci->source, 1);
        }
        fputc('"', f);
    }
    fputs("><span class=\"cid\">", f);
    h(f, id);
    fputs("</span>", f);
    if (ci != NULL && rpt_str(ci->title)[0]) {
        fputs("<span class=\"ctitle\">", f);
        h(f, ci->title);
        fputs("</span>", f);
    }
    char buf[128];
    fputs("</th><td class=\"area\">", f);
    h(f, area_of(run, id, buf, sizeof buf));
    fputs("</td>", f);
    for (long k = 0; k < ncols; k++)
        cell(f, run, rpt_find(run, id, cols[k].impl, cols[k].method), &cols[k]);
    fputs("</tr>\n", f);
}

static void legend(FILE *f)
{
    fputs("<div class=\"legend\">", f);
    for (int s = 0; s < MPC_NSTATUS; s++) {
        fprintf(f, "<span class=\"st-%s\">", rpt_status((mpc_status_t)s));
        status_label(f, (mpc_status_t)s);
        fputs("</span>", f);
    }
    fputs("<span><span class=\"leak\">LEAK</span> leftover process, file "
          "or fd</span></div>\n",
          f);
}

static void matrix(FILE *f, const mpc_run_t *run, const rpt_column_t *cols,
                   long ncols, const char **rows, long nrows)
{
    fputs("<section id=\"matrix-section\">\n<h2>Matrix</h2>\n"
          "<div id=\"filters\" class=\"filters\"></div>\n"
          "<div class=\"matrix-wrap\">\n<table id=\"matrix\" "
          "class=\"matrix\">\n",
          f);
    matrix_head(f, run, cols, ncols);
    fputs("<tbody>\n", f);
    for (long i = 0; i < nrows; i++)
        matrix_row(f, run, rows[i], cols, ncols);
    fprintf(f, "</tbody></table>\n</div>\n<p id=\"shown\">%ld cases.</p>\n",
            nrows);
    legend(f);
    fputs("</section>\n", f);
}

/* <dt>label</dt><dd class=cls><code>value</code></dd>, unless empty. */
static void dl_code(FILE *f, const char *label, const char *cls,
                    const char *value)
{
    if (rpt_str(value)[0] == '\0')
        return;
    fprintf(f, "<dt>%s</dt><dd class=\"%s\"><code>", label, cls);
    h(f, value);
    fputs("</code></dd>\n", f);
}

/* Captured output, folded; unfolded when it is the evidence of a failure
 * and short enough to read at a glance. */
static void output(FILE *f, const char *name, const char *s, int truncated,
                   int failed)
{
    size_t n = strlen(rpt_str(s));
    if (n == 0) {
        fprintf(f, "<p class=\"meta\">%s: empty</p>\n", name);
        return;
    }
    fprintf(f, "<details%s><summary>%s (%zu bytes%s)</summary><pre>",
            failed && n <= 4096 ? " open" : "", name, n,
            truncated ? ", truncated at the cap" : "");
    h(f, s);
    fputs("</pre></details>\n", f);
}

static void mismatch(FILE *f, const mpc_mismatch_t *m)
{
    if (rpt_str(m->stream)[0] || m->line > 0) {
        fputs("<dt>where</dt><dd>", f);
        h(f, m->stream);
        if (m->line > 0)
            fprintf(f, " line %d", m->line);
        fputs("</dd>\n", f);
    }
    dl_code(f, "expected", "exp", m->expected);
    dl_code(f, "actual", "act", m->actual);
    dl_code(f, "relation", "", m->relation);
    dl_code(f, "values", "", m->values);
}

static void detail(FILE *f, const mpc_run_t *run, const mpc_result_t *r)
{
    const mpc_case_info_t *ci = case_info(run, rpt_str(r->case_id));
    fprintf(f, "<article class=\"detail\" id=\"r%zu\" data-status=\"%s\"",
            (size_t)(r - run->results), rpt_status(r->status));
    ha(f, "data-impl", r->impl);
    ha(f, "data-method", r->method);
    ha(f, "data-case", r->case_id);
    area_attr(f, run, rpt_str(r->case_id));
    fprintf(f, ">\n<h3><span class=\"badge st-%s\">", rpt_status(r->status));
    status_label(f, r->status);
    fputs("</span><code>", f);
    h(f, r->case_id);
    fputs("</code> on ", f);
    h(f, r->impl);
    fputs(" / ", f);
    h(f, r->method);
    fputs("</h3>\n", f);
    if (ci != NULL && rpt_str(ci->title)[0]) {
        fputs("<p class=\"meta\">", f);
        h(f, ci->title);
        fputs("</p>\n", f);
    }
    fputs("<dl>\n", f);
    if (rpt_str(r->detail)[0]) {
        fputs("<dt>detail</dt><dd>", f);
        h(f, r->detail);
        fputs("</dd>\n", f);
    }
    if (r->mismatch != NULL)
        mismatch(f, r->mismatch);
    if (r->exit_status < 0)
        fprintf(f, "<dt>exit</dt><dd>killed by signal %d</dd>\n",
                -r->exit_status);
    else
        fprintf(f, "<dt>exit</dt><dd>%d</dd>\n", r->exit_status);
    fprintf(f, "<dt>duration</dt><dd>%.3f s</dd>\n", r->duration_s);
    if (r->runs > 1)
        fprintf(f, "<dt>runs</dt><dd>passed %d of %d</dd>\n", r->passes,
                r->runs);
    if (r->nleaks > 0) {
        fputs("<dt>leaks</dt><dd><ul>", f);
        for (size_t i = 0; i < r->nleaks; i++) {
            fputs("<li>", f);
            h(f, r->leaks[i]);
            fputs("</li>", f);
        }
        fputs("</ul></dd>\n", f);
    }
    fputs("</dl>\n", f);
    output(f, "stdout", r->out, r->truncated, rpt_is_failure(r->status));
    output(f, "stderr", r->err, r->truncated, rpt_is_failure(r->status));
    fputs("</article>\n", f);
}

static void details(FILE *f, const mpc_run_t *run)
{
    size_t n = 0;
    fputs("<section id=\"details\">\n<h2>Details</h2>\n", f);
    for (size_t i = 0; i < run->nresults; i++) {
        if (has_detail(&run->results[i])) {
            detail(f, run, &run->results[i]);
            n++;
        }
    }
    if (n == 0)
        fputs("<p>Every case passed, with no leaks.</p>\n", f);
    fputs("</section>\n", f);
}

int mpc_report_html(const mpc_run_t *run, const char *path)
{
    rpt_file_t rf;
    rpt_column_t *cols = NULL;
    const char **rows = NULL;
    if (rpt_open(&rf, path) < 0)
        return -1;
    long ncols = rpt_columns(run, &cols);
    long nrows = ncols < 0 ? -1 : rpt_rows(run, &rows);
    if (ncols < 0 || nrows < 0) {
        fprintf(stderr, "mpconform: %s: out of memory\n", path);
        free(cols);
        return rpt_close(&rf, 1);
    }
    head(rf.f, run);
    matrix(rf.f, run, cols, ncols, rows, nrows);
    totals(rf.f, run, cols, ncols);
    details(rf.f, run);
    fputs("<footer>Written by mpconform; results.json, junit.xml and "
          "summary.md are beside this file.</footer>\n<script>\n",
          rf.f);
    lines(rf.f, rpt_html_js);
    fputs("</script>\n</body>\n</html>\n", rf.f);
    free(cols);
    free(rows);
    return rpt_close(&rf, 0);
}
