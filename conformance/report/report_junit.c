/*
 * report_junit.c - junit.xml: one <testsuite> per implementation x method,
 * one <testcase name="CASE" classname="IMPL.METHOD"> per result, valid
 * against the schema Jenkins' xUnit plugin validates JUnit input with
 * (junit-10.xsd; tests/junit-10-structure.xsd restates it for the test).
 *
 * fail, timeout, xpass and flaky are <failure> (a timeout is a failure
 * here, unlike in meson 1.0.1's own JUnit output, because CI dashboards
 * hide "errors" that are not failures); crash and error (a malformed case,
 * a harness error) are <error>, counted in errors=; skip, missing and n/a
 * are <skipped>.  The captured output of cells that did not pass goes into
 * <system-out>/<system-err>; passing ones are left out to keep the file
 * small.  The schema allows no <properties> inside <testcase>: each
 * suite's <properties> carry the mpconform status of its cells that are
 * not plain passes ("status CASE") and their leaks ("leak CASE"), and a
 * leak is also a line of the cell's <system-err>, which CI pages show.
 */
#include "report.h"
#include "results.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpt.h"

static void esc(FILE *f, const char *s)
{
    rpt_xml_escape(f, s, 0);
}

static void attr(FILE *f, const char *name, const char *s)
{
    fprintf(f, " %s=\"", name);
    rpt_xml_escape(f, s, 1);
    fputc('"', f);
}

/* One line for the message attribute: what a CI list shows first. */
static void failure_message(FILE *f, const mpc_result_t *r)
{
    const mpc_mismatch_t *m = r->mismatch;
    fputs(" message=\"", f);
    if (mdl_str(r->detail)[0] != '\0')
        rpt_xml_escape(f, r->detail, 1);
    else if (m != NULL && mdl_str(m->relation)[0] != '\0') {
        fputs("check failed: ", f);
        rpt_xml_escape(f, m->relation, 1);
    } else if (m != NULL) {
        rpt_xml_escape(f, m->stream, 1);
        fprintf(f, " line %d differs", m->line);
    } else
        fputs(rpt_status(r->status), f);
    fputc('"', f);
}

/* The body of <failure>: every field of the mismatch, one per line. */
static void failure_body(FILE *f, const mpc_result_t *r)
{
    const mpc_mismatch_t *m = r->mismatch;
    fputs("status: ", f);
    fputs(rpt_status(r->status), f);
    if (mdl_str(r->detail)[0]) {
        fputs("\ndetail: ", f);
        esc(f, r->detail);
    }
    if (m != NULL) {
        fputs("\nstream: ", f);
        esc(f, m->stream);
        fprintf(f, "\nline: %d\nexpected: ", m->line);
        esc(f, m->expected);
        fputs("\nactual: ", f);
        esc(f, m->actual);
        fputs("\nrelation: ", f);
        esc(f, m->relation);
        fputs("\nvalues: ", f);
        esc(f, m->values);
    }
    if (r->runs > 1)
        fprintf(f, "\npassed %d of %d runs", r->passes, r->runs);
    fprintf(f, "\nexit: %d", r->exit_status);
}

/* What a cell is in JUnit terms. */
typedef enum { J_PASS, J_FAILURE, J_ERROR, J_SKIPPED } jkind_t;

static jkind_t jkind(mpc_status_t s)
{
    if (s == MPC_CRASH || s == MPC_ERROR)
        return J_ERROR;
    if (rpt_is_failure(s))
        return J_FAILURE;
    if (s == MPC_SKIP || s == MPC_MISSING || s == MPC_NOT_APPLICABLE)
        return J_SKIPPED;
    return J_PASS;
}

static void property(FILE *f, const char *what, const char *case_id,
                     const char *value)
{
    fprintf(f, "    <property name=\"%s ", what);
    rpt_xml_escape(f, case_id, 1);
    fputc('"', f);
    attr(f, "value", value);
    fputs("/>\n", f);
}

/* The suite's <properties>: status and leaks of the cells that are not
 * plain passes.  Nothing when there are none (an empty element is valid
 * but noise). */
static void suite_properties(FILE *f, const mpc_run_t *run,
                             const rpt_column_t *col)
{
    int open = 0;
    for (size_t i = 0; i < run->nresults; i++) {
        const mpc_result_t *r = &run->results[i];
        if (strcmp(mdl_str(r->impl), col->impl) != 0 ||
            strcmp(mdl_str(r->method), col->method) != 0 ||
            (r->status == MPC_PASS && r->nleaks == 0))
            continue;
        if (!open)
            fputs("    <properties>\n", f);
        open = 1;
        fputs("  ", f);
        property(f, "status", r->case_id, rpt_status(r->status));
        for (size_t k = 0; k < r->nleaks; k++) {
            fputs("  ", f);
            property(f, "leak", r->case_id, r->leaks[k]);
        }
    }
    if (open)
        fputs("    </properties>\n", f);
}

