/*
 * test-model.c - the results model: status names, results.json round
 * trip, the loader against hostile input, and merging shards.
 */
#define _POSIX_C_SOURCE 200809L

#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "model.h"
#include "results.h"
#include "rpt.h"
#include "testutil.h"
#include "versions.h"

#define PY_JSON                                                                \
    "import json,sys; json.load(open(sys.argv[1], encoding='utf-8'))"

static void test_status_names_round_trip(void)
{
    for (int s = 0; s < MPC_NSTATUS; s++) {
        const char *n = mpc_status_name((mpc_status_t)s);
        CU_ASSERT_PTR_NOT_NULL_FATAL(n);
        CU_ASSERT_EQUAL(mpc_status_parse(n), s);
    }
    CU_ASSERT_STRING_EQUAL(mpc_status_name(MPC_XPASS), "xpass");
    CU_ASSERT_PTR_NULL(mpc_status_name(MPC_NSTATUS));
    CU_ASSERT_PTR_NULL(mpc_status_name((mpc_status_t)-1));
    CU_ASSERT_EQUAL(mpc_status_parse("PASS"), -1);
    CU_ASSERT_EQUAL(mpc_status_parse(""), -1);
    CU_ASSERT_EQUAL(mpc_status_parse(NULL), -1);
}

static void test_json_round_trip_is_deep_equal(void)
{
    mpc_run_t run, back;
    tu_sample_run(&run);
    const char *p = tu_path("rt.json");
    CU_ASSERT_EQUAL_FATAL(mpc_results_write_json(&run, p), 0);
    CU_ASSERT_EQUAL(tu_python_check(PY_JSON, p) != 0, 1);
    CU_ASSERT_EQUAL_FATAL(mpc_results_load_json(p, &back), 0);
    CU_ASSERT_TRUE(tu_run_equal(&run, &back));
    /* and writing what was loaded gives the same bytes */
    char *a = tu_read(p, NULL);
    CU_ASSERT_EQUAL(mpc_results_write_json(&back, tu_path("rt2.json")), 0);
    char *b = tu_read(tu_path("rt2.json"), NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_STRING_EQUAL(a, b);
    free(a);
    free(b);
    mpc_run_free(&run);
    mpc_run_free(&back);
}

static void test_json_empty_run_round_trip(void)
{
    mpc_run_t run, back;
    memset(&run, 0, sizeof run);
    const char *p = tu_path("empty.json");
    CU_ASSERT_EQUAL_FATAL(mpc_results_write_json(&run, p), 0);
    CU_ASSERT_EQUAL_FATAL(mpc_results_load_json(p, &back), 0);
    CU_ASSERT_TRUE(tu_run_equal(&run, &back));
    CU_ASSERT_EQUAL(back.nresults, 0);
    mpc_run_free(&back);
    mpc_run_free(&back); /* freeing twice is harmless: it zeroes */
}

static void test_json_invalid_utf8_becomes_fffd(void)
{
    mpc_run_t run, back;
    memset(&run, 0, sizeof run);
    tu_add_result(&run, "a/b", "x", "fork", MPC_FAIL);
    free(run.results[0].out);
    /* stray continuation, invalid lead, overlong '/', surrogate, cut seq */
    run.results[0].out = tu_strdup("a\x80"
                                   "b\xff"
                                   "c\xc0\xaf"
                                   "d\xed\xa0\x80"
                                   "e\xe2\x82");
    const char *p = tu_path("bad-utf8.json");
    CU_ASSERT_EQUAL_FATAL(mpc_results_write_json(&run, p), 0);
    CU_ASSERT_EQUAL(tu_python_check(PY_JSON, p) != 0, 1);
    CU_ASSERT_EQUAL_FATAL(mpc_results_load_json(p, &back), 0);
    const char *r = "\xef\xbf\xbd";
    char want[64];
    snprintf(want, sizeof want, "a%sb%sc%s%sd%s%s%se%s%s", r, r, r, r, r, r, r,
             r, r);
    CU_ASSERT_STRING_EQUAL(back.results[0].out, want);
    mpc_run_free(&run);
    mpc_run_free(&back);
}

static void test_json_doubles_are_exact(void)
{
    static const double v[] = {0.1, 1e-300, 2.5e17, 123.456, 1.0 / 3, 0};
    mpc_run_t run, back;
    memset(&run, 0, sizeof run);
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        tu_add_result(&run, "a/b", "x", "fork", MPC_PASS);
        run.results[i].duration_s = v[i];
    }
    tu_add_result(&run, "a/b", "x", "spawn", MPC_PASS);
    run.results[run.nresults - 1].duration_s = NAN; /* written as null */
    const char *p = tu_path("doubles.json");
    CU_ASSERT_EQUAL_FATAL(mpc_results_write_json(&run, p), 0);
    CU_ASSERT_EQUAL_FATAL(mpc_results_load_json(p, &back), 0);
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        CU_ASSERT_EQUAL(back.results[i].duration_s, v[i]);
    CU_ASSERT_EQUAL(back.results[run.nresults - 1].duration_s, 0);
    char *text = tu_read(p, NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"duration_s\": 0.1,"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"duration_s\": null,"));
    free(text);
    mpc_run_free(&run);
    mpc_run_free(&back);
}

