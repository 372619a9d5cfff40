/*
 * report_md.c - summary.md, for a CI page (GitHub step summary, GitLab
 * artifacts): totals per implementation x method, the matrix (one row per
 * case, one column per implementation x method) and the list of failures
 * with their mismatch and, beside each, the oracle's line for the same
 * case and method.
 *
 * Cells are lower case when nothing is wrong (pass, skip, missing, xfail)
 * and upper case when a reader must look (FAIL, TIMEOUT, CRASH, ERROR,
 * XPASS, FLAKY); a passing case that leaked is "pass LEAK".  Text from the
 * run goes through md_text / md_code so that a '|' or a newline in a case
 * title or captured line cannot break the table.
 */
#include "report.h"
#include "results.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "divergences.h"
#include "rpt.h"
#include "versions.h"

/*
 * Write s as one line of Markdown.  code = 0: text, with the characters
 * Markdown would interpret backslash-escaped; code = 1: inside a code
 * span, where only '|' needs it (GFM ends a table cell at '|' even there).
 * Line breaks become spaces, other control characters (C0, DEL, C1) are
 * dropped, bytes that are not UTF-8 become U+FFFD so the file stays valid
 * UTF-8.
 */
static void md_put_n(FILE *f, const char *s, size_t n, int code)
{
    const unsigned char *p = (const unsigned char *)s;
    while (n > 0) {
        unsigned cp = 0;
        int len = mdl_utf8_decode(p, n, &cp);
        if (len == 0) {
            fputs("\xef\xbf\xbd", f);
            p++, n--;
            continue;
        }
        if (cp == '\n' || cp == '\r' || cp == '\t')
            fputc(' ', f);
        else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
            ;
        else if (cp < 0x80 && strchr(code ? "|" : "|\\`*_[]<>#~", (int)cp))
            fprintf(f, "\\%c", (int)cp);
        else
            fwrite(p, 1, (size_t)len, f);
        p += len, n -= (size_t)len;
    }
}

static void md_put(FILE *f, const char *s, int code)
{
    md_put_n(f, mdl_str(s), strlen(mdl_str(s)), code);
}

static void md_text(FILE *f, const char *s)
{
    md_put(f, s, 0);
}

/* A code span that survives backticks in s: the fence is one backtick
 * longer than the longest run inside. */
static void md_code_n(FILE *f, const char *s, size_t n)
{
    size_t run = 0, longest = 0;
    for (const char *p = s; p < s + n; p++) {
        run = *p == '`' ? run + 1 : 0;
        longest = run > longest ? run : longest;
    }
    for (size_t i = 0; i <= longest; i++)
        fputc('`', f);
    fputc(' ', f);
    md_put_n(f, s, n, 1);
    fputc(' ', f);
    for (size_t i = 0; i <= longest; i++)
        fputc('`', f);
}

static void md_code(FILE *f, const char *s)
{
    md_code_n(f, mdl_str(s), strlen(mdl_str(s)));
}

/* "FAIL" for failures, "pass" otherwise; "pass LEAK" with leaks. */
static void cell(FILE *f, const mpc_result_t *r)
{
    if (r == NULL) {
        fputs("—", f);
        return;
    }
    const char *name = rpt_status(r->status);
    for (const char *p = name; *p; p++)
        fputc(rpt_is_failure(r->status) ? toupper((unsigned char)*p) : *p, f);
    if (r->nleaks > 0)
        fputs(" LEAK", f);
}

static void header(FILE *f, const mpc_run_t *run)
{
    fputs("# mpconform conformance summary\n\n", f);
    fputs("Generated ", f);
    md_text(f, run->generated);
    fputs(" by mpconform ", f);
    md_text(f, run->runner_version);
    fputs("; oracle ", f);
    md_text(f, run->oracle_impl);
    fputc(' ', f);
    md_text(f, run->oracle_version);
    fputs(" (", f);
    md_text(f, run->oracle_mode);
    fprintf(f, "); time scale %g; jobs %d; repeat %d; shard ", run->time_scale,
            run->jobs, run->repeat);
    md_text(f, run->shard);
    fputs(".\n", f);
    for (size_t k = 0; k < run->nshards; k++) {
        fputs(k ? "- shard " : "\n- shard ", f);
        md_text(f, run->shards[k].shard);
        fputs(": mpconform", f);
        for (size_t i = 0; i < run->shards[k].argc; i++) {
            fputc(' ', f);
            md_text(f, run->shards[k].argv[i]);
        }
        fputc('\n', f);
    }
    int first = 1;
    for (size_t i = 0; i < run->nimpls; i++) {
        const mpc_impl_info_t *im = &run->impls[i];
        if (im->installed)
            continue;
        fputs(first ? "\n- not installed: **" : "- not installed: **", f);
        first = 0;
        md_text(f, im->name);
        fputs("** — ", f);
        md_text(f, im->reason);
        fputc('\n', f);
    }
}

