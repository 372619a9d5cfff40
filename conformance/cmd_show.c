/*
 * cmd_show.c - `mpconform show CASE`: the parsed case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"

static int run(mpc_session_t *s)
{
    const mpc_opts_t *o = &s->o;
    if (o->args.n != 1)
        mpc_die("show: want one CASE (an id, a folder or a case.exp)");
    const char *a = o->args.v[0];
    char *path;
    struct stat st;
    if (stat(a, &st) == 0 && S_ISREG(st.st_mode))
        path = mpc_xstrdup(a);
    else if (stat(a, &st) == 0 && S_ISDIR(st.st_mode))
        path = mpc_xasprintf("%s/case.exp", a);
    else
        path = mpc_xasprintf("%s/%s/case.exp", o->cases_root, a);
    mpc_case_t c;
    char *err = NULL;
    const char *root = NULL;
    if (strncmp(path, o->cases_root, strlen(o->cases_root)) == 0)
        root = o->cases_root;
    if (mpc_case_load(path, root, &c, &err) < 0) {
        fprintf(stderr, "%s\n", err);
        free(err);
        free(path);
        return 1;
    }
    mpc_case_print(&c, stdout);
    printf("\nfiles:%s%s%s\n",
           mpc_file_exists(c.dir, "case.py") ? " case.py" : "",
           mpc_file_exists(c.dir, "case.c") ? " case.c" : "",
           mpc_file_exists(c.dir, "oracle.rec") ? " oracle.rec" : "");
    mpc_case_free(&c);
    free(path);
    return 0;
}

const mpc_command_t mpc_cmd_show = {
    .name = "show",
    .args = "CASE",
    .summary = "print a parsed case (id, folder or case.exp)",
    .help = "Print a case as the runner understands it: header, the\n"
            "document's output, errata, items, and which files the folder\n"
            "holds.  CASE is an id (area/name), a folder or a case.exp.\n",
    .groups = MPC_OPTG_ROOT,
    .exits = "0  shown\n"
             "1  the case file is malformed or missing (FILE:LINE: why)\n"
             "2  usage error\n",
    .run = run,
};