static void problem(FILE *f, const mpc_result_t *r, const char *element)
{
    fprintf(f, "      <%s", element);
    failure_message(f, r);
    attr(f, "type", rpt_status(r->status));
    fputc('>', f);
    failure_body(f, r);
    fprintf(f, "</%s>\n", element);
}

static void testcase(FILE *f, const mpc_result_t *r, const char *classname)
{
    jkind_t k = jkind(r->status);
    fputs("    <testcase", f);
    attr(f, "name", r->case_id);
    attr(f, "classname", classname);
    fprintf(f, " time=\"%.3f\">\n", r->duration_s);
    if (k == J_FAILURE)
        problem(f, r, "failure");
    else if (k == J_ERROR)
        problem(f, r, "error");
    else if (k == J_SKIPPED) {
        fputs("      <skipped", f);
        /* "missing: no case.c" tells a reader it is not a plain skip */
        fprintf(f, " message=\"%s%s", rpt_status(r->status),
                mdl_str(r->detail)[0] ? ": " : "");
        rpt_xml_escape(f, r->detail, 1);
        fputs("\"/>\n", f);
    }
    int output = k != J_SKIPPED && r->status != MPC_PASS;
    if (output) {
        fputs("      <system-out>", f);
        rpt_xml_escape_n(f, mdl_str(r->out), mpc_output_len(r->out, r->out_len),
                         0);
        fputs("</system-out>\n", f);
    }
    if (output || r->nleaks) {
        fputs("      <system-err>", f);
        for (size_t i = 0; i < r->nleaks; i++) {
            fputs("mpconform: LEAK ", f);
            esc(f, r->leaks[i]);
            fputc('\n', f);
        }
        if (output)
            rpt_xml_escape_n(f, mdl_str(r->err),
                             mpc_output_len(r->err, r->err_len), 0);
        fputs("</system-err>\n", f);
    }
    fputs("    </testcase>\n", f);
}

/* tests, failures, errors, skipped of a column ("*": every one). */
static void jcount(const mpc_run_t *run, const char *impl, const char *method,
                   size_t n[4], size_t *tests)
{
    size_t c[MPC_NSTATUS];
    rpt_count(run, impl, method, c);
    memset(n, 0, 4 * sizeof *n);
    *tests = 0;
    for (int s = 0; s < MPC_NSTATUS; s++) {
        *tests += c[s];
        n[jkind((mpc_status_t)s)] += c[s];
    }
}

static void suite_open(FILE *f, const mpc_run_t *run, const char *name,
                       const rpt_column_t *col)
{
    size_t n[4], tests;
    double time = 0;
    jcount(run, col->impl, col->method, n, &tests);
    for (size_t i = 0; i < run->nresults; i++)
        if (strcmp(mdl_str(run->results[i].impl), col->impl) == 0 &&
            strcmp(mdl_str(run->results[i].method), col->method) == 0)
            time += run->results[i].duration_s;
    fputs("  <testsuite", f);
    attr(f, "name", name);
    fprintf(f,
            " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
            "skipped=\"%zu\" time=\"%.3f\"",
            tests, n[J_FAILURE], n[J_ERROR], n[J_SKIPPED], time);
    attr(f, "timestamp", run->generated);
    fputs(">\n", f);
    suite_properties(f, run, col);
}

static int write_suites(FILE *f, const mpc_run_t *run)
{
    rpt_column_t *cols;
    long ncols = rpt_columns(run, &cols);
    if (ncols < 0)
        return -1;
    for (long k = 0; k < ncols; k++) {
        size_t n = strlen(cols[k].impl) + strlen(cols[k].method) + 2;
        char *name = malloc(n);
        if (name == NULL) {
            free(cols);
            return -1;
        }
        snprintf(name, n, "%s.%s", cols[k].impl, cols[k].method);
        suite_open(f, run, name, &cols[k]);
        for (size_t i = 0; i < run->nresults; i++) {
            const mpc_result_t *r = &run->results[i];
            if (strcmp(mdl_str(r->impl), cols[k].impl) == 0 &&
                strcmp(mdl_str(r->method), cols[k].method) == 0)
                testcase(f, r, name);
        }
        fputs("  </testsuite>\n", f);
        free(name);
    }
    free(cols);
    return 0;
}

int mpc_report_junit(const mpc_run_t *run, const char *path)
{
    mdl_file_t rf;
    size_t n[4], tests;
    if (mdl_open(&rf, path) < 0)
        return -1;
    jcount(run, "*", "*", n, &tests);
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", rf.f);
    fprintf(rf.f,
            "<testsuites name=\"mpconform\" tests=\"%zu\" "
            "failures=\"%zu\" errors=\"%zu\">\n",
            tests, n[J_FAILURE], n[J_ERROR]);
    int failed = write_suites(rf.f, run) < 0;
    if (failed)
        fprintf(stderr, "mpconform: %s: out of memory\n", path);
    fputs("</testsuites>\n", rf.f);
    return mdl_close(&rf, failed);
}