/* Each input must be refused with a message, never crash or load. */
static void test_load_rejects_hostile_json(void)
{
    static const char *const bad[] = {
        "",
        "   ",
        "{",
        "[]",
        "null",
        "{\"schema\": \"mpconform-results/1\"",
        "{\"schema\": \"mpconform-results/2\", \"impls\": [], \"cases\": [],"
        " \"results\": []}",
        "{\"impls\": [], \"cases\": [], \"results\": []}",
        "{\"schema\": \"mpconform-results/1\", \"impls\": [], \"cases\": []}",
        "{\"schema\": \"mpconform-results/1\", \"impls\": {}, \"cases\": [],"
        " \"results\": []}",
        "{\"schema\": 1}",
        "{\"schema\": \"mpconform-results/1\\x\"}",
        "{\"schema\": \"\\u12G4\"}",
        "{\"schema\": \"\\u0000\"}",
        "{\"schema\": \"a\x01\"}",
        "{\"schema\": \"a\xff\"}",
        "{\"schema\": \"abc}",
        "{\"a\" 1}",
        "{\"a\": 01}",
        "{\"a\": 1.}",
        "{\"a\": .5}",
        "{\"a\": -}",
        "{\"a\": NaN}",
        "{\"a\": tru}",
        "{\"a\": [1, 2,]}",
        "{\"a\": 1,}",
        "{} {}",
        "{\"a\": \"\\",
        "{'a': 1}",
        "\xef\xbb\xbf{}",
    };
    tu_stderr_off();
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mpc_run_t run;
        const char *p = tu_write("bad.json", bad[i], strlen(bad[i]));
        int rc = mpc_results_load_json(p, &run);
        if (rc != -1)
            fprintf(stdout, "\naccepted: %s\n", bad[i]);
        CU_ASSERT_EQUAL(rc, -1);
        CU_ASSERT_EQUAL(run.nresults, 0);
        CU_ASSERT_PTR_NULL(run.results);
    }
    tu_stderr_on();
}

static const char *const minimal_head =
    "{\"schema\": \"mpconform-results/1\", \"impls\": [], \"cases\": [],"
    " \"results\": [{\"case\": \"a/b\", \"impl\": \"x\", \"method\": \"fork\","
    " \"status\": ";

/* A valid document except for one field of one result. */
static int load_with_result_tail(const char *tail)
{
    char text[512];
    mpc_run_t run;
    snprintf(text, sizeof text, "%s%s}]}", minimal_head, tail);
    const char *p = tu_write("schema.json", text, strlen(text));
    int rc = mpc_results_load_json(p, &run);
    mpc_run_free(&run);
    return rc;
}

static void test_load_checks_field_types(void)
{
    CU_ASSERT_EQUAL(load_with_result_tail("\"pass\""), 0);
    CU_ASSERT_EQUAL(load_with_result_tail("\"pass\", \"leaks\": [], "
                                          "\"mismatch\": null, \"x\": {}"),
                    0);
    tu_stderr_off();
    CU_ASSERT_EQUAL(load_with_result_tail("\"passed\""), -1);
    CU_ASSERT_EQUAL(load_with_result_tail("0"), -1);
    CU_ASSERT_EQUAL(load_with_result_tail("\"pass\", \"exit\": 1.5"), -1);
    CU_ASSERT_EQUAL(load_with_result_tail("\"pass\", \"exit\": 1e20"), -1);
    CU_ASSERT_EQUAL(load_with_result_tail("\"pass\", \"exit\": \"0\""), -1);
    CU_ASSERT_EQUAL(load_with_result_tail("\"pass\", \"leaks\": [1]"), -1);
    CU_ASSERT_EQUAL(load_with_result_tail("\"pass\", \"leaks\": \"x\""), -1);
    CU_ASSERT_EQUAL(load_with_result_tail("\"pass\", \"mismatch\": []"), -1);
    CU_ASSERT_EQUAL(load_with_result_tail("\"pass\", \"mismatch\": "
                                          "{\"line\": \"3\"}"),
                    -1);
    CU_ASSERT_EQUAL(load_with_result_tail("\"pass\", \"truncated\": 0"), -1);
    CU_ASSERT_EQUAL(load_with_result_tail("\"pass\", \"case\": null"), -1);
    tu_stderr_on();
}

