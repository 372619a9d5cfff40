/*
 * test-oom.c - every allocation of the report code is checked: the test
 * executable is linked with -Wl,--wrap=malloc,calloc,realloc, so the Nth
 * allocation can be made to fail.  For N = 0, 1, 2, ... each operation
 * must either fail cleanly (-1, nothing leaked: ASan/valgrind check) or,
 * once N is past its last allocation, succeed.  A failed merge must leave
 * dst exactly as it was.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "results.h"
#include "testutil.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);

static long fail_at = -1; /* index of the allocation to fail; -1 never */
static long count;        /* allocations seen since arm() */

void *__wrap_malloc(size_t n)
{
    if (fail_at >= 0 && count++ == fail_at)
        return NULL;
    return __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
    if (fail_at >= 0 && count++ == fail_at)
        return NULL;
    return __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    if (fail_at >= 0 && count++ == fail_at)
        return NULL;
    return __real_realloc(p, n);
}

static void arm(long n)
{
    count = 0;
    fail_at = n;
}

/* Returns 1 when allocation n was reached (so the operation had to fail). */
static int disarm(long n)
{
    fail_at = -1;
    return count > n;
}

static void test_oom_write_all(void)
{
    mpc_run_t run;
    tu_sample_run(&run);
    long n;
    tu_stderr_off();
    for (n = 0; n < 100000; n++) {
        arm(n);
        int rc = mpc_report_write_all(&run, tu_path("oom"));
        if (!disarm(n)) {
            CU_ASSERT_EQUAL(rc, 0);
            break;
        }
        CU_ASSERT_EQUAL(rc, -1);
    }
    tu_stderr_on();
    CU_ASSERT_TRUE(n > 3); /* it did allocate, and every failure was seen */
    mpc_run_free(&run);
}

static void test_oom_load(void)
{
    mpc_run_t run, back;
    tu_sample_run(&run);
    const char *p = tu_path("oom.json");
    CU_ASSERT_EQUAL_FATAL(mpc_results_write_json(&run, p), 0);
    long n;
    tu_stderr_off();
    for (n = 0; n < 100000; n++) {
        arm(n);
        int rc = mpc_results_load_json(p, &back);
        if (!disarm(n)) {
            CU_ASSERT_EQUAL(rc, 0);
            CU_ASSERT_TRUE(tu_run_equal(&run, &back));
            mpc_run_free(&back);
            break;
        }
        CU_ASSERT_EQUAL(rc, -1);
        CU_ASSERT_EQUAL(back.nresults, 0);
    }
    tu_stderr_on();
    CU_ASSERT_TRUE(n > 100);
    mpc_run_free(&run);
}

/* Merging into the sample a copy of itself whose methods are renamed (so
 * no cell repeats): new results, and new methods for existing impls. */
static void test_oom_merge_leaves_dst_intact(void)
{
    mpc_run_t src, dst, before;
    tu_sample_run(&src);
    for (size_t i = 0; i < src.nresults; i++) {
        char m[32];
        snprintf(m, sizeof m, "%s-2", src.results[i].method);
        free(src.results[i].method);
        src.results[i].method = tu_strdup(m);
    }
    for (size_t i = 0; i < src.nimpls; i++) {
        for (size_t k = 0; k < src.impls[i].nmethods; k++) {
            char m[32];
            snprintf(m, sizeof m, "%s-2", src.impls[i].methods[k]);
            free(src.impls[i].methods[k]);
            src.impls[i].methods[k] = tu_strdup(m);
        }
    }
    long n;
    tu_stderr_off();
    for (n = 0; n < 100000; n++) {
        tu_sample_run(&dst);
        tu_sample_run(&before);
        arm(n);
        int rc = mpc_run_merge(&dst, &src);
        int reached = disarm(n);
        if (reached) {
            CU_ASSERT_EQUAL(rc, -1);
            CU_ASSERT_TRUE(tu_run_equal(&dst, &before));
        } else {
            CU_ASSERT_EQUAL(rc, 0);
            CU_ASSERT_EQUAL(dst.nresults, 2 * src.nresults);
            CU_ASSERT_EQUAL(dst.impls[0].nmethods, 4); /* + fork-2 spawn-2 */
            CU_ASSERT_EQUAL(dst.impls[1].nmethods, 2); /* + fork-2 */
        }
        mpc_run_free(&dst);
        mpc_run_free(&before);
        if (!reached)
            break;
    }
    tu_stderr_on();
    CU_ASSERT_TRUE(n > 50);
    mpc_run_free(&src);
}

int tu_add_oom_suite(void)
{
    CU_pSuite s = CU_add_suite("report-oom", NULL, NULL);
    if (s == NULL ||
        !CU_add_test(s, "write_all fails cleanly at every allocation",
                     test_oom_write_all) ||
        !CU_add_test(s, "load fails cleanly at every allocation",
                     test_oom_load) ||
        !CU_add_test(s, "a merge that runs out of memory leaves dst intact",
                     test_oom_merge_leaves_dst_intact))
        return CU_get_error();
    return 0;
}
