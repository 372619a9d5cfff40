/*
 * divergences.h - an implementation's divergences from the oracle,
 * generated from a run (model/divergences.c): its cells that are xfail
 * (grouped by the known-failures entry that applied) and its failing cells
 * (fail, timeout, crash, flaky; grouped by what failed: the mismatch, or
 * the detail), with the cases and methods that show each.  The oracle's
 * own cells, skips, n/a, errors (a malformed case) and xpass are not
 * divergences.  summary.md, index.html and results.json show them;
 * `mpconform divergences` prints them and `mpconform known-failures`
 * writes them as a known-failures file (RESULTS.md).
 */
#ifndef MPC_DIVERGENCES_H
#define MPC_DIVERGENCES_H

#include <stdio.h>

#include "results.h"

typedef struct {
    const char *impl; /* borrowed from the run */
    int known;        /* listed in the known-failures file (xfail) */
    char *status;     /* as a known-failures STATUS: "fail", "timeout?" */
    char *reason;     /* the known-failures reason, or what failed */
    const mpc_result_t **cells; /* borrowed, in run order */
    size_t ncells;
} mpc_divergence_t;

/* The divergences of every implementation but the oracle, in the order of
 * run->impls (then implementations seen only in results), known ones first
 * for each.  Returns the count and a malloc'd array in *out (NULL when
 * zero), or -1 when memory ran out (nothing left allocated). */
long mpc_divergences(const mpc_run_t *run, mpc_divergence_t **out);
void mpc_divergences_free(mpc_divergence_t *v, long n);

/* The cells of d as "CASE (METHOD, METHOD), CASE (*)": every method the
 * implementation ran that case under is "*".  Written to f, each case id
 * and method through put (escaping for a report), or as is when NULL. */
typedef void (*mpc_put_fn)(FILE *f, const char *s);
void mpc_divergence_cells(FILE *f, const mpc_run_t *run,
                          const mpc_divergence_t *d, mpc_put_fn put);

/* Lines of a known-failures file (PROFILES.md) for impl's divergences:
 * "CASE METHOD STATUS REASON", METHOD "*" when the case diverges the same
 * way under every method the run used for it.  Returns 0, -1 when memory
 * ran out. */
int mpc_known_failures_write(FILE *f, const mpc_run_t *run, const char *impl);

#endif /* MPC_DIVERGENCES_H */