static void test_json_depth_is_bounded(void)
{
    char buf[512], err[128];
    jv_t v;
    for (int depth = 60; depth <= 200; depth += 140) {
        size_t n = 0;
        for (int i = 0; i < depth; i++)
            buf[n++] = '[';
        for (int i = 0; i < depth; i++)
            buf[n++] = ']';
        int rc = json_parse(buf, n, &v, err, sizeof err);
        CU_ASSERT_EQUAL(rc, depth <= JSON_MAX_DEPTH ? 0 : -1);
        if (rc < 0)
            CU_ASSERT_PTR_NOT_NULL(strstr(err, "nesting deeper"));
        json_free(&v);
    }
}

static void test_json_parser_decodes_escapes(void)
{
    static const char text[] =
        "{\"s\": \"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9 \\ud83d\\ude00 "
        "\\ud800x \\udc00\", \"n\": -12.5e1, \"t\": true, \"z\": null}";
    char err[128];
    jv_t v;
    CU_ASSERT_EQUAL_FATAL(
        json_parse(text, sizeof text - 1, &v, err, sizeof err), 0);
    const jv_t *s = json_get(&v, "s");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_STRING_EQUAL(s->str, "q\" b\\ s/ \b\f\n\r\t \xc3\xa9 "
                                   "\xf0\x9f\x98\x80 \xef\xbf\xbdx "
                                   "\xef\xbf\xbd");
    CU_ASSERT_EQUAL(json_get(&v, "n")->num, -125);
    CU_ASSERT_EQUAL(json_get(&v, "t")->b, 1);
    CU_ASSERT_EQUAL(json_get(&v, "z")->type, J_NULL);
    CU_ASSERT_PTR_NULL(json_get(&v, "missing"));
    json_free(&v);
    CU_ASSERT_EQUAL(json_parse("[1", 2, &v, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "line 1, column 3"));
}

/* Every proper prefix of a valid file is refused (the writer ends with
 * "}\n", so only the full text and the text without its "\n" load), and
 * random byte flips never crash the loader (ASan/UBSan builds check). */
static void test_load_survives_truncation_and_flips(void)
{
    mpc_run_t run, back;
    size_t len;
    tu_sample_run(&run);
    CU_ASSERT_EQUAL_FATAL(mpc_results_write_json(&run, tu_path("s.json")), 0);
    mpc_run_free(&run);
    char *text = tu_read(tu_path("s.json"), &len);
    size_t loaded = 0;
    tu_stderr_off();
    for (size_t n = 0; n + 1 < len; n += 1 + n / 400) {
        const char *p = tu_write("cut.json", text, n);
        if (mpc_results_load_json(p, &back) == 0)
            loaded++, mpc_run_free(&back);
    }
    unsigned seed = 12345;
    for (int i = 0; i < 400; i++) {
        char *copy = tu_strdup(text);
        for (int k = 0; k < 3; k++) {
            seed = seed * 1103515245u + 12345u;
            copy[(seed >> 8) % len] = (char)(seed >> 20);
        }
        const char *p = tu_write("flip.json", copy, len);
        if (mpc_results_load_json(p, &back) == 0)
            mpc_run_free(&back);
        free(copy);
    }
    tu_stderr_on();
    CU_ASSERT_EQUAL(loaded, 0);
    free(text);
}

static void test_load_missing_file_fails(void)
{
    mpc_run_t run;
    tu_stderr_off();
    CU_ASSERT_EQUAL(mpc_results_load_json(tu_path("nope.json"), &run), -1);
    tu_stderr_on();
}

