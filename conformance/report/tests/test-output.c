/*
 * test-output.c - junit.xml, summary.md, index.html and write_all: shape,
 * failures, and escaping of hostile text (markup, control bytes, bytes
 * that are not UTF-8).
 */
#define _POSIX_C_SOURCE 200809L

#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "divergences.h"
#include "report.h"
#include "results.h"
#include "rpt.h"
#include "testutil.h"

#define PY_XML  "import sys, xml.dom.minidom as m; m.parse(sys.argv[1])"
#define PY_UTF8 "import sys; open(sys.argv[1], encoding='utf-8').read()"

static const char hostile_id[] = "evil/<script>alert(1)</script>&\"'|`";
static const char hostile_out[] =
    "<b>bold</b> & \"q\" 'a'\x01\x02\x1b[31m\x7f bad\xff\xfe utf8\n";

/* A run whose every string an attacker (or a broken case) controls. */
static void hostile_run(mpc_run_t *run)
{
    memset(run, 0, sizeof *run);
    run->generated = tu_strdup("2026<>");
    tu_add_result(run, hostile_id, "cp<y>", "fork", MPC_FAIL);
    mpc_result_t *r = &run->results[0];
    free(r->out);
    free(r->err);
    free(r->detail);
    r->out = tu_strdup(hostile_out);
    r->err = tu_strdup(hostile_out);
    r->detail = tu_strdup("detail \x03<i>\n second line");
    r->leaks = tu_strv(1, "fd 7 <left> open");
    r->nleaks = 1;
}

/* No byte below 0x20 other than tab, LF, CR, and no DEL. */
static int clean_controls(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7f)
            return 0;
    return 1;
}

static char *write_and_read(int (*fn)(const mpc_run_t *, const char *),
                            const mpc_run_t *run, const char *name)
{
    const char *p = tu_path(name);
    CU_ASSERT_EQUAL(fn(run, p), 0);
    char *text = tu_read(p, NULL);
    CU_ASSERT_PTR_NOT_NULL(text);
    return text ? text : tu_strdup("");
}

static void test_junit_timeout_is_failure(void)
{
    mpc_run_t run;
    tu_sample_run(&run);
    char *x = write_and_read(mpc_report_junit, &run, "junit.xml");
    CU_ASSERT_EQUAL(tu_python_check(PY_XML, tu_path("junit.xml")) != 0, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "<failure message=\"timeout after 60 s\""
                                     " type=\"timeout\">"));
    /* fail timeout xpass flaky; crash and error are <error> */
    CU_ASSERT_EQUAL(tu_count(x, "<failure "), 4);
    CU_ASSERT_EQUAL(tu_count(x, "<error "), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "<error message=\"killed by SIGSEGV\""));
    /* Jenkins' junit-10.xsd allows no <properties> in a <testcase> */
    const char *tc = strstr(x, "<testcase ");
    const char *pr = strstr(x, "<properties>");
    CU_ASSERT_PTR_NOT_NULL(pr);
    CU_ASSERT_TRUE(tc == NULL || pr == NULL || pr < tc);
    CU_ASSERT_EQUAL(tu_count(x, "<properties>"), 3); /* one per suite */
    CU_ASSERT_EQUAL(tu_count(x, "<skipped "), 2);
    CU_ASSERT_PTR_NOT_NULL(
        strstr(x, "<skipped message=\"missing: no case.c\""));
    CU_ASSERT_EQUAL(tu_count(x, "<testsuite "), 3);
    CU_ASSERT_EQUAL(tu_count(x, "<testcase "), (size_t)run.nresults);
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "<testsuite name=\"cpython.spawn\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "classname=\"ref.fork\""));
    CU_ASSERT_PTR_NOT_NULL(
        strstr(x, "tests=\"11\" failures=\"4\" errors=\"2\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "value=\"/dev/shm/sem.mp-abc left "
                                     "behind\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "mpconform: LEAK /dev/shm/sem.mp-abc "
                                     "left behind"));
    free(x);
    mpc_run_free(&run);
}