/* Per oracle cell, what its wrong variants became (RESULTS.md, power). */
static void strength_cells(FILE *f, const mpc_run_t *run)
{
    const mpc_strength_info_t *s = &run->strength;
    if (s->ncells_info == 0)
        return;
    fputs("\n## Output mutation per case\n\n<details><summary>the oracle's "
          "passing cells, their wrong variants by fate</summary>\n\n"
          "| case | method | tried | rejected | free | allowed | accepted |\n"
          "| --- | --- | ---: | ---: | ---: | ---: | ---: |\n",
          f);
    for (size_t i = 0; i < s->ncells_info; i++) {
        const mpc_strength_cell_info_t *c = &s->per_cell[i];
        fputs("| ", f);
        md_text(f, c->case_id);
        fputs(" | ", f);
        md_text(f, c->method);
        fprintf(f, " | %zu | %zu | %zu | %zu | %zu |\n", c->tried, c->rejected,
                c->free_, c->allowed, c->accepted);
    }
    fputs("\n</details>\n", f);
}

static void totals(FILE *f, const mpc_run_t *run, const rpt_column_t *cols,
                   long ncols)
{
    fputs("\n## Totals\n\n| implementation | method |", f);
    for (int s = 0; s < MPC_NSTATUS; s++)
        fprintf(f, " %s |", mpc_status_name((mpc_status_t)s));
    fputs(" leaks |\n| --- | --- |", f);
    for (int s = 0; s <= MPC_NSTATUS; s++)
        fputs(" ---: |", f);
    fputc('\n', f);
    for (long k = 0; k < ncols; k++) {
        size_t c[MPC_NSTATUS], leaks = 0;
        rpt_count(run, cols[k].impl, cols[k].method, c);
        for (size_t i = 0; i < run->nresults; i++) {
            const mpc_result_t *r = &run->results[i];
            if (strcmp(mdl_str(r->impl), cols[k].impl) == 0 &&
                strcmp(mdl_str(r->method), cols[k].method) == 0)
                leaks += r->nleaks > 0;
        }
        fputs("| ", f);
        md_text(f, cols[k].impl);
        fputs(" | ", f);
        md_text(f, cols[k].method);
        fputs(" |", f);
        for (int s = 0; s < MPC_NSTATUS; s++)
            fprintf(f, " %zu |", c[s]);
        fprintf(f, " %zu |\n", leaks);
    }
}

static void matrix(FILE *f, const mpc_run_t *run, const rpt_column_t *cols,
                   long ncols, const char **rows, long nrows)
{
    fputs("\n## Matrix\n\n| case |", f);
    for (long k = 0; k < ncols; k++) {
        fputc(' ', f);
        md_text(f, cols[k].impl);
        fputc(' ', f);
        md_text(f, cols[k].method);
        fputs(" |", f);
    }
    fputs("\n| --- |", f);
    for (long k = 0; k < ncols; k++)
        fputs(" --- |", f);
    fputc('\n', f);
    for (long i = 0; i < nrows; i++) {
        fputs("| ", f);
        md_code(f, rows[i]);
        fputs(" |", f);
        for (long k = 0; k < ncols; k++) {
            fputc(' ', f);
            cell(f, rpt_find(run, rows[i], cols[k].impl, cols[k].method));
            fputs(" |", f);
        }
        fputc('\n', f);
    }
}

static void field(FILE *f, const char *label, const char *value)
{
    if (mdl_str(value)[0] == '\0')
        return;
    fprintf(f, "  - %s: ", label);
    md_code(f, value);
    fputc('\n', f);
}

