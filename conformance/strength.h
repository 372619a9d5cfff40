/*
 * strength.h - output mutation: how many wrong outputs a case rejects,
 * measured on a passing oracle run (strength.c).
 */
#ifndef MPC_STRENGTH_H
#define MPC_STRENGTH_H

#include <stdio.h>

#include "case.h"
#include "results.h"
#include "util.h"

/* The variants of one cell's output, by what became of them. */
typedef struct {
    size_t tried;
    size_t rejected; /* the case fails them: what it is for */
    size_t free_;    /* touched a line the case leaves free */
    size_t allowed;  /* CPython can print them (strength.allow) */
    size_t accepted; /* accepted with no reason: the case is weak there */
} mpc_strength_cell_t;

/* Read conformance/strength.allow (CASE-GLOB KIND REASON lines) into
 * "GLOB", "KIND" pairs.  -1 with a message on stderr. */
int mpc_strength_allow_load(const char *path, mpc_strv_t *allow);

/* Judge the wrong variants of r's output (a passing run of case c under
 * time scale time_scale, unless the case sets its own) into *out; each
 * variant accepted without a reason is named on say (NULL: silent).
 * -1 when r itself no longer passes c (the case changed since). */
int mpc_strength_cell(const mpc_case_t *c, const mpc_result_t *r,
                      double time_scale, const mpc_strv_t *allow, FILE *say,
                      mpc_strength_cell_t *out);

#endif