static void test_junit_escapes_markup_and_controls(void)
{
    mpc_run_t run;
    hostile_run(&run);
    char *x = write_and_read(mpc_report_junit, &run, "evil.xml");
    CU_ASSERT_EQUAL(tu_python_check(PY_XML, tu_path("evil.xml")) != 0, 1);
    CU_ASSERT_TRUE(clean_controls(x));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "name=\"evil/&lt;script&gt;alert(1)&lt;"
                                     "/script&gt;&amp;&quot;&#39;|`\""));
    CU_ASSERT_PTR_NULL(strstr(x, "<script>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "&lt;b&gt;bold&lt;/b&gt; &amp; "
                                     "&quot;q&quot; &#39;a&#39;[31m"));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "bad\xef\xbf\xbd\xef\xbf\xbd utf8"));
    /* a newline inside an attribute is kept as a reference */
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "message=\"detail &lt;i&gt;&#10; second"));
    free(x);
    mpc_run_free(&run);
}

static void test_html_matrix_and_details(void)
{
    mpc_run_t run;
    tu_sample_run(&run);
    char *x = write_and_read(mpc_report_html, &run, "index.html");
    CU_ASSERT_EQUAL(tu_python_check(PY_UTF8, tu_path("index.html")) != 0, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "<table id=\"matrix\""));
    CU_ASSERT_EQUAL(tu_count(x, "<tr class=\"row\""), 4);
    CU_ASSERT_EQUAL(tu_count(x, "<td class=\"c st-"), 11);
    CU_ASSERT_EQUAL(tu_count(x, "<td class=\"none\""), 1);
    /* 9 non-pass results + 1 pass with leaks have a detail and a link */
    CU_ASSERT_EQUAL(tu_count(x, "<article class=\"detail\""), 10);
    CU_ASSERT_EQUAL(tu_count(x, "<a href=\"#r"), 10);
    CU_ASSERT_EQUAL(tu_count(x, "<span class=\"leak\">LEAK</span></a>"), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "<th class=\"impl\" colspan=\"2\" "
                                     "data-impl=\"cpython\">"));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "data-area=\"queue\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "<dd class=\"exp\"><code>= 4</code>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "<code>abs(t1 - t2) &lt;= 0.05</code>"));
    /* self-contained: exactly one inline script and style, no URL */
    CU_ASSERT_EQUAL(tu_count(x, "<script"), 1);
    CU_ASSERT_EQUAL(tu_count(x, "<style"), 1);
    CU_ASSERT_PTR_NULL(strstr(x, "http:"));
    CU_ASSERT_PTR_NULL(strstr(x, "https:"));
    CU_ASSERT_PTR_NULL(strstr(x, "src="));
    free(x);
    mpc_run_free(&run);
}

static void test_html_escapes_markup_and_controls(void)
{
    mpc_run_t run;
    hostile_run(&run);
    char *x = write_and_read(mpc_report_html, &run, "evil.html");
    CU_ASSERT_EQUAL(tu_python_check(PY_UTF8, tu_path("evil.html")) != 0, 1);
    CU_ASSERT_TRUE(clean_controls(x));
    CU_ASSERT_EQUAL(tu_count(x, "<script"), 1); /* ours only */
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "&lt;script&gt;alert(1)&lt;/script&gt;"
                                     "&amp;&quot;&#39;"));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "<pre>&lt;b&gt;bold&lt;/b&gt; &amp; "
                                     "&quot;q&quot; &#39;a&#39;[31m"));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "fd 7 &lt;left&gt; open"));
    CU_ASSERT_PTR_NULL(strstr(x, "<b>bold"));
    CU_ASSERT_PTR_NULL(strstr(x, "<i>"));
    free(x);
    mpc_run_free(&run);
}

/* The lines of the "## Matrix" table of summary.md. */
static void matrix_lines(const char *md, char lines[][512], size_t *n)
{
    const char *p = strstr(md, "## Matrix\n\n");
    *n = 0;
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    p += strlen("## Matrix\n\n");
    while (*p == '|' && *n < 16) {
        size_t len = strcspn(p, "\n");
        snprintf(lines[*n], 512, "%.*s", (int)len, p);
        (*n)++;
        p += len + (p[len] == '\n');
    }
}

