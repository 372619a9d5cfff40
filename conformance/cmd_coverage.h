/*
 * cmd_coverage.h - `mpconform coverage`: which of CPython's own test methods
 * (conformance/cpython-suite.txt) the cases' `covers:` fields name.
 */
#ifndef MPC_CMD_COVERAGE_H
#define MPC_CMD_COVERAGE_H

#include <stddef.h>
#include <stdio.h>

#include "util.h"

/* One method of CPython's suite: `NAME GROUP in` or `NAME GROUP out REASON`. */
typedef struct {
    char *name, *group;
    char *reason; /* NULL when in scope */
    int covered;  /* number of cases naming it */
} mpc_suite_method_t;

typedef struct {
    mpc_suite_method_t *v;
    size_t n;
} mpc_suite_t;

/* Read the list; returns 0, or -1 with *err = `FILE:LINE: message`. */
int mpc_suite_load(const char *path, mpc_suite_t *s, char **err);
void mpc_suite_free(mpc_suite_t *s);
/* The method called name, or NULL. */
mpc_suite_method_t *mpc_suite_find(const mpc_suite_t *s, const char *name);

/* The command: reads every case.exp below cases_root, counts their covers:
 * against the list at suite_path and prints, per group, covered and not
 * covered, then each in-scope method no case covers.  Returns 0; 1 when a
 * case cannot be read or names a method the list does not hold (each said on
 * err); 2 when the list cannot be read. */
int mpc_coverage_report(const char *cases_root, const char *suite_path,
                        FILE *out, FILE *err);

#endif /* MPC_CMD_COVERAGE_H */
