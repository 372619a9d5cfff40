/*
 * report_junit.c - junit.xml: one <testsuite> per implementation x method,
 * one <testcase name="CASE" classname="IMPL.METHOD"> per result.
 *
 * fail, timeout, crash, error, xpass and flaky are <failure> (a timeout is
 * a failure here, unlike in meson 1.0.1's own JUnit output, because CI
 * dashboards hide "errors" that are not failures); skip and missing are
 * <skipped>.  The captured output of non-passing cases goes into
 * <system-out>/<system-err>; passing ones are left out to keep the file
 * small.  Each testcase carries its mpconform status and leaks as
 * <properties>, which Jenkins and GitLab ignore and tools can read.
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

static void properties(FILE *f, const mpc_result_t *r)
{
    fputs("      <properties>\n        <property name=\"status\"", f);
    attr(f, "value", rpt_status(r->status));
    fputs("/>\n", f);
    for (size_t i = 0; i < r->nleaks; i++) {
        fputs("        <property name=\"leak\"", f);
        attr(f, "value", r->leaks[i]);
        fputs("/>\n", f);
    }
    fputs("      </properties>\n", f);
}

static void testcase(FILE *f, const mpc_result_t *r, const char *classname)
{
    fputs("    <testcase", f);
    attr(f, "name", r->case_id);
    attr(f, "classname", classname);
    fprintf(f, " time=\"%.3f\">\n", r->duration_s);
    properties(f, r);
    if (rpt_is_failure(r->status)) {
        fputs("      <failure", f);
        failure_message(f, r);
        attr(f, "type", rpt_status(r->status));
        fputc('>', f);
        failure_body(f, r);
        fputs("</failure>\n", f);
    } else if (r->status == MPC_SKIP || r->status == MPC_MISSING ||
               r->status == MPC_NOT_APPLICABLE) {
        fputs("      <skipped", f);
        /* "missing: no case.c" tells a reader it is not a plain skip */
        fprintf(f, " message=\"%s%s", rpt_status(r->status),
                mdl_str(r->detail)[0] ? ": " : "");
        rpt_xml_escape(f, r->detail, 1);
        fputs("\"/>\n", f);
    }
    if (r->status != MPC_PASS && r->status != MPC_SKIP &&
        r->status != MPC_MISSING && r->status != MPC_NOT_APPLICABLE) {
        fputs("      <system-out>", f);
        esc(f, r->out);
        fputs("</system-out>\n      <system-err>", f);
        esc(f, r->err);
        fputs("</system-err>\n", f);
    }
    fputs("    </testcase>\n", f);
}

static void suite_open(FILE *f, const mpc_run_t *run, const char *name,
                       const rpt_column_t *col)
{
    size_t c[MPC_NSTATUS], tests = 0, failures = 0;
    double time = 0;
    rpt_count(run, col->impl, col->method, c);
    for (int s = 0; s < MPC_NSTATUS; s++) {
        tests += c[s];
        failures += rpt_is_failure((mpc_status_t)s) ? c[s] : 0;
    }
    for (size_t i = 0; i < run->nresults; i++)
        if (strcmp(mdl_str(run->results[i].impl), col->impl) == 0 &&
            strcmp(mdl_str(run->results[i].method), col->method) == 0)
            time += run->results[i].duration_s;
    fputs("  <testsuite", f);
    attr(f, "name", name);
    fprintf(f,
            " tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
            "skipped=\"%zu\" time=\"%.3f\"",
            tests, failures,
            c[MPC_SKIP] + c[MPC_MISSING] + c[MPC_NOT_APPLICABLE], time);
    attr(f, "timestamp", run->generated);
    fputs(">\n", f);
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
    size_t c[MPC_NSTATUS], failures = 0;
    if (mdl_open(&rf, path) < 0)
        return -1;
    rpt_count(run, "*", "*", c);
    for (int s = 0; s < MPC_NSTATUS; s++)
        failures += rpt_is_failure((mpc_status_t)s) ? c[s] : 0;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", rf.f);
    fprintf(rf.f,
            "<testsuites name=\"mpconform\" tests=\"%zu\" "
            "failures=\"%zu\" errors=\"0\">\n",
            run->nresults, failures);
    int failed = write_suites(rf.f, run) < 0;
    if (failed)
        fprintf(stderr, "mpconform: %s: out of memory\n", path);
    fputs("</testsuites>\n", rf.f);
    return mdl_close(&rf, failed);
}
