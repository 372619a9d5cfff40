/*
 * match.h - the output matcher and the judge of one run (CASE-FORMAT.md).
 *
 * mpc_match_stream() matches the lines of one output stream against the
 * items of a section, backtracking over the items within a bound
 * (MPC_MATCH_STEPS), each line against a pattern in one pass (the work of
 * all of them bounded by MPC_MATCH_WORK), and appends the captures of the
 * successful match.  mpc_judge() decides a
 * whole run: exit status, stdout, stderr, relations, wall bound, oracle.
 */
#ifndef MPC_MATCH_H
#define MPC_MATCH_H

#include <stddef.h>

#include "case.h"
#include "results.h"

#define MPC_MATCH_STEPS 1000000L

/* The bound of the line matcher's work over one stream: bytes read times
 * the patterns' threads (a line is matched in one pass, so a pattern costs
 * about its line's length each time it is tried: 10^8 is a 1 MiB stream
 * tried against some 50 patterns, about a second). */
#define MPC_MATCH_WORK 100000000L

typedef struct {
    const char *name; /* points into the case */
    mpc_captype_t type;
    char *text;         /* the matched text */
    double num;         /* its number (numeric types) */
    const char *stream; /* "stdout" / "stderr" */
    int line;           /* 1-based output line */
} mpc_capture_t;

typedef struct {
    mpc_capture_t *v;
    size_t n, cap;
} mpc_captures_t;

void mpc_captures_free(mpc_captures_t *caps);

/* Outcome of a match or a judgement. */
enum { MPC_M_ERROR = -1, MPC_M_FAIL = 0, MPC_M_PASS = 1 };

/* Match text (len bytes) as lines against items.  Returns MPC_M_PASS (captures
 * appended to caps), MPC_M_FAIL (*mm describes the first line that could not
 * be matched, furthest in the output), or MPC_M_ERROR (*err: the case needs
 * too many steps).  stream names the stream in mm and captures. */
int mpc_match_stream(const mpc_items_t *items, const char *stream,
                     const char *text, size_t len, mpc_captures_t *caps,
                     mpc_mismatch_t **mm, char **err);

/* What a match cost: item steps (<= MPC_MATCH_STEPS) and byte steps of the
 * line matcher (<= MPC_MATCH_WORK). */
typedef struct {
    long steps, work;
} mpc_match_cost_t;

/* mpc_match_stream, and what it cost in *cost (may be NULL). */
int mpc_match_stream_cost(const mpc_items_t *items, const char *stream,
                          const char *text, size_t len, mpc_captures_t *caps,
                          mpc_mismatch_t **mm, char **err,
                          mpc_match_cost_t *cost);

/* Match one line against a pattern (no captures kept); 1 or 0. */
int mpc_pattern_match(const mpc_pattern_t *pat, const char *line);

/* Evaluate one relation; MPC_M_PASS / MPC_M_FAIL (*mm set). */
int mpc_check_relation(const mpc_rel_t *r, const mpc_captures_t *caps,
                       mpc_mismatch_t **mm);

/* Oracle values: (name, text) pairs in order. */
typedef struct {
    mpc_strv_t names, values;
} mpc_oracle_vals_t;

void mpc_oracle_vals_free(mpc_oracle_vals_t *o);
/* Read `METHOD NAME VALUE` lines of path for one method; 0, or -1 when the file
 * cannot be read (errno) . *found is set to the number of lines for that
 * method. */
int mpc_oracle_read(const char *path, const char *method, mpc_oracle_vals_t *o,
                    size_t *found);

/* What one run produced. */
typedef struct {
    const char *out, *err; /* captured streams */
    size_t outlen, errlen;
    int exit_status;   /* -N for signal N */
    double wall;       /* seconds */
    double time_scale; /* MP_TIME_SCALE given to the case */
} mpc_run_output_t;

/* Judge a run that ended by itself (no timeout).  oracle: NULL to skip the
 * oracle comparison.  Returns MPC_M_PASS, MPC_M_FAIL (*mm and *detail set),
 * MPC_M_ERROR (*detail set).  caps receives every capture (for bless). */
int mpc_judge(const mpc_case_t *c, const mpc_run_output_t *run,
              const mpc_oracle_vals_t *oracle, mpc_captures_t *caps,
              mpc_mismatch_t **mm, char **detail);

mpc_mismatch_t *mpc_mismatch_new(const char *stream, int line,
                                 const char *expected, const char *actual,
                                 const char *relation, const char *values);
void mpc_mismatch_free(mpc_mismatch_t *mm);
/* One line for humans. */
char *mpc_mismatch_describe(const mpc_mismatch_t *mm);

#endif /* MPC_MATCH_H */
