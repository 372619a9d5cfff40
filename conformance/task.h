/*
 * task.h - the cells of a run (case x implementation x start method) and
 * the pool of worker threads that runs them: applicability, repeated runs,
 * the oracle's values, and the verdict (verdict.h) with its detail line.
 */
#ifndef MPC_TASK_H
#define MPC_TASK_H

#include "match.h"
#include "results.h"
#include "session.h"

typedef struct mpc_console mpc_console_t;

typedef struct {
    size_t ci; /* index in the session's cases */
    mpc_profile_t *p;
    const char *method;
    mpc_result_t res;
    mpc_captures_t caps; /* bless: the captures of the kept run */
} mpc_task_t;

typedef struct oracle_slot oracle_slot_t;

typedef struct {
    mpc_session_t *s;
    mpc_task_t *v; /* case-major: v[(ci * nsel + pi) * nmethods + mi] */
    size_t n;
    size_t next;          /* the next task a worker takes (under s->lock) */
    oracle_slot_t *slots; /* live or recorded oracle values, per case,
                             version (s->vers) and method */
    size_t nvers;
    int bless;          /* keep captures; no oracle comparison */
    mpc_console_t *con; /* told of each finished cell (under s->lock) */
} mpc_taskset_t;

/* The tasks of the session's cases x sel x methods (zeroed results). */
void mpc_tasks_make(mpc_taskset_t *ts, mpc_session_t *s, mpc_profile_t **sel,
                    size_t nsel, const mpc_strv_t *methods);
/* Run every task on s->o.jobs worker threads. */
void mpc_tasks_run(mpc_taskset_t *ts);
void mpc_tasks_free(mpc_taskset_t *ts);

#endif /* MPC_TASK_H */
