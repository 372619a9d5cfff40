/*
 * report_html.c - index.html: one self-contained page (inline CSS and JS,
 * no network) with the totals, the matrix coloured by status and, for
 * every cell that is not a plain pass, a detail block: expected line,
 * actual line, broken relation, values, leaks and the captured output.
 *
 * The matrix and details are complete HTML without the script (cells link
 * to #rN anchors, written by report_html_detail.c); report_html_assets.c
 * adds the filters and the in-place expansion.  All run text goes through
 * rpt_xml_escape, which also drops control bytes and replaces invalid
 * UTF-8, since captured output can be anything.
 */
#include "report.h"
#include "results.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_html.h"
#include "rpt.h"
#include "versions.h"

void rpt_html_text(FILE *f, const char *s)
{
    rpt_xml_escape(f, s, 0);
}

void rpt_html_attr(FILE *f, const char *name, const char *s)
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

const mpc_case_info_t *rpt_html_case(const mpc_run_t *run, const char *id)
{
    for (size_t i = 0; i < run->ncases; i++)
        if (strcmp(mdl_str(run->cases[i].id), id) == 0)
            return &run->cases[i];
    return NULL;
}

/* The area of a case: its declared area, or for a case known only from
 * results the part of its id before the first '/' (into buf). */
static const char *area_of(const mpc_run_t *run, const char *id, char *buf,
                           size_t size)
{
    const mpc_case_info_t *c = rpt_html_case(run, id);
    if (c != NULL && mdl_str(c->area)[0] != '\0')
        return c->area;
    size_t n = strcspn(id, "/");
    n = n < size - 1 ? n : size - 1;
    memcpy(buf, id, n);
    buf[n] = '\0';
    return buf;
}

void rpt_html_area_attr(FILE *f, const mpc_run_t *run, const char *id)
{
    char buf[128];
    rpt_html_attr(f, "data-area", area_of(run, id, buf, sizeof buf));
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
    rpt_html_text(f, run->generated);
    fputs("</b> &middot; runner <b>", f);
    rpt_html_text(f, run->runner_version);
    fputs("</b> &middot; oracle <b>", f);
    rpt_html_text(f, run->oracle_impl);
    fputc(' ', f);
    rpt_html_text(f, run->oracle_version);
    fputs("</b> (", f);
    rpt_html_text(f, run->oracle_mode);
    fprintf(f,
            ") &middot; time scale <b>%g</b> &middot; jobs <b>%d</b> "
            "&middot; repeat <b>%d</b> &middot; shard <b>",
            run->time_scale, run->jobs, run->repeat);
    rpt_html_text(f, run->shard);
    fprintf(f, "</b> &middot; <b>%zu</b> results</p>\n", run->nresults);
    for (size_t k = 0; k < run->nshards; k++) {
        fputs("<p class=\"meta\">Shard ", f);
        rpt_html_text(f, run->shards[k].shard);
        fputs(": <code>mpconform", f);
        for (size_t i = 0; i < run->shards[k].argc; i++) {
            fputc(' ', f);
            rpt_html_text(f, run->shards[k].argv[i]);
        }
        fputs("</code></p>\n", f);
    }
    if (run->argc > 0 && run->nshards == 0) {
        fputs("<p class=\"meta\">Command: <code>mpconform", f);
        for (size_t i = 0; i < run->argc; i++) {
            fputc(' ', f);
            rpt_html_text(f, run->argv[i]);
        }
        fputs("</code></p>\n", f);
    }
    rpt_power(f, run, rpt_html_text, "<p class=\"meta power\">", "</p>\n");
    fputs("</header>\n", f);
}

