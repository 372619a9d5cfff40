/*
 * test-report.c - CUnit main for the report unit tests.  Runs every suite
 * (verbose, or silent with -s) in a scratch folder that is
 * removed afterwards; exit status 0 only when every assertion held.
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"

int main(int argc, char **argv)
{
    if (CU_initialize_registry() != CUE_SUCCESS) {
        fprintf(stderr, "test-report: %s\n", CU_get_error_msg());
        return 2;
    }
    if (tu_add_model_suite() != 0 || tu_add_merge_suite() != 0 ||
        tu_add_output_suite() != 0) {
        fprintf(stderr, "test-report: %s\n", CU_get_error_msg());
        CU_cleanup_registry();
        return 2;
    }
    tu_tmpdir();
    CU_basic_set_mode(argc > 1 && strcmp(argv[1], "-s") == 0
                          ? CU_BRM_SILENT
                          : CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() +
                      CU_get_number_of_tests_failed();
    unsigned run = CU_get_number_of_tests_run();
    tu_rmtree();
    CU_cleanup_registry();
    printf("\ntest-report: %u tests run, %s\n", run,
           failed ? "FAILURES" : "all passed");
    return failed ? 1 : 0;
}