/* Cell separators: '|' not escaped by a backslash. */
static size_t pipes(const char *line)
{
    size_t n = 0;
    for (const char *p = line; *p; p++)
        n += *p == '|' && (p == line || p[-1] != '\\');
    return n;
}

/* A failing cell is shown beside the oracle's output for the same case and
 * method (or a word saying the oracle did not run it), with the
 * mismatching line marked, and failures come before skipped cells. */
static void oracle_run(mpc_run_t *run)
{
    memset(run, 0, sizeof *run);
    run->oracle_impl = tu_strdup("cpython");
    tu_add_result(run, "x/y", "ref", "spawn", MPC_SKIP);
    tu_add_result(run, "x/y", "cpython", "fork", MPC_PASS);
    tu_add_result(run, "x/y", "ref", "fork", MPC_FAIL);
    tu_add_result(run, "x/y", "ref", "forkserver", MPC_FAIL);
    const char *outs[] = {"", "a\nb<1>\nc\n", "a\nB<2>\nc\n", "a\nB<3>\n"};
    for (size_t i = 0; i < 4; i++) {
        mpc_result_t *r = &run->results[i];
        free(r->out);
        r->out = tu_strdup(outs[i]);
        if (r->status != MPC_FAIL)
            continue;
        r->mismatch = calloc(1, sizeof *r->mismatch); /* none before */
        CU_ASSERT_PTR_NOT_NULL_FATAL(r->mismatch);
        r->mismatch->stream = tu_strdup("stdout");
        r->mismatch->line = 2;
        r->mismatch->expected = tu_strdup("= b<1>");
        r->mismatch->actual = tu_strdup(i == 2 ? "B<2>" : "B<3>");
        r->mismatch->relation = tu_strdup("");
        r->mismatch->values = tu_strdup("");
    }
}

/* The case x/y described, its folder in the scratch folder's cases/x/y
 * and a document output. */
static void oracle_case(mpc_run_t *run)
{
    mkdir(tu_path("cases"), 0700);
    mkdir(tu_path("cases/x"), 0700);
    mkdir(tu_path("cases/x/y"), 0700);
    run->cases = calloc(1, sizeof *run->cases);
    CU_ASSERT_PTR_NOT_NULL_FATAL(run->cases);
    run->ncases = 1;
    run->cases[0].id = tu_strdup("x/y");
    run->cases[0].dir = tu_strdup(tu_path("cases/x/y"));
    run->cases[0].document = tu_strdup("doc <a>\ndoc b");
}

static void test_link_dir(void)
{
    mkdir(tu_path("rep"), 0700);
    mkdir(tu_path("cases"), 0700);
    mkdir(tu_path("cases/x"), 0700);
    char *dir = tu_strdup(tu_path("cases/x"));
    char *s = rpt_link_dir(tu_path("rep/index.html"), dir);
    CU_ASSERT_STRING_EQUAL(s, "../cases/x");
    free(s);
    s = rpt_link_dir(tu_path("index.html"), dir);
    CU_ASSERT_STRING_EQUAL(s, "cases/x");
    free(s);
    s = rpt_link_dir(tu_path("cases/x/index.html"), dir);
    CU_ASSERT_STRING_EQUAL(s, ".");
    free(s);
    char *up = tu_strdup(tu_path("cases"));
    s = rpt_link_dir(tu_path("cases/x/index.html"), up);
    CU_ASSERT_STRING_EQUAL(s, "..");
    free(s);
    free(up);
    /* a folder that is not there: its path as given */
    s = rpt_link_dir(tu_path("index.html"), "/nonexistent/mpc/case");
    CU_ASSERT_STRING_EQUAL(s, "/nonexistent/mpc/case");
    free(s);
    CU_ASSERT_PTR_NULL(rpt_link_dir(tu_path("index.html"), ""));
    /* only the root in common: absolute (the scratch folder is in /tmp) */
    s = rpt_link_dir(tu_path("index.html"), "/proc/self/..");
    CU_ASSERT_STRING_EQUAL(s, "/proc");
    free(s);
    free(dir);
}

