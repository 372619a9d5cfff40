/*
 * test-merge.c - mpc_run_merge: shards joined, duplicates refused.
 */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "results.h"
#include "testutil.h"

/* A shard holding impl/methods and one result per case id. */
static void shard(mpc_run_t *run, const char *impl, const char *method,
                  const char *const *cases, size_t ncases)
{
    memset(run, 0, sizeof *run);
    run->generated = tu_strdup("2026-11-23T18:30:00Z");
    run->shard = tu_strdup("1/2");
    run->nimpls = 1;
    run->impls = calloc(1, sizeof *run->impls);
    CU_ASSERT_PTR_NOT_NULL_FATAL(run->impls);
    run->impls[0].name = tu_strdup(impl);
    run->impls[0].methods = tu_strv(1, method);
    run->impls[0].nmethods = 1;
    run->impls[0].installed = 1;
    run->cases = calloc(ncases ? ncases : 1, sizeof *run->cases);
    CU_ASSERT_PTR_NOT_NULL_FATAL(run->cases);
    for (size_t i = 0; i < ncases; i++) {
        run->cases[i].id = tu_strdup(cases[i]);
        run->cases[i].area = tu_strdup("pool");
        run->ncases++;
        tu_add_result(run, cases[i], impl, method, MPC_PASS);
    }
}

static void test_merge_joins_shards(void)
{
    static const char *const c1[] = {"pool/a", "pool/b"};
    static const char *const c2[] = {"pool/b", "pool/c"};
    mpc_run_t a, b, c;
    shard(&a, "cpython", "fork", c1, 2);
    shard(&b, "cpython", "spawn", c2, 2);
    shard(&c, "ref", "fork", c1, 2);
    b.results[1].mismatch = calloc(1, sizeof *b.results[1].mismatch);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b.results[1].mismatch);
    b.results[1].mismatch->expected = tu_strdup("= 1");
    CU_ASSERT_EQUAL_FATAL(mpc_run_merge(&a, &b), 0);
    CU_ASSERT_EQUAL_FATAL(mpc_run_merge(&a, &c), 0);
    CU_ASSERT_EQUAL(a.nresults, 6);
    CU_ASSERT_EQUAL(a.ncases, 3); /* pool/b only once */
    CU_ASSERT_STRING_EQUAL(a.cases[2].id, "pool/c");
    CU_ASSERT_EQUAL_FATAL(a.nimpls, 2);
    CU_ASSERT_EQUAL_FATAL(a.impls[0].nmethods, 2); /* fork + spawn */
    CU_ASSERT_STRING_EQUAL(a.impls[0].methods[1], "spawn");
    CU_ASSERT_STRING_EQUAL(a.impls[1].name, "ref");
    CU_ASSERT_STRING_EQUAL(a.results[3].mismatch->expected, "= 1");
    /* deep copies: src can go away */
    mpc_run_free(&b);
    mpc_run_free(&c);
    CU_ASSERT_STRING_EQUAL(a.results[3].method, "spawn");
    CU_ASSERT_STRING_EQUAL(a.results[3].mismatch->expected, "= 1");
    CU_ASSERT_EQUAL(mpc_report_write_all(&a, tu_path("merged")), 0);
    mpc_run_free(&a);
}

static void test_merge_refuses_duplicate_cells(void)
{
    static const char *const c1[] = {"pool/a", "pool/b"};
    static const char *const c2[] = {"pool/c", "pool/a"};
    mpc_run_t a, b, before;
    shard(&a, "cpython", "fork", c1, 2);
    shard(&b, "cpython", "fork", c2, 2);
    shard(&before, "cpython", "fork", c1, 2);
    tu_stderr_off();
    CU_ASSERT_EQUAL(mpc_run_merge(&a, &b), -1);
    tu_stderr_on();
    CU_ASSERT_TRUE(tu_run_equal(&a, &before)); /* left untouched */
    /* the same shard twice */
    tu_stderr_off();
    CU_ASSERT_EQUAL(mpc_run_merge(&a, &before), -1);
    tu_stderr_on();
    CU_ASSERT_EQUAL(a.nresults, 2);
    mpc_run_free(&a);
    mpc_run_free(&b);
    mpc_run_free(&before);
}

static void test_merge_into_empty_run_copies_all(void)
{
    mpc_run_t sample, dst;
    tu_sample_run(&sample);
    memset(&dst, 0, sizeof dst);
    CU_ASSERT_EQUAL_FATAL(mpc_run_merge(&dst, &sample), 0);
    CU_ASSERT_TRUE(tu_run_equal(&dst, &sample));
    mpc_run_free(&sample);
    mpc_run_free(&dst);
}

static void test_merge_unites_repeated_impls_in_src(void)
{
    static const char *const c1[] = {"pool/a"};
    mpc_run_t a, b;
    shard(&a, "cpython", "fork", c1, 1);
    shard(&b, "cpython", "spawn", NULL, 0);
    /* b lists cpython twice, with spawn and with fork+forkserver */
    b.impls = realloc(b.impls, 2 * sizeof *b.impls);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b.impls);
    b.impls[1] =
        (mpc_impl_info_t){.name = tu_strdup("cpython"),
                          .installed = 1,
                          .methods = tu_strv(3, "fork", "spawn", "forkserver"),
                          .nmethods = 3};
    b.nimpls = 2;
    CU_ASSERT_EQUAL_FATAL(mpc_run_merge(&a, &b), 0);
    CU_ASSERT_EQUAL_FATAL(a.nimpls, 1);
    CU_ASSERT_EQUAL_FATAL(a.impls[0].nmethods, 3);
    CU_ASSERT_STRING_EQUAL(a.impls[0].methods[0], "fork");
    CU_ASSERT_STRING_EQUAL(a.impls[0].methods[1], "spawn");
    CU_ASSERT_STRING_EQUAL(a.impls[0].methods[2], "forkserver");
    mpc_run_free(&a);
    mpc_run_free(&b);
}

int tu_add_merge_suite(void)
{
    CU_pSuite s = CU_add_suite("report-merge", NULL, NULL);
    if (s == NULL ||
        !CU_add_test(s, "shards are joined with deep copies",
                     test_merge_joins_shards) ||
        !CU_add_test(s, "a cell in two shards is refused, dst untouched",
                     test_merge_refuses_duplicate_cells) ||
        !CU_add_test(s, "merging into a zeroed run copies everything",
                     test_merge_into_empty_run_copies_all) ||
        !CU_add_test(s, "an impl repeated in src gets the union of methods",
                     test_merge_unites_repeated_impls_in_src))
        return CU_get_error();
    return 0;
}
