/*
 * report_html.h - internal to index.html: the inline assets
 * (report_html_assets.c, NULL-terminated arrays of lines), and the helpers
 * report_html.c shares with report_html_detail.c.
 */
#ifndef MPC_REPORT_HTML_H
#define MPC_REPORT_HTML_H

#include <stdio.h>

#include "results.h"

extern const char *const rpt_html_css[];
extern const char *const rpt_html_js[];

/* s escaped as HTML text / as attribute NAME="s" (rpt_xml_escape). */
void rpt_html_text(FILE *f, const char *s);
void rpt_html_attr(FILE *f, const char *name, const char *s);
/* The case described in run->cases with that id, or NULL. */
const mpc_case_info_t *rpt_html_case(const mpc_run_t *run, const char *id);
/* data-area="..." for a case (its area, or its id up to the first '/'). */
void rpt_html_area_attr(FILE *f, const mpc_run_t *run, const char *id);
/* The status as shown: upper case for failures, as in summary.md. */
void rpt_html_status(FILE *f, mpc_status_t s);
/* Whether a result gets a detail article (not a pass, or it leaked). */
int rpt_html_has_detail(const mpc_result_t *r);
/* The Divergences section (divergences.h): 0, or -1 when memory ran out. */
int rpt_html_divergences(FILE *f, const mpc_run_t *run);
/* The whole Details section of the report at path (links are relative to
 * it).  Returns 0, or -1 when memory ran out. */
int rpt_html_details(FILE *f, const mpc_run_t *run, const char *path);

#endif /* MPC_REPORT_HTML_H */