static void test_html_failure_beside_oracle(void)
{
    mpc_run_t run;
    oracle_run(&run);
    oracle_case(&run);
    char *x = write_and_read(mpc_report_html, &run, "index.html");
    const char *fail = strstr(x, "<article class=\"detail\" id=\"r2\"");
    const char *skip = strstr(x, "<article class=\"detail\" id=\"r0\"");
    CU_ASSERT_PTR_NOT_NULL(fail);
    CU_ASSERT_PTR_NOT_NULL(skip);
    CU_ASSERT_TRUE(fail != NULL && skip != NULL && fail < skip);
    /* the mismatching line marked in the implementation's output and in the
     * oracle's, which is shown beside it */
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "a\n<mark>B&lt;2&gt;</mark>\nc\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "a\n<mark>b&lt;1&gt;</mark>\nc\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "a\n<mark>B&lt;3&gt;</mark>\n"));
    CU_ASSERT_EQUAL(tu_count(x, "<mark>b&lt;1&gt;</mark>"), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "oracle cpython / fork"));
    CU_ASSERT_PTR_NOT_NULL(
        strstr(x, "The oracle cpython did not run x/y under forkserver"));
    /* links to the case's files, relative to the report; the document */
    CU_ASSERT_EQUAL(tu_count(x, "<a href=\"cases/x/y/case.py\">case.py</a>"),
                    3);
    CU_ASSERT_EQUAL(tu_count(x, "<a href=\"cases/x/y/case.exp\">case.exp</a>"),
                    3);
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "<pre>doc &lt;a&gt;\ndoc b</pre>"));
    free(x);
    mpc_run_free(&run);
}

static void test_markdown_failure_beside_oracle(void)
{
    mpc_run_t run;
    oracle_run(&run);
    oracle_case(&run);
    char *x = write_and_read(mpc_report_markdown, &run, "summary.md");
    CU_ASSERT_EQUAL(tu_count(x, "  - case files (case.py, case.exp): "
                                "` cases/x/y `\n"),
                    2);
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "  - cpython/fork line 2: ` b<1> `\n"));
    CU_ASSERT_PTR_NOT_NULL(
        strstr(x, "  - cpython did not run x/y under forkserver"));
    free(x);
    mpc_run_free(&run);
}

/* A NUL byte in captured output: kept with its length in results.json
 * (\u0000) and through a load, shown as U+2400 in junit.xml and index.html
 * (XML cannot carry it), never a cut at the first NUL. */
#define NULSYM "\xe2\x90\x80" /* U+2400 */

static void test_nul_bytes_kept(void)
{
    mpc_run_t run, back;
    memset(&run, 0, sizeof run);
    tu_add_result(&run, "x/nul", "ref", "fork", MPC_FAIL);
    mpc_result_t *r = &run.results[0];
    free(r->out);
    free(r->err);
    r->out = malloc(8);
    r->err = malloc(4);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r->out);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r->err);
    memcpy(r->out, "a\0b<\n\0z", 8);
    r->out_len = 7;
    memcpy(r->err, "\0e\0", 4);
    r->err_len = 3;
    char *j = write_and_read(mpc_results_write_json, &run, "results.json");
    CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"stdout\": \"a\\u0000b<\\n\\u0000z\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"stderr\": \"\\u0000e\\u0000\""));
    free(j);
    CU_ASSERT_EQUAL_FATAL(mpc_results_load_json(tu_path("results.json"), &back),
                          0);
    CU_ASSERT_EQUAL_FATAL(back.nresults, 1);
    CU_ASSERT_EQUAL(back.results[0].out_len, 7);
    CU_ASSERT_EQUAL(memcmp(back.results[0].out, "a\0b<\n\0z", 8), 0);
    CU_ASSERT_EQUAL(back.results[0].err_len, 3);
    CU_ASSERT_EQUAL(memcmp(back.results[0].err, "\0e\0", 4), 0);
    CU_ASSERT_TRUE(tu_run_equal(&run, &back));
    /* a copy (merge) keeps the bytes */
    mpc_result_t copy;
    CU_ASSERT_EQUAL_FATAL(mdl_dup_result(&copy, &back.results[0]), 0);
    CU_ASSERT_EQUAL(copy.out_len, 7);
    CU_ASSERT_EQUAL(memcmp(copy.out, "a\0b<\n\0z", 8), 0);
    mdl_free_result(&copy);
    mpc_run_free(&back);
    char *x = write_and_read(mpc_report_junit, &run, "junit.xml");
    CU_ASSERT_PTR_NOT_NULL(
        strstr(x, "<system-out>a" NULSYM "b&lt;\n" NULSYM "z</system-out>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, NULSYM "e" NULSYM "</system-err>"));
    free(x);
    x = write_and_read(mpc_report_html, &run, "index.html");
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "stdout (7 bytes)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "a" NULSYM "b&lt;\n" NULSYM "z</pre>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "stderr (3 bytes)"));
    free(x);
    mpc_run_free(&run);
}

