/*
 * cmd_list.c - `mpconform list`: the selected cases, or with --impls the
 * profiles and whether each is installed.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static int list_impls(mpc_session_t *s)
{
    mpc_session_load_profiles(s);
    for (size_t i = 0; i < s->nprofs; i++) {
        mpc_profile_t *p = &s->profs[i];
        mpc_session_probe(s, p);
        printf("%-14s %-9s %s%s%s%s%s\n", p->name,
               p->installed ? "installed" : "absent", p->description,
               p->version_str ? " [" : "", p->version_str ? p->version_str : "",
               p->version_str ? "]" : "", p->installed ? "" : " -- ");
        if (!p->installed)
            printf("%-14s %-9s %s\n", "", "", p->reason);
    }
    return 0;
}

static int run(mpc_session_t *s)
{
    if (s->o.list_impls)
        return list_impls(s);
    mpc_session_load_cases(s, 1);
    int bad = 0;
    for (size_t i = 0; i < s->ncases; i++) {
        mpc_case_ent_t *ce = &s->cases[i];
        if (!ce->ok) {
            printf("%-36s ERROR %s\n", ce->id, ce->err);
            bad = 1;
            continue;
        }
        char methods[64] = "";
        for (size_t m = 0; m < ce->c.methods.n; m++) {
            strncat(methods, m ? "," : "",
                    sizeof methods - strlen(methods) - 1);
            strncat(methods, ce->c.methods.v[m],
                    sizeof methods - strlen(methods) - 1);
        }
        printf("%-36s %-22s %s%s\n", ce->id, methods, ce->c.title,
               mpc_file_exists(ce->dir, "case.c") ? "" : " [no case.c]");
    }
    return bad;
}

const mpc_command_t mpc_cmd_list = {
    .name = "list",
    .args = "[--impls] [OPTIONS]",
    .summary = "the cases (or the implementations) selected",
    .help = "List the selected cases: id, start methods, title (and\n"
            "[no case.c] when ref has no translation).  With --impls, list\n"
            "the implementation profiles instead, each probed: installed or\n"
            "absent and why.\n",
    .groups = MPC_OPTG_ROOT | MPC_OPTG_SELECT | MPC_OPTG_IMPL,
    .exits = "0  listed\n"
             "1  a selected case file is malformed (its line says ERROR)\n"
             "2  usage error, no cases folder\n",
    .run = run,
};
