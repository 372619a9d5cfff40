/*
 * report_html_detail.c - the "Details" section of index.html: for every
 * cell that is not a plain pass, an <article id="rN"> with the mismatch
 * (where, expected, actual, relation, values), exit, duration, runs,
 * leaks and the captured stdout/stderr with the mismatching line marked,
 * beside the oracle's output for the same case and method; failing cells
 * first.  The matrix cells link to these ids, and the script clones an
 * article into the matrix when clicked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "divergences.h"
#include "report_html.h"
#include "rpt.h"

/* <dt>label</dt><dd class=cls><code>value</code></dd>, unless empty. */
static void dl_code(FILE *f, const char *label, const char *cls,
                    const char *value)
{
    if (mdl_str(value)[0] == '\0')
        return;
    fprintf(f, "<dt>%s</dt><dd class=\"%s\"><code>", label, cls);
    rpt_html_text(f, value);
    fputs("</code></dd>\n", f);
}

/* s escaped, with its 1-based line `mark` (0: none) in <mark>: the line
 * the mismatch is about, found at a glance in a long output. */
static void marked_text(FILE *f, const char *s, size_t n, int mark)
{
    const char *end = s + n;
    for (int line = 1; s < end; line++) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
        if (line == mark)
            fputs("<mark>", f);
        rpt_xml_escape_n(f, s, len, 0);
        if (line == mark)
            fputs("</mark>", f);
        if (nl == NULL)
            break;
        fputc('\n', f);
        s = nl + 1;
    }
}

/* Captured output, folded; unfolded when it is the evidence of a failure
 * and short enough to read at a glance. */
static void output(FILE *f, const char *name, const char *s, size_t len,
                   int truncated, int failed, int mark)
{
    size_t n = mpc_output_len(s, len);
    if (n == 0) {
        fprintf(f, "<p class=\"meta\">%s: empty</p>\n", name);
        return;
    }
    fputs(failed && n <= 4096 ? "<details open><summary>"
                              : "<details><summary>",
          f);
    rpt_html_text(f, name);
    fprintf(f, " (%zu bytes%s)</summary><pre>", n,
            truncated ? ", truncated at the cap" : "");
    marked_text(f, mdl_str(s), n, mark);
    fputs("</pre></details>\n", f);
}

/* The line to mark in a stream's output: the mismatch's, if about it. */
static int mark_line(const mpc_result_t *r, const char *stream)
{
    if (r->mismatch == NULL || strcmp(mdl_str(r->mismatch->stream), stream))
        return 0;
    return r->mismatch->line;
}

/* For a failing cell of another implementation, the oracle's output for the
 * same case and method (it ran in the same run when --impl named it), with
 * the same line marked, so that the two can be compared side by side. */
static void oracle(FILE *f, const mpc_run_t *run, const mpc_result_t *r)
{
    const char *name =
        mdl_str(run->oracle_impl)[0] ? run->oracle_impl : "cpython";
    if (!rpt_is_failure(r->status) || strcmp(mdl_str(r->impl), name) == 0)
        return;
    const mpc_result_t *o =
        rpt_find(run, mdl_str(r->case_id), name, mdl_str(r->method));
    if (o == NULL) {
        fputs("<p class=\"meta\">The oracle ", f);
        rpt_html_text(f, name);
        fputs(" did not run ", f);
        rpt_html_text(f, r->case_id);
        fputs(" under ", f);
        rpt_html_text(f, r->method);
        fputs(" in this run (name it in <code>--impl</code> to see its "
              "output here).</p>\n",
              f);
        return;
    }
    fputs("<div class=\"oracle\"><h4>oracle ", f);
    rpt_html_text(f, name);
    fputs(" / ", f);
    rpt_html_text(f, r->method);
    fputs(": ", f);
    rpt_html_status(f, o->status);
    fputs("</h4>\n", f);
    output(f, "its stdout", o->out, o->out_len, o->truncated, 1,
           mark_line(r, "stdout"));
    output(f, "its stderr", o->err, o->err_len, o->truncated, 1,
           mark_line(r, "stderr"));
    fputs("</div>\n", f);
}

static void mismatch(FILE *f, const mpc_mismatch_t *m)
{
    if (mdl_str(m->stream)[0] || m->line > 0) {
        fputs("<dt>where</dt><dd>", f);
        rpt_html_text(f, m->stream);
        if (m->line > 0)
            fprintf(f, " line %d", m->line);
        fputs("</dd>\n", f);
    }
    dl_code(f, "expected", "exp", m->expected);
    dl_code(f, "actual", "act", m->actual);
    dl_code(f, "relation", "", m->relation);
    dl_code(f, "values", "", m->values);
}

/* href="DIR/NAME", DIR percent-encoded where a URL would misread it. */
static void href(FILE *f, const char *dir, const char *name)
{
    fputs(" href=\"", f);
    for (const unsigned char *p = (const unsigned char *)dir; *p; p++) {
        if (*p <= ' ' || *p >= 0x7f || strchr("\"'<>&#?%\\", *p))
            fprintf(f, "%%%02X", *p);
        else
            fputc(*p, f);
    }
    fprintf(f, "/%s\"", name);
}

/* Links to the case's files, and the document's printed output when the
 * case has one (its `document:`), to compare with the oracle's. */
