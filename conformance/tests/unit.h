/*
 * unit.h - helpers shared by the runner's CUnit suites: build a case from
 * a few lines, run the judge on an output, return the outcome.
 */
#ifndef MPC_TEST_UNIT_H
#define MPC_TEST_UNIT_H

#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "case.h"
#include "match.h"

#define CASE_HEAD "id: t/x\ntitle: t\nsource: spec\nprimitives: P\n"

/* Parse CASE_HEAD + body; NULL and *err on error. */
static inline mpc_case_t *t_parse(const char *body, char **err)
{
    char *text = mpc_xasprintf("%s%s", CASE_HEAD, body);
    mpc_case_t *c = mpc_xcalloc(1, sizeof *c);
    *err = NULL;
    if (mpc_case_parse("t.exp", text, c, err) < 0) {
        free(c);
        c = NULL;
    }
    free(text);
    return c;
}

/* Judge: exit 0, wall 0, scale 1, no oracle.  Returns MPC_M_*, or -2 when the
 * case does not parse.  *detail (optional) gets the detail. */
static inline int t_judge_full(const char *body, const char *out,
                               const char *err_out, int exit_status,
                               double wall, const mpc_oracle_vals_t *oracle,
                               char **detail)
{
    char *perr = NULL;
    mpc_case_t *c = t_parse(body, &perr);
    if (!c) {
        if (detail)
            *detail = perr;
        else
            free(perr);
        return -2;
    }
    mpc_captures_t caps = {0};
    mpc_mismatch_t *mm = NULL;
    char *d = NULL;
    mpc_run_output_t ro = {out,         err_out ? err_out : "",
                           strlen(out), err_out ? strlen(err_out) : 0,
                           exit_status, wall,
                           1.0};
    int r = mpc_judge(c, &ro, oracle, &caps, &mm, &d);
    if (detail)
        *detail = d;
    else
        free(d);
    mpc_mismatch_free(mm);
    mpc_captures_free(&caps);
    mpc_case_free(c);
    free(c);
    return r;
}

static inline int t_judge(const char *body, const char *out)
{
    return t_judge_full(body, out, NULL, 0, 0, NULL, NULL);
}

/* The parse error for body, "" when it parses (caller frees). */
static inline char *t_error(const char *body)
{
    char *err = NULL;
    mpc_case_t *c = t_parse(body, &err);
    if (c) {
        mpc_case_free(c);
        free(c);
        return mpc_xstrdup("");
    }
    return err;
}

typedef struct {
    const char *n;
    CU_TestFunc f;
} t_test_t;

static inline int t_run_suite(const char *name, const t_test_t *tests)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    CU_pSuite s = CU_add_suite(name, NULL, NULL);
    for (size_t i = 0; tests[i].n; i++)
        CU_add_test(s, tests[i].n, tests[i].f);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned fails =
        CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    unsigned run = CU_get_number_of_tests_run();
    CU_cleanup_registry();
    return (fails || run == 0) ? 1 : 0;
}

#endif