/* Divergences generated from a run: known ones by their known-failures
 * entry, failing cells by what failed, the oracle's own cells left out;
 * "*" when every method the case ran under diverged that way. */
static void divergence_run(mpc_run_t *run)
{
    memset(run, 0, sizeof *run);
    run->oracle_impl = tu_strdup("cpython");
    run->generated = tu_strdup("2026-12-07T20:00:00Z");
    run->nimpls = 2;
    run->impls = calloc(2, sizeof *run->impls);
    CU_ASSERT_PTR_NOT_NULL_FATAL(run->impls);
    run->impls[0].name = tu_strdup("cpython");
    run->impls[1].name = tu_strdup("alt");
    run->impls[0].installed = run->impls[1].installed = 1;
    static const struct {
        const char *id, *impl, *method;
        mpc_status_t st;
    } cells[] = {
        {"x/a", "cpython", "fork", MPC_FAIL},
        {"x/a", "alt", "fork", MPC_FAIL},
        {"x/a", "alt", "spawn", MPC_FAIL},
        {"x/b", "alt", "fork", MPC_XFAIL},
        {"x/b", "alt", "spawn", MPC_XFAIL},
        {"x/c", "alt", "fork", MPC_TIMEOUT},
        {"x/c", "alt", "spawn", MPC_PASS},
        {"x/d", "alt", "fork", MPC_SKIP},
    };
    for (size_t i = 0; i < sizeof cells / sizeof *cells; i++) {
        tu_add_result(run, cells[i].id, cells[i].impl, cells[i].method,
                      cells[i].st);
        mpc_result_t *r = &run->results[i];
        if (cells[i].st == MPC_FAIL) {
            r->mismatch = calloc(1, sizeof *r->mismatch);
            CU_ASSERT_PTR_NOT_NULL_FATAL(r->mismatch);
            r->mismatch->stream = tu_strdup("stdout");
            r->mismatch->line = 2;
            r->mismatch->expected = tu_strdup("= 1");
            r->mismatch->actual = tu_strdup("2");
        } else if (cells[i].st == MPC_XFAIL) {
            r->known = tu_strdup("timeout Event.clear is a no-op");
        } else if (cells[i].st == MPC_TIMEOUT) {
            free(r->detail);
            r->detail = tu_strdup("timeout after 60 s");
        }
    }
}