/* The suite's power: scripts/mutation's file read (survivors named,
 * counts checked), written into results.json and read back exactly,
 * summed over shards by merge; a file whose counts disagree refused. */
static void test_power_round_trip_and_merge(void)
{
    static const char mut[] =
        "{\"methods\": [\"fork\", \"spawn\"], \"mutants\": ["
        "{\"name\": \"a\", \"bug\": \"x\", \"fork\": {\"killed\": true},"
        " \"spawn\": {\"killed\": true}},"
        "{\"name\": \"b\", \"bug\": \"y\", \"fork\": {\"killed\": true},"
        " \"spawn\": {\"killed\": false}}],"
        " \"killed\": 3, \"total\": 4, \"score\": 0.75, \"elapsed_s\": 120,"
        " \"commit\": \"abc1234\", \"generated\": \"2026-12-07T22:00:00Z\"}";
    mpc_mutation_info_t m;
    CU_ASSERT_EQUAL_FATAL(
        mpc_mutation_read(tu_write("mut.json", mut, sizeof mut - 1), &m), 0);
    CU_ASSERT_EQUAL(m.mutants, 2);
    CU_ASSERT_EQUAL(m.killed, 3);
    CU_ASSERT_EQUAL(m.total, 4);
    CU_ASSERT_EQUAL_FATAL(m.nsurvivors, 1);
    CU_ASSERT_STRING_EQUAL(m.survivors[0], "b (spawn)");
    CU_ASSERT_STRING_EQUAL(m.commit, "abc1234");

    mpc_run_t run, back, merged;
    tu_sample_run(&run);
    run.mutation = m;
    const mpc_strength_cell_info_t cx = {"a/x", "fork", 60, 55, 3, 2, 0};
    const mpc_strength_cell_info_t cy = {"a/y", "fork", 40, 35, 3, 1, 1};
    CU_ASSERT_EQUAL_FATAL(mpc_strength_add(&run.strength, &cx), 0);
    CU_ASSERT_EQUAL_FATAL(mpc_strength_add(&run.strength, &cy), 0);
    CU_ASSERT_EQUAL(run.strength.cells, 2);
    CU_ASSERT_EQUAL(run.strength.rejected, 90);
    const char *p = tu_path("power.json");
    CU_ASSERT_EQUAL_FATAL(mpc_results_write_json(&run, p), 0);
    CU_ASSERT_EQUAL_FATAL(mpc_results_load_json(p, &back), 0);
    CU_ASSERT_EQUAL(back.strength.measured, 1);
    CU_ASSERT_EQUAL(back.strength.variants, 100);
    CU_ASSERT_EQUAL(back.strength.accepted, 1);
    CU_ASSERT_EQUAL(back.strength.cells, 2);
    CU_ASSERT_EQUAL_FATAL(back.strength.ncells_info, 2);
    CU_ASSERT_STRING_EQUAL(back.strength.per_cell[1].case_id, "a/y");
    CU_ASSERT_EQUAL(back.strength.per_cell[1].accepted, 1);
    CU_ASSERT_EQUAL(back.strength.per_cell[0].tried, 60);
    CU_ASSERT_EQUAL(back.mutation.killed, 3);
    CU_ASSERT_EQUAL_FATAL(back.mutation.nsurvivors, 1);
    CU_ASSERT_STRING_EQUAL(back.mutation.survivors[0], "b (spawn)");
    CU_ASSERT_EQUAL(mpc_results_write_json(&back, tu_path("power2.json")), 0);
    char *a = tu_read(p, NULL), *b = tu_read(tu_path("power2.json"), NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_STRING_EQUAL(a, b);
    free(a);
    free(b);

    /* a shard with other cells: the strength counts add up, the first
     * mutation run stays */
    memset(&merged, 0, sizeof merged);
    CU_ASSERT_EQUAL_FATAL(mpc_run_merge(&merged, &run), 0);
    mpc_run_free(&back);
    memset(&back, 0, sizeof back);
    tu_add_result(&back, "other/case", "cpython", "fork", MPC_PASS);
    const mpc_strength_cell_info_t co = {"other/case", "fork", 50, 50, 0, 0, 0};
    CU_ASSERT_EQUAL_FATAL(mpc_strength_add(&back.strength, &co), 0);
    back.strength.stale = 1;
    CU_ASSERT_EQUAL_FATAL(mpc_run_merge(&merged, &back), 0);
    CU_ASSERT_EQUAL(merged.strength.cells, 3);
    CU_ASSERT_EQUAL(merged.strength.variants, 150);
    CU_ASSERT_EQUAL_FATAL(merged.strength.ncells_info, 3);
    CU_ASSERT_STRING_EQUAL(merged.strength.per_cell[2].case_id, "other/case");
    CU_ASSERT_EQUAL(merged.strength.stale, 1);
    CU_ASSERT_STRING_EQUAL(merged.mutation.commit, "abc1234");
    mpc_run_free(&merged);
    mpc_run_free(&back);
    mpc_run_free(&run);

    /* counts that disagree with the mutants listed */
    static const char lie[] =
        "{\"methods\": [\"fork\"], \"mutants\": [{\"name\": \"a\","
        " \"fork\": {\"killed\": false}}], \"killed\": 1, \"total\": 1}";
    tu_stderr_off();
    CU_ASSERT_EQUAL(
        mpc_mutation_read(tu_write("lie.json", lie, sizeof lie - 1), &m), -1);
    tu_stderr_on();
}

/* ------------------------------------------------------------- versions */

static void impl_v(mpc_run_t *run, const char *name, const char *pv,
                   const char *oracle)
{
    run->impls = realloc(run->impls, (run->nimpls + 1) * sizeof *run->impls);
    CU_ASSERT_PTR_NOT_NULL_FATAL(run->impls);
    mpc_impl_info_t *im = &run->impls[run->nimpls++];
    memset(im, 0, sizeof *im);
    im->name = tu_strdup(name);
    im->description = tu_strdup(name);
    im->reason = tu_strdup("");
    im->python_version = tu_strdup(pv);
    im->oracle = tu_strdup(oracle);
    im->oracle_note = tu_strdup("");
    im->judged_at = tu_strdup(pv);
}

static void set_out(mpc_run_t *run, const char *out)
{
    mpc_result_t *r = &run->results[run->nresults - 1];
    free(r->out);
    r->out = tu_strdup(out);
}

/* The CPythons by version, the rows whose CPythons differ, numbers aside,
 * and the new fields through results.json. */
static void test_versions_view(void)
{
    mpc_run_t run;
    memset(&run, 0, sizeof run);
    tu_sample_run(&run); /* its header and cases; impls and results anew */
    for (size_t i = 0; i < run.nimpls; i++)
        mdl_free_impl(&run.impls[i]);
    free(run.impls);
    run.impls = NULL;
    run.nimpls = 0;
    for (size_t i = 0; i < run.nresults; i++)
        mdl_free_result(&run.results[i]);
    free(run.results);
    run.results = NULL;
    run.nresults = 0;
    impl_v(&run, "cpython-3.13", "3.13", "cpython-3.13");
    impl_v(&run, "cpython", "3.11", "cpython");
    impl_v(&run, "cpython-3.9", "3.9", "cpython-3.9");
    impl_v(&run, "pypy", "3.9", "cpython-3.9");
    impl_v(&run, "cpython-3.10", "3.10", "cpython-3.10");
    size_t idx[8];
    CU_ASSERT_EQUAL_FATAL(mpc_run_cpythons(&run, idx), 4);
    CU_ASSERT_STRING_EQUAL(run.impls[idx[0]].name, "cpython-3.9");
    CU_ASSERT_STRING_EQUAL(run.impls[idx[1]].name, "cpython-3.10");
    CU_ASSERT_STRING_EQUAL(run.impls[idx[2]].name, "cpython");
    CU_ASSERT_STRING_EQUAL(run.impls[idx[3]].name, "cpython-3.13");
    CU_ASSERT(mpc_version_cmp("3.9", "3.10") < 0);
    CU_ASSERT(mpc_version_cmp("3.14", "3.14") == 0);
    CU_ASSERT(!mpc_output_differs("pid 123 at 0x7f00ab\n", 20,
                                  "pid 98 at 0x10\n", 15));
    CU_ASSERT(mpc_output_differs("a 1\n", 4, "b 1\n", 4));
    CU_ASSERT(mpc_output_differs("a 1\n", 4, "a 1\nb\n", 6));

    /* pool/map-squares: alike but for a pid; sync/barrier-timestamps:
     * 3.9 fails; process/terminate-exitcode: 3.13 prints another word */
    const char *cp[] = {"cpython-3.9", "cpython-3.10", "cpython",
                        "cpython-3.13"};
    for (size_t k = 0; k < 4; k++) {
        char pid[32];
        snprintf(pid, sizeof pid, "pid %zu\n", 100 + k);
        tu_add_result(&run, "pool/map-squares", cp[k], "fork", MPC_PASS);
        set_out(&run, pid);
        tu_add_result(&run, "sync/barrier-timestamps", cp[k], "fork",
                      k == 0 ? MPC_FAIL : MPC_PASS);
        tu_add_result(&run, "process/terminate-exitcode", cp[k], "spawn",
                      MPC_PASS);
        set_out(&run, k == 3 ? "forkserver\n" : "fork\n");
    }
    /* pypy is no CPython: its failure is no row */
    tu_add_result(&run, "pool/map-squares", "pypy", "fork", MPC_FAIL);
    mpc_case_info_t *c = &run.cases[2];
    c->changes = calloc(1, sizeof *c->changes);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c->changes);
    c->nchanges = 1;
    c->changes[0] = (mpc_change_info_t){
        tu_strdup("default start method"), tu_strdup("3.14"), tu_strdup("fork"),
        tu_strdup("forkserver"), tu_strdup("threads")};

    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    CU_ASSERT_EQUAL(mpc_versions_write(m, &run, 1), 2);
    fclose(m);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "## Across CPython versions"));
    CU_ASSERT_PTR_NOT_NULL(
        strstr(text, "| sync/barrier-timestamps | fork | fail (A) | pass (B) | "
                     "pass (B) | pass (B) | no `change:` section |"));
    CU_ASSERT_PTR_NOT_NULL(strstr(
        text, "| process/terminate-exitcode | spawn | pass (A) | pass (A) | "
              "pass (A) | pass (B) | 3.14: default start method |"));
    CU_ASSERT_PTR_NULL(strstr(text, "| pool/map-squares |"));
    CU_ASSERT_PTR_NOT_NULL(strstr(
        text, "| 3.14 | process/terminate-exitcode | default start method | "
              "fork | forkserver | threads |"));
    free(text);

    /* the new fields survive results.json */
    const char *path = tu_path("versions.json");
    CU_ASSERT_EQUAL_FATAL(mpc_results_write_json(&run, path), 0);
    mpc_run_t back;
    CU_ASSERT_EQUAL_FATAL(mpc_results_load_json(path, &back), 0);
    CU_ASSERT_STRING_EQUAL(back.impls[3].python_version, "3.9");
    CU_ASSERT_STRING_EQUAL(back.impls[3].oracle, "cpython-3.9");
    CU_ASSERT_STRING_EQUAL(back.impls[3].judged_at, "3.9");
    CU_ASSERT_EQUAL_FATAL(back.cases[2].nchanges, 1);
    CU_ASSERT_STRING_EQUAL(back.cases[2].changes[0].after, "forkserver");
    CU_ASSERT_STRING_EQUAL(back.cases[2].changes[0].version, "3.14");
    CU_ASSERT_EQUAL(back.cases[0].nchanges, 0);
    mpc_run_free(&back);
    mpc_run_free(&run);
}

