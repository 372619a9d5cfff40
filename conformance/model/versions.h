/*
 * versions.h - the cross-version view of a run (model/versions.c): each
 * implementation's Python version and oracle, the `change:` sections of
 * the run's cases by version, and per case and start method the CPythons
 * whose verdicts or output differ.  `mpconform versions` prints it;
 * summary.md and index.html show it when more than one CPython ran
 * (RESULTS.md "Across CPython versions").
 */
#ifndef MPC_VERSIONS_H
#define MPC_VERSIONS_H

#include <stdio.h>

#include "results.h"

/* The CPythons of a run: the implementations that are their own oracle
 * and state their Python version.  Writes their indexes in run->impls to
 * idx (room for run->nimpls), ordered by version; returns their count. */
size_t mpc_run_cpythons(const mpc_run_t *run, size_t *idx);

/* Compare two `X.Y` versions numerically (3.9 < 3.10). */
int mpc_version_cmp(const char *a, const char *b);

/* Do two outputs differ once every number is left aside (pids, addresses,
 * timestamps and times differ from run to run)? */
int mpc_output_differs(const char *a, size_t alen, const char *b, size_t blen);

/* Write the cross-version view, as text (markdown 0) or as a Markdown
 * section (markdown 1).  Returns the number of case x method rows whose
 * CPythons differ, or -1 when out of memory. */
long mpc_versions_write(FILE *f, const mpc_run_t *run, int markdown);

#endif /* MPC_VERSIONS_H */