static void test_divergences_generated(void)
{
    mpc_run_t run;
    divergence_run(&run);
    mpc_divergence_t *v;
    long n = mpc_divergences(&run, &v);
    CU_ASSERT_EQUAL_FATAL(n, 3);
    CU_ASSERT_TRUE(v[0].known);
    CU_ASSERT_STRING_EQUAL(v[0].reason, "Event.clear is a no-op");
    CU_ASSERT_EQUAL(v[1].ncells, 2); /* alt's x/a, not cpython's */
    mpc_divergences_free(v, n);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(mpc_known_failures_write(f, &run, "alt"), 0);
    fclose(f);
    CU_ASSERT_STRING_EQUAL(buf,
                           "x/b * timeout Event.clear is a no-op\n"
                           "x/a * fail stdout line 2: expected '= 1', got '2'\n"
                           "x/c fork timeout timeout after 60 s\n");
    free(buf);
    char *x = write_and_read(mpc_report_markdown, &run, "summary.md");
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "\n## Divergences from cpython\n"));
    CU_ASSERT_PTR_NULL(strstr(x, "\n### cpython\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(
        x, "\n### alt\n\n- known `timeout`: Event.clear is a no-op — x/b (*)\n"
           "- **new** `fail`: stdout line 2: expected '= 1', got '2' — "
           "x/a (*)\n"
           "- **new** `timeout`: timeout after 60 s — x/c (fork)\n"));
    free(x);
    x = write_and_read(mpc_report_html, &run, "index.html");
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "<section id=\"divergences\">"));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "<li class=\"known\"><b>known</b> <code>"
                                     "timeout</code> Event.clear is a no-op "
                                     "&mdash; x/b (*)</li>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "&mdash; x/c (fork)</li>"));
    free(x);
    x = write_and_read(mpc_results_write_json, &run, "results.json");
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "\"divergences\": ["));
    CU_ASSERT_PTR_NOT_NULL(
        strstr(x, "\"cells\": [{\"case\": \"x/c\", \"method\": \"fork\"}]"));
    CU_ASSERT_EQUAL(tu_count(x, "\"known\": true"), 1);
    free(x);
    mpc_run_free(&run);
}

static void test_markdown_matrix_shape(void)
{
    mpc_run_t run;
    char lines[16][512];
    size_t n;
    tu_sample_run(&run);
    char *x = write_and_read(mpc_report_markdown, &run, "summary.md");
    matrix_lines(x, lines, &n);
    CU_ASSERT_EQUAL_FATAL(n, 2 + 4); /* header, separator, 4 cases */
    CU_ASSERT_STRING_EQUAL(lines[0], "| case | cpython fork | cpython spawn "
                                     "| ref fork |");
    for (size_t i = 0; i < n; i++)
        CU_ASSERT_EQUAL(pipes(lines[i]), 5);
    CU_ASSERT_STRING_EQUAL(lines[2], "| ` pool/map-squares ` | pass | "
                                     "ERROR | XPASS |");
    CU_ASSERT_STRING_EQUAL(lines[4], "| ` process/terminate-exitcode ` | "
                                     "TIMEOUT | missing | pass LEAK |");
    CU_ASSERT_STRING_EQUAL(lines[5], "| ` queue/joinable-task-done ` | "
                                     "CRASH | xfail | — |");
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "| cpython | fork | 1 | 1 | 1 | 1 |"));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "  - expected: ` = 4 `\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "  - relation: ` abs(t1 - t2) <= 0.05 `"));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "(passed 3 of 5 runs)"));
    free(x);
    mpc_run_free(&run);
}

/* A supported method the run did not select is no column; a result of an
 * impl missing from run->impls still gets one. */
static void test_columns_follow_results(void)
{
    mpc_run_t run;
    rpt_column_t *cols;
    tu_sample_run(&run);
    mpc_impl_info_t *cp = &run.impls[0];
    cp->methods = realloc(cp->methods, 3 * sizeof *cp->methods);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cp->methods);
    cp->methods[cp->nmethods++] = tu_strdup("forkserver");
    tu_add_result(&run, "pool/map-squares", "pypy", "spawn", MPC_PASS);
    long n = rpt_columns(&run, &cols);
    CU_ASSERT_EQUAL_FATAL(n, 4);
    CU_ASSERT_STRING_EQUAL(cols[1].method, "spawn");
    CU_ASSERT_STRING_EQUAL(cols[2].impl, "ref");
    CU_ASSERT_STRING_EQUAL(cols[3].impl, "pypy");
    free(cols);
    mpc_run_free(&run);
}