/* Line n (1-based) of the size bytes at s: its start, length in *len;
 * NULL when s has fewer lines (a final line without newline counts). */
static const char *nth_line(const char *s, size_t size, int n, size_t *len)
{
    const char *end = s + size;
    for (int i = 1; i < n && s != NULL; i++) {
        s = memchr(s, '\n', (size_t)(end - s));
        s = s ? s + 1 : NULL;
    }
    if (s == NULL || (s == end && n > 1))
        return NULL;
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    *len = nl ? (size_t)(nl - s) : (size_t)(end - s);
    return s;
}

/* For a failing cell of another implementation, what the oracle printed on
 * the mismatching line for the same case and method (or that it did not
 * run it): the two side by side are what an implementer compares. */
static void oracle(FILE *f, const mpc_run_t *run, const mpc_result_t *r)
{
    const char *name =
        mdl_str(run->oracle_impl)[0] ? run->oracle_impl : "cpython";
    if (!rpt_is_failure(r->status) || strcmp(mdl_str(r->impl), name) == 0)
        return;
    const mpc_result_t *o =
        rpt_find(run, mdl_str(r->case_id), name, mdl_str(r->method));
    if (o == NULL) {
        fputs("  - ", f);
        md_text(f, name);
        fputs(" did not run ", f);
        md_text(f, r->case_id);
        fputs(" under ", f);
        md_text(f, r->method);
        fputs(" in this run (name it in `--impl` to compare)\n", f);
        return;
    }
    fputs("  - ", f);
    md_text(f, name);
    fputc('/', f);
    md_text(f, r->method);
    const mpc_mismatch_t *m = r->mismatch;
    const char *stream = m ? mdl_str(m->stream) : "";
    const char *text = !strcmp(stream, "stdout")   ? mdl_str(o->out)
                       : !strcmp(stream, "stderr") ? mdl_str(o->err)
                                                   : NULL;
    size_t size = !strcmp(stream, "stdout")
                      ? mpc_output_len(o->out, o->out_len)
                      : mpc_output_len(o->err, o->err_len);
    size_t len = 0;
    const char *line =
        m && m->line > 0 && text ? nth_line(text, size, m->line, &len) : NULL;
    if (line != NULL) {
        fprintf(f, " line %d: ", m->line);
        md_code_n(f, line, len);
    } else {
        fputs(": **", f);
        cell(f, o);
        fputs("**", f);
        if (m != NULL && m->line > 0 && text != NULL)
            fprintf(f, ", no %s line %d", stream, m->line);
    }
    fputc('\n', f);
}

/* Where the case's files are: relative to the report when it can be. */
static int case_dir(FILE *f, const mpc_run_t *run, const mpc_result_t *r,
                    const char *path)
{
    for (size_t i = 0; i < run->ncases; i++) {
        const mpc_case_info_t *ci = &run->cases[i];
        if (strcmp(mdl_str(ci->id), mdl_str(r->case_id)) == 0) {
            if (mdl_str(ci->dir)[0] == '\0')
                return 0;
            char *dir = rpt_link_dir(path, ci->dir);
            if (dir == NULL)
                return -1; /* out of memory */
            field(f, "case files (case.py, case.exp)", dir);
            free(dir);
            return 0;
        }
    }
    return 0;
}

static int failure(FILE *f, const mpc_run_t *run, const mpc_result_t *r,
                   const char *path)
{
    fputs("- ", f);
    md_code(f, r->case_id);
    fputs(" on ", f);
    md_text(f, r->impl);
    fputc('/', f);
    md_text(f, r->method);
    fputs(": **", f);
    cell(f, r);
    fputs("**", f);
    if (mdl_str(r->detail)[0]) {
        fputs(" — ", f);
        md_text(f, r->detail);
    }
    if (r->runs > 1)
        fprintf(f, " (passed %d of %d runs)", r->passes, r->runs);
    fputc('\n', f);
    const mpc_mismatch_t *m = r->mismatch;
    if (m != NULL) {
        if (mdl_str(m->stream)[0] || m->line > 0) {
            fputs("  - where: ", f);
            md_text(f, m->stream);
            if (m->line > 0)
                fprintf(f, " line %d", m->line);
            fputc('\n', f);
        }
        field(f, "expected", m->expected);
        field(f, "actual", m->actual);
        field(f, "relation", m->relation);
        field(f, "values", m->values);
    }
    oracle(f, run, r);
    if (rpt_is_failure(r->status) && case_dir(f, run, r, path) < 0)
        return -1;
    for (size_t i = 0; i < r->nleaks; i++)
        field(f, "leak", r->leaks[i]);
    return 0;
}

