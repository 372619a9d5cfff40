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

#endif /* MPC_REPORT_H */
