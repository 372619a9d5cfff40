/*
 * test-report.c - CUnit main for the report unit tests.  Runs every suite
 * (verbose, or silent with -s) in a scratch folder that is removed
 * afterwards; exit status 0 only when every assertion held.
 *
 * test-report --sample DIR writes the four reports of the sample run (every
 * status, a leak, a case known only from its result) into DIR instead: the
 * meson test report-html renders that page with scripts/check-html.
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "results.h"
#include "testutil.h"

static int write_sample(const char *dir)
{
    mpc_run_t run;
    tu_sample_run(&run);
    int rc = mpc_report_write_all(&run, dir);
    mpc_run_free(&run);
    return rc < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--sample") == 0)
        return write_sample(argv[2]);
    if (CU_initialize_registry() != CUE_SUCCESS) {
        fprintf(stderr, "test-report: %s\n", CU_get_error_msg());
        return 2;
    }
    if (tu_add_model_suite() != 0 || tu_add_merge_suite() != 0 ||
        tu_add_output_suite() != 0 || tu_add_oom_suite() != 0) {
        fprintf(stderr, "test-report: %s\n", CU_get_error_msg());
        CU_cleanup_registry();
        return 2;
    }
    tu_tmpdir();
    CU_basic_set_mode(argc > 1 && strcmp(argv[1], "-s") == 0 ? CU_BRM_SILENT
                                                             : CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed =
        CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    unsigned run = CU_get_number_of_tests_run();
    tu_rmtree();
    CU_cleanup_registry();
    printf("\ntest-report: %u tests run, %s\n", run,
           failed ? "FAILURES" : "all passed");
    return failed ? 1 : 0;
}
