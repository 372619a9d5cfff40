/*
 * rpt.h - helpers shared by the reporters (internal to conformance/report/).
 *
 * Output files are written to "PATH.tmp" and renamed over PATH on success,
 * so a crash or a full disk never leaves a half-written report that a CI
 * page would then publish as if it were complete.
 */
#ifndef MPC_RPT_H
#define MPC_RPT_H

#include <stdio.h>

#include "model.h"
#include "results.h"

/*
 * Write s escaped for XML and HTML text (attr = 0) or a quoted attribute
 * value (attr = 1): & < > " ' become entities; bytes that are not UTF-8
 * become U+FFFD; control characters other than tab, LF, CR (which XML 1.0
 * cannot carry at all), DEL, C1 controls and U+FFFE/U+FFFF are removed.
 */
void rpt_xml_escape(FILE *f, const char *s, int attr);
/* The same for the n bytes at s (a line of a longer text, or captured
 * output), where a NUL byte becomes U+2400, visible: XML cannot carry it. */
void rpt_xml_escape_n(FILE *f, const char *s, size_t n, int attr);

/* Count of results per status for one impl x method ("*" matches any). */
void rpt_count(const mpc_run_t *run, const char *impl, const char *method,
               size_t counts[MPC_NSTATUS]);

/* One impl x method column of the matrix, in profile order. */
typedef struct {
    const char *impl;
    const char *method;
} rpt_column_t;

/*
 * The columns of the matrix: the impl x method pairs that have results, in
 * the order of run->impls and their methods, then any pair that appears
 * only in results (a result whose impl was not described must still be
 * shown, not dropped).  Methods an impl supports but the run did not
 * select get no column.
 * Returns the count and a malloc'd array in *out (NULL when zero), or -1 on
 * allocation failure.
 */
long rpt_columns(const mpc_run_t *run, rpt_column_t **out);

/* The ids of the matrix rows: run->cases in order plus case ids seen only in
 * results.  Same return convention as rpt_columns. */
long rpt_rows(const mpc_run_t *run, const char ***out);

/* The matrix of a report at path: rpt_columns and rpt_rows together.
 * Returns 0, or -1 after saying on stderr that memory ran out (nothing is
 * left to free then). */
int rpt_matrix(const mpc_run_t *run, const char *path, rpt_column_t **cols,
               long *ncols, const char ***rows, long *nrows);

/* The result for one cell, or NULL (the last one wins if duplicated). */
const mpc_result_t *rpt_find(const mpc_run_t *run, const char *case_id,
                             const char *impl, const char *method);

/* mpc_status_name, but "invalid" (never NULL) for a value out of range,
 * which only a runner bug can produce; reports show it rather than crash. */
const char *rpt_status(mpc_status_t s);

/* Status names that are failures in JUnit terms (RESULTS.md). */
int rpt_is_failure(mpc_status_t s);

/*
 * How a report at report_path links to the folder dir (absolute): a path
 * relative to the report's folder when both are absolute after realpath
 * (a report and the source tree can be opened together, or copied
 * together) unless they share only the root, else dir itself
 * (resolved).  Malloc'd, without a trailing '/'; NULL when
 * dir is empty or memory ran out (the caller tells them apart by dir).
 */
char *rpt_link_dir(const char *report_path, const char *dir);

/*
 * The suite's power (run->strength, run->mutation) as sentences, one per
 * measure that the run has, each written through text (a reporter's own
 * escaping) between before and after; returns how many were written.
 */
int rpt_power(FILE *f, const mpc_run_t *run, void (*text)(FILE *, const char *),
              const char *before, const char *after);

#endif /* MPC_RPT_H */