static void test_markdown_escapes_table_breakers(void)
{
    mpc_run_t run;
    char lines[16][512];
    size_t n;
    hostile_run(&run);
    char *x = write_and_read(mpc_report_markdown, &run, "evil.md");
    CU_ASSERT_EQUAL(tu_python_check(PY_UTF8, tu_path("evil.md")) != 0, 1);
    CU_ASSERT_TRUE(clean_controls(x));
    matrix_lines(x, lines, &n);
    CU_ASSERT_EQUAL_FATAL(n, 3);
    for (size_t i = 0; i < n; i++)
        CU_ASSERT_EQUAL(pipes(lines[i]), 3);
    /* a backtick in the id makes the code span fence two long */
    CU_ASSERT_PTR_NOT_NULL(strstr(lines[2], "`` evil/<script>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "detail \\<i\\>  second line"));
    free(x);
    mpc_run_free(&run);
}

static void test_xml_escape_text_and_attribute(void)
{
    char *buf;
    size_t len;
    FILE *f = open_memstream(&buf, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    rpt_xml_escape(f, "<&>\"'\t\n\x01\x1f\x7f\xc2\x85\xff\xef\xbf\xbe.", 0);
    fputc('|', f);
    rpt_xml_escape(f, "a\tb\nc\rd", 1);
    fputc('|', f);
    rpt_xml_escape(f, NULL, 0);
    fclose(f);
    CU_ASSERT_STRING_EQUAL(buf, "&lt;&amp;&gt;&quot;&#39;\t\n\xef\xbf\xbd."
                                "|a&#9;b&#10;c&#13;d|");
    free(buf);
}

static void test_write_all_creates_the_folder(void)
{
    static const char *const names[] = {"results.json", "junit.xml",
                                        "summary.md", "index.html"};
    mpc_run_t run;
    char path[512];
    tu_sample_run(&run);
    snprintf(path, sizeof path, "%s", tu_path("a/b/c"));
    CU_ASSERT_EQUAL_FATAL(mpc_report_write_all(&run, path), 0);
    for (size_t i = 0; i < 4; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s/%s", path, names[i]);
        CU_ASSERT_EQUAL(access(p, R_OK), 0);
        snprintf(p, sizeof p, "%s/%s.tmp", path, names[i]);
        CU_ASSERT_NOT_EQUAL(access(p, F_OK), 0);
    }
    /* a regular file in the way */
    tu_write("file", "x", 1);
    snprintf(path, sizeof path, "%s", tu_path("file/sub"));
    tu_stderr_off();
    CU_ASSERT_EQUAL(mpc_report_write_all(&run, path), -1);
    CU_ASSERT_EQUAL(mpc_results_write_json(&run, tu_path("no/such.json")), -1);
    /* the rename over a directory fails: error, and no PATH.tmp left */
    CU_ASSERT_EQUAL_FATAL(mkdir(tu_path("dir.json"), 0700), 0);
    CU_ASSERT_EQUAL(mpc_results_write_json(&run, tu_path("dir.json")), -1);
    CU_ASSERT_NOT_EQUAL(access(tu_path("dir.json.tmp"), F_OK), 0);
    tu_stderr_on();
    mpc_run_free(&run);
}

int tu_add_output_suite(void)
{
    static const struct {
        const char *name;
        CU_TestFunc fn;
    } tests[] = {
        {"junit: a timeout is a <failure>", test_junit_timeout_is_failure},
        {"junit: markup and control bytes escaped",
         test_junit_escapes_markup_and_controls},
        {"html: matrix, links and details", test_html_matrix_and_details},
        {"html: markup and control bytes escaped",
         test_html_escapes_markup_and_controls},
        {"markdown: matrix shape and failures", test_markdown_matrix_shape},
        {"html: failure beside the oracle, marked, first",
         test_html_failure_beside_oracle},
        {"rpt_link_dir: relative to the report", test_link_dir},
        {"NUL bytes in output are kept and shown", test_nul_bytes_kept},
        {"divergences generated, grouped by reason",
         test_divergences_generated},
        {"markdown: failure beside the oracle",
         test_markdown_failure_beside_oracle},
        {"columns: only impl x method pairs with results",
         test_columns_follow_results},
        {"markdown: pipes and backticks cannot break the table",
         test_markdown_escapes_table_breakers},
        {"xml escape: text and attribute", test_xml_escape_text_and_attribute},
        {"write_all: mkdir -p, four files, errors",
         test_write_all_creates_the_folder},
    };
    CU_pSuite s = CU_add_suite("report-output", NULL, NULL);
    if (s == NULL)
        return CU_get_error();
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++)
        if (CU_add_test(s, tests[i].name, tests[i].fn) == NULL)
            return CU_get_error();
    return 0;
}
