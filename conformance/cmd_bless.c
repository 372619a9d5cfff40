/*
 * cmd_bless.c - `mpconform bless`: run the oracle on the selected cases
 * that have oracle captures and write each case's oracle.rec.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "console.h"
#include "task.h"

static const char *const all_methods[] = {"fork", "spawn", "forkserver"};

/* The task of (case ci, method m), or NULL when m was not blessed now. */
static mpc_task_t *task_of(const mpc_taskset_t *ts, const mpc_strv_t *methods,
                           size_t ci, const char *m)
{
    for (size_t k = 0; k < methods->n; k++)
        if (strcmp(methods->v[k], m) == 0)
            return &ts->v[ci * methods->n + k];
    return NULL;
}

static void say_not_blessed(const mpc_case_ent_t *ce, const char *m,
                            const mpc_task_t *t, int *rc)
{
    fprintf(stderr, "bless: %s %s is %s: %s\n", ce->id, m,
            mpc_status_name(t->res.status), t->res.detail);
    *rc = 1;
}

/* The new oracle.rec of one case into b; returns the methods written. */
static int bless_text(const mpc_case_ent_t *ce, const mpc_case_t *c,
                      const mpc_taskset_t *ts, const mpc_strv_t *methods,
                      const char *old, mpc_buf_t *b, int *rc)
{
    int wrote = 0;
    size_t ci = (size_t)(ce - ts->s->cases);
    for (size_t mi = 0; mi < 3; mi++) {
        const char *m = all_methods[mi];
        const mpc_task_t *t = task_of(ts, methods, ci, m);
        if (t && t->res.status == MPC_PASS) {
            for (size_t i = 0; i < t->caps.n; i++)
                if (mpc_strv_has(&c->oracle, t->caps.v[i].name))
                    mpc_buf_printf(b, "%s %s %s\n", m, t->caps.v[i].name,
                                   t->caps.v[i].text);
            wrote++;
            continue;
        }
        if (t && t->res.status != MPC_SKIP)
            say_not_blessed(ce, m, t, rc);
        /* keep the lines of methods not blessed now */
        size_t ml = strlen(m);
        for (const char *s = old ? old : ""; *s;) {
            size_t n = strcspn(s, "\n");
            if (strncmp(s, m, ml) == 0 && s[ml] == ' ')
                mpc_buf_printf(b, "%.*s\n", (int)n, s);
            s += n + (s[n] ? 1 : 0);
        }
    }
    return wrote;
}

static int bless_case(const mpc_case_ent_t *ce, const mpc_taskset_t *ts,
                      const mpc_strv_t *methods, const mpc_profile_t *op)
{
    int rc = 0, ok;
    const char *cerr;
    const mpc_case_t *c = mpc_case_ent_at(ce, op->judge_ver, &ok, &cerr);
    if (!ok)
        return 0; /* its error is the cell's, said by bless_text's caller */
    char *path = mpc_oracle_rec_path(ce->dir, c->pyver);
    mpc_buf_t b;
    mpc_buf_init(&b);
    mpc_buf_printf(
        &b, "# oracle values of %s, written by mpconform bless (%s %s)\n",
        ce->id, op->name, op->version_str ? op->version_str : "");
    char *old = mpc_read_file(path, NULL);
    int wrote = bless_text(ce, c, ts, methods, old, &b, &rc);
    free(old);
    if (wrote) {
        FILE *f = fopen(path, "w");
        if (!f || fputs(b.s, f) < 0 || fclose(f) != 0) {
            fprintf(stderr, "bless: cannot write %s: %s\n", path,
                    strerror(errno));
            rc = 2;
        } else {
            printf("blessed %s (%d method%s)\n", ce->id, wrote,
                   wrote == 1 ? "" : "s");
        }
    }
    mpc_buf_free(&b);
    free(path);
    return rc;
}

static int run(mpc_session_t *s)
{
    mpc_session_load_cases(s, 1);
    mpc_session_load_profiles(s);
    /* the default oracle, or the one CPython --impl names: its record is
     * the one of its version (oracle.rec, oracle-X.Y.rec) */
    mpc_profile_t *op = mpc_session_oracle(s);
    if (s->o.impls.n > 1)
        mpc_die("bless: --impl names one CPython profile at most");
    if (s->o.impls.n) {
        op = mpc_session_find_profile(s, s->o.impls.v[0]);
        if (!op || !(op->cpython || op->oracle))
            mpc_die("bless: '%s' is not a CPython profile (cpython: yes)",
                    s->o.impls.v[0]);
    }
    if (!op)
        mpc_die("bless: no profile says 'oracle: yes'");
    mpc_session_probe(s, op);
    if (!op->installed)
        mpc_die("bless: the oracle %s is not installed: %s", op->name,
                op->reason);
    mpc_strv_t methods = {0};
    for (size_t i = 0; i < s->o.methods.n; i++)
        mpc_strv_pushdup(&methods, s->o.methods.v[i]);
    for (size_t i = 0; !s->o.methods.n && i < 3; i++)
        mpc_strv_pushdup(&methods, all_methods[i]);
    mpc_profile_t *sel[1] = {op};
    mpc_session_versions(s, sel, 1);
    /* only the cases with oracle captures at its version */
    size_t keep = 0;
    for (size_t i = 0; i < s->ncases; i++) {
        int ok;
        const char *cerr;
        const mpc_case_t *c =
            mpc_case_ent_at(&s->cases[i], op->judge_ver, &ok, &cerr);
        if (ok && c->oracle.n)
            s->cases[keep++] = s->cases[i];
    }
    s->ncases = keep;
    mpc_console_t con = {.verbose = s->o.verbose};
    mpc_taskset_t ts = {.bless = 1, .con = &con};
    mpc_tasks_make(&ts, s, sel, 1, &methods);
    con.total = ts.n;
    mpc_tasks_run(&ts);
    int rc = 0;
    for (size_t ci = 0; ci < s->ncases; ci++) {
        int r = bless_case(&s->cases[ci], &ts, &methods, op);
        rc = r > rc ? r : rc;
    }
    if (!s->ncases)
        printf("no selected case has oracle captures\n");
    mpc_tasks_free(&ts);
    mpc_strv_free(&methods);
    return rc;
}

const mpc_command_t mpc_cmd_bless = {
    .name = "bless",
    .args = "[OPTIONS]",
    .summary = "run the oracle and write each case's oracle.rec",
    .help = "Run the oracle (the profile that says `oracle: yes`, or the\n"
            "one CPython profile --impl names) on the selected cases that\n"
            "have oracle captures at its Python version, under every start\n"
            "method unless --method says otherwise, and write each case's\n"
            "record of that version: oracle.rec for 3.11, oracle-X.Y.rec\n"
            "for another (the lines of methods not run are kept).\n",
    .groups = MPC_OPTG_ROOT | MPC_OPTG_SELECT | MPC_OPTG_IMPL | MPC_OPTG_RUN,
    .exits = "0  every case blessed\n"
             "1  an oracle run did not pass (the case keeps its old lines)\n"
             "2  usage error, no oracle, an oracle.rec not written\n",
    .run = run,
};