static int case_files(FILE *f, const mpc_case_info_t *ci, const char *path)
{
    char *dir = ci ? rpt_link_dir(path, ci->dir) : NULL;
    if (dir == NULL && ci != NULL && mdl_str(ci->dir)[0])
        return -1; /* out of memory */
    if (dir != NULL) {
        fputs("<p class=\"meta\">case files:", f);
        static const char *const names[] = {"case.py", "case.exp"};
        for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
            fputs(" <a", f);
            href(f, dir, names[i]);
            fprintf(f, ">%s</a>", names[i]);
        }
        fputs("</p>\n", f);
        free(dir);
    }
    if (ci != NULL && mdl_str(ci->document)[0])
        output(f, "the document's output", ci->document, 0, 0, 0, 0);
    return 0;
}

static int detail(FILE *f, const mpc_run_t *run, const mpc_result_t *r,
                  const char *path)
{
    const mpc_case_info_t *ci = rpt_html_case(run, mdl_str(r->case_id));
    fprintf(f, "<article class=\"detail\" id=\"r%zu\" data-status=\"%s\"",
            (size_t)(r - run->results), rpt_status(r->status));
    rpt_html_attr(f, "data-impl", r->impl);
    rpt_html_attr(f, "data-method", r->method);
    rpt_html_attr(f, "data-case", r->case_id);
    rpt_html_area_attr(f, run, mdl_str(r->case_id));
    fprintf(f, ">\n<h3><span class=\"badge st-%s\">", rpt_status(r->status));
    rpt_html_status(f, r->status);
    fputs("</span><code>", f);
    rpt_html_text(f, r->case_id);
    fputs("</code> on ", f);
    rpt_html_text(f, r->impl);
    fputs(" / ", f);
    rpt_html_text(f, r->method);
    fputs("</h3>\n", f);
    if (ci != NULL && mdl_str(ci->title)[0]) {
        fputs("<p class=\"meta\">", f);
        rpt_html_text(f, ci->title);
        fputs("</p>\n", f);
    }
    fputs("<dl>\n", f);
    if (mdl_str(r->detail)[0]) {
        fputs("<dt>detail</dt><dd>", f);
        rpt_html_text(f, r->detail);
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
            rpt_html_text(f, r->leaks[i]);
            fputs("</li>", f);
        }
        fputs("</ul></dd>\n", f);
    }
    fputs("</dl>\n", f);
    output(f, "stdout", r->out, r->out_len, r->truncated,
           rpt_is_failure(r->status), mark_line(r, "stdout"));
    output(f, "stderr", r->err, r->err_len, r->truncated,
           rpt_is_failure(r->status), mark_line(r, "stderr"));
    oracle(f, run, r);
    int rc = case_files(f, ci, path);
    fputs("</article>\n", f);
    return rc;
}

int rpt_html_divergences(FILE *f, const mpc_run_t *run)
{
    mpc_divergence_t *v;
    long n = mpc_divergences(run, &v);
    if (n < 0)
        return -1;
    const char *oracle =
        mdl_str(run->oracle_impl)[0] ? run->oracle_impl : "cpython";
    fputs("<section id=\"divergences\">\n<h2>Divergences from ", f);
    rpt_html_text(f, oracle);
    fputs("</h2>\n<p class=\"meta\">Generated from this run: known "
          "(the implementation's known-failures file, xfail), then new "
          "(failing cells, grouped by what failed); <code>mpconform "
          "divergences</code> prints them, <code>mpconform known-failures"
          "</code> writes them as a known-failures file.</p>\n",
          f);
    for (size_t i = 0; i < run->nimpls; i++) {
        const char *im = mdl_str(run->impls[i].name);
        if (strcmp(im, oracle) == 0)
            continue;
        fputs("<h3", f);
        rpt_html_attr(f, "data-impl", im);
        fputc('>', f);
        rpt_html_text(f, im);
        fputs("</h3>\n<ul class=\"divergences\">\n", f);
        long shown = 0;
        for (long k = 0; k < n; k++) {
            if (strcmp(v[k].impl, im) != 0)
                continue;
            fprintf(f, "<li class=\"%s\"><b>%s</b> <code>",
                    v[k].known ? "known" : "new", v[k].known ? "known" : "NEW");
            rpt_html_text(f, v[k].status);
            fputs("</code> ", f);
            rpt_html_text(f, v[k].reason);
            fputs(" &mdash; ", f);
            mpc_divergence_cells(f, run, &v[k], rpt_html_text);
            fputs("</li>\n", f);
            shown++;
        }
        if (shown == 0)
            fputs(run->impls[i].installed
                      ? "<li>None in this run.</li>\n"
                      : "<li>Not installed: not run.</li>\n",
                  f);
        fputs("</ul>\n", f);
    }
    fputs("</section>\n", f);
    mpc_divergences_free(v, n);
    return 0;
}

int rpt_html_details(FILE *f, const mpc_run_t *run, const char *path)
{
    size_t n = 0;
    fputs("<section id=\"details\">\n<h2>Details</h2>\n", f);
    /* Failures first, then the rest (skips, xfails, leaks on a pass): what
     * an implementer must act on is not below a screen of skipped cells. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < run->nresults; i++) {
            const mpc_result_t *r = &run->results[i];
            if (rpt_html_has_detail(r) && rpt_is_failure(r->status) == !pass) {
                if (detail(f, run, r, path) < 0)
                    return -1;
                n++;
            }
        }
    }
    if (n == 0)
        fputs("<p>Every case passed, with no leaks.</p>\n", f);
    fputs("</section>\n", f);
    return 0;
}