static void totals_row(FILE *f, const mpc_run_t *run, const rpt_column_t *c)
{
    size_t n[MPC_NSTATUS], leaks = 0;
    rpt_count(run, c->impl, c->method, n);
    for (size_t i = 0; i < run->nresults; i++) {
        const mpc_result_t *r = &run->results[i];
        if (strcmp(mdl_str(r->impl), c->impl) == 0 &&
            strcmp(mdl_str(r->method), c->method) == 0)
            leaks += r->nleaks > 0;
    }
    fputs("<tr><td class=\"name\">", f);
    rpt_html_text(f, c->impl);
    fputs("</td><td class=\"name\">", f);
    rpt_html_text(f, c->method);
    fputs("</td>", f);
    for (int s = 0; s < MPC_NSTATUS; s++)
        fprintf(f, "<td class=\"%s\">%zu</td>",
                n[s] ? rpt_status((mpc_status_t)s) : "zero", n[s]);
    fprintf(f, "<td class=\"%s\">%zu</td></tr>\n", leaks ? "" : "zero", leaks);
}

/* Per oracle cell, what its wrong variants became (RESULTS.md, power). */
static void strength_cells(FILE *f, const mpc_run_t *run)
{
    const mpc_strength_info_t *s = &run->strength;
    if (s->ncells_info == 0)
        return;
    fputs("<section id=\"strength\">\n<h2>Output mutation</h2>\n<details>"
          "<summary>The oracle's passing cells, their wrong variants by "
          "fate</summary>\n<table class=\"totals\"><thead><tr><th>case</th>"
          "<th>method</th><th>tried</th><th>rejected</th><th>free</th>"
          "<th>allowed</th><th>accepted</th></tr></thead>\n<tbody>\n",
          f);
    for (size_t i = 0; i < s->ncells_info; i++) {
        const mpc_strength_cell_info_t *c = &s->per_cell[i];
        fputs("<tr><td>", f);
        rpt_html_text(f, c->case_id);
        fputs("</td><td>", f);
        rpt_html_text(f, c->method);
        fprintf(f,
                "</td><td>%zu</td><td>%zu</td><td>%zu</td><td>%zu</td>"
                "<td>%zu</td></tr>\n",
                c->tried, c->rejected, c->free_, c->allowed, c->accepted);
    }
    fputs("</tbody></table>\n</details>\n</section>\n", f);
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
        rpt_html_text(f, im->name);
        fputs("</b> &mdash; ", f);
        rpt_html_text(f, im->reason);
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
        ran += s == MPC_SKIP || s == MPC_MISSING || s == MPC_NOT_APPLICABLE
                   ? 0
                   : n[s];
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
        rpt_html_attr(f, "data-impl", cols[k].impl);
        fputc('>', f);
        rpt_html_text(f, cols[k].impl);
        fputs("</th>", f);
        k += span;
    }
    fputs("</tr>\n<tr class=\"methods\">", f);
    for (long k = 0; k < ncols; k++) {
        fputs("<th", f);
        rpt_html_attr(f, "data-impl", cols[k].impl);
        rpt_html_attr(f, "data-method", cols[k].method);
        fputc('>', f);
        rpt_html_text(f, cols[k].method);
        ratio(f, run, &cols[k]);
        fputs("</th>", f);
    }
    fputs("</tr></thead>\n", f);
}

/* Upper case for failures, as in summary.md. */
void rpt_html_status(FILE *f, mpc_status_t s)
{
    for (const char *p = rpt_status(s); *p; p++)
        fputc(rpt_is_failure(s) && *p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p,
              f);
}

int rpt_html_has_detail(const mpc_result_t *r)
{
    return r->status != MPC_PASS || r->nleaks > 0;
}

