/*
 * report_html.h - internal: the inline assets of index.html
 * (report_html_assets.c), NULL-terminated arrays of lines.
 */
#ifndef MPC_REPORT_HTML_H
#define MPC_REPORT_HTML_H

extern const char *const rpt_html_css[];
extern const char *const rpt_html_js[];

#endif /* MPC_REPORT_HTML_H */
