/*
 * report_all.c - mpc_report_write_all: the four reports into one folder.
 *
 * Every report is attempted even when an earlier one failed, so that one
 * full disk or bad permission on a single file still leaves the others for
 * the CI page; the return value says whether all four were written.
 */
#define _POSIX_C_SOURCE 200809L

#include "report.h"
#include "results.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rpt.h"

/* mkdir -p: create each missing component; an existing directory is
 * fine, an existing non-directory is an error. */
static int mkdir_p(const char *dir)
{
    size_t n = strlen(dir);
    char *p = malloc(n + 1);
    if (p == NULL) {
        fprintf(stderr, "mpconform: %s: out of memory\n", dir);
        return -1;
    }
    memcpy(p, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (p[i] != '/' && p[i] != '\0')
            continue;
        char keep = p[i];
        p[i] = '\0';
        struct stat st;
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "mpconform: cannot create %s: %s\n", p,
                    strerror(errno));
            free(p);
            return -1;
        }
        if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
            fprintf(stderr, "mpconform: %s is not a directory\n", p);
            free(p);
            return -1;
        }
        p[i] = keep;
    }
    free(p);
    return 0;
}

/* dir/name in a malloc'd string, or NULL with a message. */
static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p == NULL)
        fprintf(stderr, "mpconform: out of memory\n");
    else
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

int mpc_report_write_all(const mpc_run_t *run, const char *dir)
{
    static const struct {
        const char *name;
        int (*write)(const mpc_run_t *, const char *);
    } reports[] = {
        {"results.json", mpc_results_write_json},
        {"junit.xml", mpc_report_junit},
        {"summary.md", mpc_report_markdown},
        {"index.html", mpc_report_html},
    };
    if (dir == NULL || dir[0] == '\0')
        dir = ".";
    if (mkdir_p(dir) < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < sizeof reports / sizeof reports[0]; i++) {
        char *path = join(dir, reports[i].name);
        if (path == NULL || reports[i].write(run, path) < 0)
            rc = -1;
        free(path);
    }
    return rc;
}
