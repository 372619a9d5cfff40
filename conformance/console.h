/*
 * console.h - what `run` prints while and after it runs: a line per cell
 * (or TAP), the progress line on a terminal, the matrix and the totals.
 */
#ifndef MPC_CONSOLE_H
#define MPC_CONSOLE_H

#include "results.h"
#include "task.h"

struct mpc_console {
    int tap, verbose, tty;
    int tapn;
    size_t done, total;
    int counts[MPC_NSTATUS];
};

/* One finished cell (callers serialise). */
void mpc_console_cell(mpc_console_t *c, const mpc_result_t *r);
/* Clear the progress line. */
void mpc_console_end(mpc_console_t *c);
/* The case x impl/method matrix of finished tasks. */
void mpc_console_matrix(const mpc_taskset_t *ts, mpc_profile_t **sel,
                        size_t nsel, const mpc_strv_t *methods);
/* The status counts and "N passed, N failed, N skipped". */
void mpc_console_totals(const mpc_console_t *c);
/* Cells that make the run fail (mpc_status_is_bad). */
int mpc_console_bad(const mpc_console_t *c);

#endif /* MPC_CONSOLE_H */