static int failures(FILE *f, const mpc_run_t *run, const char *path)
{
    size_t n = 0;
    fputs("\n## Failures and leaks\n\n", f);
    for (size_t i = 0; i < run->nresults; i++) {
        const mpc_result_t *r = &run->results[i];
        if (rpt_is_failure(r->status) || r->nleaks > 0) {
            if (failure(f, run, r, path) < 0)
                return -1;
            n++;
        }
    }
    if (n == 0)
        fputs("None.\n", f);
    return 0;
}

/* Per implementation but the oracle, its divergences grouped by reason
 * (divergences.h): generated, so that no hand-written list goes stale. */
static int divergences(FILE *f, const mpc_run_t *run)
{
    mpc_divergence_t *v;
    long n = mpc_divergences(run, &v);
    if (n < 0)
        return -1;
    const char *oracle =
        mdl_str(run->oracle_impl)[0] ? run->oracle_impl : "cpython";
    fputs("\n## Divergences from ", f);
    md_text(f, oracle);
    fputs("\n\nKnown: listed in the implementation's known-failures file "
          "(xfail); new: failing cells, grouped by what failed. "
          "`mpconform divergences` prints this list and "
          "`mpconform known-failures` writes it as a known-failures file.\n",
          f);
    for (size_t i = 0; i < run->nimpls; i++) {
        const char *im = mdl_str(run->impls[i].name);
        if (strcmp(im, oracle) == 0)
            continue;
        fputs("\n### ", f);
        md_text(f, im);
        fputs("\n\n", f);
        long shown = 0;
        for (long k = 0; k < n; k++) {
            if (strcmp(v[k].impl, im) != 0)
                continue;
            fprintf(f, "- %s `%s`: ", v[k].known ? "known" : "**new**",
                    v[k].status);
            md_text(f, v[k].reason);
            fputs(" — ", f);
            mpc_divergence_cells(f, run, &v[k], md_text);
            fputc('\n', f);
            shown++;
        }
        if (shown == 0)
            fputs(run->impls[i].installed ? "None in this run.\n"
                                          : "Not installed: not run.\n",
                  f);
    }
    mpc_divergences_free(v, n);
    return 0;
}

/* "Across CPython versions" (versions.h), when more than one CPython ran. */
static int cross_versions(FILE *f, const mpc_run_t *run)
{
    size_t *idx = calloc(run->nimpls + 1, sizeof *idx);
    if (!idx)
        return -1;
    size_t n = mpc_run_cpythons(run, idx);
    free(idx);
    if (n < 2)
        return 0;
    return mpc_versions_write(f, run, 1) < 0 ? -1 : 0;
}

int mpc_report_markdown(const mpc_run_t *run, const char *path)
{
    mdl_file_t rf;
    rpt_column_t *cols;
    const char **rows;
    long ncols, nrows;
    if (mdl_open(&rf, path) < 0)
        return -1;
    if (rpt_matrix(run, path, &cols, &ncols, &rows, &nrows) < 0)
        return mdl_close(&rf, 1);
    header(rf.f, run);
    rpt_power(rf.f, run, md_text, "\n", "\n");
    totals(rf.f, run, cols, ncols);
    matrix(rf.f, run, cols, ncols, rows, nrows);
    strength_cells(rf.f, run);
    int rc = divergences(rf.f, run);
    if (rc == 0)
        rc = cross_versions(rf.f, run);
    if (rc == 0)
        rc = failures(rf.f, run, path);
    if (rc < 0)
        fprintf(stderr, "mpconform: %s: out of memory\n", path);
    free(cols);
    free(rows);
    return mdl_close(&rf, rc < 0);
}
