/*
 * report.h - the reporters: render a results model (results.h) as
 * junit.xml, summary.md and index.html, plus results.json (model/).
 */
#ifndef MPC_REPORT_H
#define MPC_REPORT_H

#include "results.h"

/* Reports (report_*.c): results.json, junit.xml, summary.md, index.html
 * into dir (created if needed).  Return 0 or -1 with a message on stderr. */
int mpc_report_write_all(const mpc_run_t *run, const char *dir);
int mpc_report_junit(const mpc_run_t *run, const char *path);
int mpc_report_markdown(const mpc_run_t *run, const char *path);
int mpc_report_html(const mpc_run_t *run, const char *path);

/* What changed between two runs (cmd_diff.c fills it; the results are
 * borrowed from the two runs). */
typedef enum {
    MPC_DIFF_FAILING, /* not failing before, failing now */
    MPC_DIFF_FLAKY,   /* flaky now, not before */
    MPC_DIFF_PASSING, /* failing before, pass now */
    MPC_DIFF_STOPPED, /* xfail before, pass or xpass now */
    MPC_DIFF_OTHER,   /* any other change of status */
    MPC_DIFF_ADDED,   /* a cell only in the new run */
    MPC_DIFF_REMOVED, /* a cell only in the old run */
    MPC_NDIFF
} mpc_diff_kind_t;

typedef struct {
    mpc_diff_kind_t kind;
    const mpc_result_t *old, *new_; /* NULL for an added / removed cell */
} mpc_diff_entry_t;

typedef struct {
    const char *old_path, *new_path;
    mpc_diff_entry_t *v; /* grouped by kind, in that order */
    size_t n;
    size_t count[MPC_NDIFF];
    const char **added_cases, **removed_cases;
    size_t nadded, nremoved;
} mpc_diff_t;

/* "newly failing", ... */
const char *mpc_diff_title(mpc_diff_kind_t k);
/* diff.html: one self-contained page.  Returns 0 or -1 (said on stderr). */
int mpc_report_diff_html(const mpc_diff_t *d, const char *path);

#endif /* MPC_REPORT_H */