int tu_add_model_suite(void)
{
    static const struct {
        const char *name;
        CU_TestFunc fn;
    } tests[] = {
        {"status names round trip", test_status_names_round_trip},
        {"results.json round trip is deep-equal",
         test_json_round_trip_is_deep_equal},
        {"an empty run round-trips", test_json_empty_run_round_trip},
        {"invalid UTF-8 is written as U+FFFD",
         test_json_invalid_utf8_becomes_fffd},
        {"doubles are exact, NaN is null", test_json_doubles_are_exact},
        {"hostile JSON is rejected", test_load_rejects_hostile_json},
        {"field types are checked", test_load_checks_field_types},
        {"nesting depth is bounded", test_json_depth_is_bounded},
        {"escapes and surrogates decode", test_json_parser_decodes_escapes},
        {"truncated and corrupted files never crash",
         test_load_survives_truncation_and_flips},
        {"a missing file is an error", test_load_missing_file_fails},
        {"the suite's power round-trips and merges",
         test_power_round_trip_and_merge},
        {"the cross-version view", test_versions_view},
    };
    CU_pSuite s = CU_add_suite("report-model", NULL, NULL);
    if (s == NULL)
        return CU_get_error();
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++)
        if (CU_add_test(s, tests[i].name, tests[i].fn) == NULL)
            return CU_get_error();
    return 0;
}