static void cell(FILE *f, const mpc_run_t *run, const mpc_result_t *r,
                 const rpt_column_t *c)
{
    if (r == NULL) {
        fputs("<td class=\"none\"", f);
        rpt_html_attr(f, "data-impl", c->impl);
        fputs(">&mdash;</td>", f);
        return;
    }
    fprintf(f, "<td class=\"c st-%s\" data-status=\"%s\"",
            rpt_status(r->status), rpt_status(r->status));
    rpt_html_attr(f, "data-impl", c->impl);
    fprintf(f, " title=\"%.2f s", r->duration_s);
    if (mdl_str(r->detail)[0]) {
        fputs(" &#10;", f);
        rpt_xml_escape(f, r->detail, 1);
    }
    fputs("\">", f);
    if (rpt_html_has_detail(r))
        fprintf(f, "<a href=\"#r%zu\">", (size_t)(r - run->results));
    rpt_html_status(f, r->status);
    if (r->nleaks > 0)
        fputs("<span class=\"leak\">LEAK</span>", f);
    fputs(rpt_html_has_detail(r) ? "</a></td>" : "</td>", f);
}

static void matrix_row(FILE *f, const mpc_run_t *run, const char *id,
                       const rpt_column_t *cols, long ncols)
{
    const mpc_case_info_t *ci = rpt_html_case(run, id);
    fputs("<tr class=\"row\"", f);
    rpt_html_attr(f, "data-case", id);
    rpt_html_area_attr(f, run, id);
    fputs("><th class=\"case\"", f);
    if (ci != NULL) { /* the full title, which the cell may cut */
        fputs(" title=\"", f);
        rpt_xml_escape(f, ci->title, 1);
        if (mdl_str(ci->source)[0]) {
            fputs(" &#10;source: ", f);
            rpt_xml_escape(f, ci->source, 1);
        }
        fputc('"', f);
    }
    fputs("><span class=\"cid\">", f);
    rpt_html_text(f, id);
    fputs("</span>", f);
    if (ci != NULL && mdl_str(ci->title)[0]) {
        fputs("<span class=\"ctitle\">", f);
        rpt_html_text(f, ci->title);
        fputs("</span>", f);
    }
    char buf[128];
    fputs("</th><td class=\"area\">", f);
    rpt_html_text(f, area_of(run, id, buf, sizeof buf));
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
        rpt_html_status(f, (mpc_status_t)s);
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

/* "Across CPython versions" (versions.h) as preformatted text, when more
 * than one CPython ran. */
static int cross_versions(FILE *f, const mpc_run_t *run)
{
    size_t *idx = calloc(run->nimpls + 1, sizeof *idx);
    if (!idx)
        return -1;
    size_t n = mpc_run_cpythons(run, idx);
    free(idx);
    if (n < 2)
        return 0;
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m)
        return -1;
    long rows = mpc_versions_write(m, run, 0);
    if (fclose(m) != 0 || rows < 0) {
        free(text);
        return -1;
    }
    fputs("<section id=\"versions\">\n<h2>Across CPython versions</h2>\n<pre>",
          f);
    rpt_html_text(f, text);
    fputs("</pre>\n</section>\n", f);
    free(text);
    return 0;
}

int mpc_report_html(const mpc_run_t *run, const char *path)
{
    mdl_file_t rf;
    rpt_column_t *cols;
    const char **rows;
    long ncols, nrows;
    if (mdl_open(&rf, path) < 0)
        return -1;
    if (rpt_matrix(run, path, &cols, &ncols, &rows, &nrows) < 0)
        return mdl_close(&rf, 1);
    head(rf.f, run);
    matrix(rf.f, run, cols, ncols, rows, nrows);
    totals(rf.f, run, cols, ncols);
    strength_cells(rf.f, run);
    if (rpt_html_divergences(rf.f, run) < 0 || cross_versions(rf.f, run) < 0 ||
        rpt_html_details(rf.f, run, path) < 0) {
        fprintf(stderr, "mpconform: %s: out of memory\n", path);
        free(cols);
        free(rows);
        return mdl_close(&rf, 1);
    }
    fputs("<footer>Written by mpconform; results.json, junit.xml and "
          "summary.md are beside this file.</footer>\n<script>\n",
          rf.f);
    lines(rf.f, rpt_html_js);
    fputs("</script>\n</body>\n</html>\n", rf.f);
    free(cols);
    free(rows);
    return mdl_close(&rf, 0);
}
