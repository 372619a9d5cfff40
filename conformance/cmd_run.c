/*
 * cmd_run.c - `mpconform run`: expand the selection into cells (case x
 * implementation x start method), run them (task.c), print them
 * (console.c) and write the reports from the results model (results.h).
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "console.h"
#include "exec.h"
#include "report.h"
#include "results.h"
#include "strength.h"
#include "task.h"
#include "verdict.h"

#ifndef MPC_VERSION
#define MPC_VERSION "0.1.0"
#endif

static char *iso_now(void)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char buf[32];
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return mpc_xstrdup(buf);
}

static char **dup_strv(const mpc_strv_t *sv, size_t *n)
{
    *n = sv->n;
    char **v = mpc_xcalloc(sv->n + 1, sizeof *v);
    for (size_t i = 0; i < sv->n; i++)
        v[i] = mpc_xstrdup(sv->v[i]);
    return v;
}

/* The run's header: runner, options, oracle. */
static void fill_header(mpc_run_t *run, mpc_session_t *s)
{
    const mpc_opts_t *o = &s->o;
    run->generated = iso_now();
    run->runner_version = mpc_xstrdup(MPC_VERSION);
    run->time_scale = o->time_scale;
    run->jobs = o->jobs;
    run->repeat = o->repeat;
    run->shard = mpc_xasprintf("%d/%d", o->shard_k, o->shard_n);
    run->argc = (size_t)(o->argc - 1);
    run->argv = mpc_xcalloc(run->argc + 1, sizeof *run->argv);
    for (size_t i = 0; i < run->argc; i++)
        run->argv[i] = mpc_xstrdup(o->argv[i + 1]);
    mpc_profile_t *op = mpc_session_oracle(s);
    if (op)
        mpc_session_probe(s, op);
    run->oracle_impl = mpc_xstrdup(op ? op->name : "");
    run->oracle_version =
        mpc_xstrdup(op && op->version_str ? op->version_str : "");
    run->oracle_mode = mpc_xstrdup(o->oracle_live ? "live" : "recorded");
}

/* The results model of a finished run; the tasks' results move into it. */
static void fill_run(mpc_run_t *run, mpc_session_t *s, mpc_taskset_t *ts,
                     mpc_profile_t **sel, size_t nsel)
{
    memset(run, 0, sizeof *run);
    fill_header(run, s);
    run->nimpls = nsel;
    run->impls = mpc_xcalloc(nsel + 1, sizeof *run->impls);
    for (size_t i = 0; i < nsel; i++) {
        mpc_profile_t *p = sel[i];
        mpc_session_probe(s, p);
        mpc_impl_info_t *im = &run->impls[i];
        im->name = mpc_xstrdup(p->name);
        im->description =
            p->version_str
                ? mpc_xasprintf("%s [%s]", p->description, p->version_str)
                : mpc_xstrdup(p->description);
        im->installed = p->installed;
        im->reason = mpc_xstrdup(p->reason ? p->reason : "");
        im->profile = realpath(p->path, NULL);
        if (!im->profile)
            im->profile = mpc_xstrdup(p->path);
        im->root = mpc_xstrdup(p->root_dir ? p->root_dir : "");
        im->methods = dup_strv(&p->methods, &im->nmethods);
        char v[16];
        im->python_version =
            mpc_xstrdup(p->pyver ? mpc_pyver_str(p->pyver, v) : "");
        im->oracle = mpc_xstrdup(p->oracle_name ? p->oracle_name : "");
        im->oracle_note = mpc_xstrdup(p->oracle_note ? p->oracle_note : "");
        im->judged_at =
            mpc_xstrdup(p->judge_ver ? mpc_pyver_str(p->judge_ver, v) : "");
    }
    run->ncases = s->ncases;
    run->cases = mpc_xcalloc(s->ncases + 1, sizeof *run->cases);
    for (size_t i = 0; i < s->ncases; i++) {
        mpc_case_ent_t *ce = &s->cases[i];
        mpc_case_info_t *ci = &run->cases[i];
        ci->id = mpc_xstrdup(ce->id);
        ci->title = mpc_xstrdup(ce->ok ? ce->c.title : ce->err);
        ci->area = mpc_xstrndup(ce->id, strcspn(ce->id, "/"));
        ci->source = mpc_xstrdup(ce->ok ? ce->c.source : "");
        ci->dir = mpc_xstrdup(ce->ok ? ce->c.dir : "");
        ci->document = mpc_xstrdup(ce->ok ? ce->c.document : "");
        if (ce->ok)
            ci->primitives = dup_strv(&ce->c.primitives, &ci->nprimitives);
        ci->nchanges = ce->ok ? ce->c.nchanges : 0;
        ci->changes = mpc_xcalloc(ci->nchanges + 1, sizeof *ci->changes);
        for (size_t k = 0; k < ci->nchanges; k++) {
            const mpc_change_t *ch = &ce->c.changes[k];
            char v[16];
            ci->changes[k].title = mpc_xstrdup(ch->title);
            ci->changes[k].version = mpc_xstrdup(mpc_pyver_str(ch->version, v));
            ci->changes[k].before = mpc_xstrdup(ch->before);
            ci->changes[k].after = mpc_xstrdup(ch->after);
            ci->changes[k].why = mpc_xstrdup(ch->why);
        }
    }
    run->nresults = ts->n;
    run->results = mpc_xcalloc(ts->n + 1, sizeof *run->results);
    for (size_t i = 0; i < ts->n; i++) {
        run->results[i] = ts->v[i].res; /* moved */
        memset(&ts->v[i].res, 0, sizeof ts->v[i].res);
    }
}

/* Interrupted: the worker threads' cases are killed by the exec loop. */
static void on_signal(int sig)
{
    (void)sig;
    mpc_exec_interrupted = 1;
}

static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

static void print_header(const mpc_session_t *s, const mpc_taskset_t *ts,
                         mpc_profile_t **sel, size_t nsel)
{
    const mpc_opts_t *o = &s->o;
    if (o->tap)
        printf("1..%zu\n", ts->n);
    else
        printf("mpconform %s: %zu cases x %zu implementations x %zu methods "
               "= %zu runs, %d jobs, time scale %g\n",
               MPC_VERSION, s->ncases, nsel, o->methods.n, ts->n, o->jobs,
               o->time_scale);
    for (size_t i = 0; i < nsel && !o->tap; i++)
        if (!sel[i]->installed)
            printf("skip    %s: %s\n", sel[i]->name, sel[i]->reason);
    fflush(stdout);
}

static const mpc_case_ent_t *find_case(const mpc_session_t *s, const char *id)
{
    for (size_t i = 0; i < s->ncases; i++)
        if (strcmp(s->cases[i].id, id) == 0)
            return &s->cases[i];
    return NULL;
}

/* The suite's power in the reports: the output mutation of this run's
 * passing oracle cells (strength.c; a weak case's accepted variants are
 * `mpconform strength`'s to name), and the last mutant run. */
static void measure_power(mpc_run_t *run, mpc_session_t *s)
{
    mpc_strv_t allow = {0};
    char *allowp = mpc_xasprintf("%s/conformance/strength.allow", s->o.source);
    int have_allow =
        run->oracle_impl[0] && mpc_strength_allow_load(allowp, &allow) == 0;
    free(allowp);
    for (size_t i = 0; have_allow && i < run->nresults; i++) {
        const mpc_result_t *r = &run->results[i];
        const mpc_case_ent_t *ce = find_case(s, r->case_id);
        if (strcmp(r->impl, run->oracle_impl) != 0 || r->status != MPC_PASS ||
            r->truncated || !ce || !ce->ok)
            continue;
        mpc_strength_cell_t t;
        mpc_strength_info_t *st = &run->strength;
        st->measured = 1;
        if (mpc_strength_cell(&ce->c, r, run->time_scale, &allow, NULL, &t) <
            0) {
            st->stale++;
            continue;
        }
        const mpc_strength_cell_info_t cell = {r->case_id, r->method, t.tried,
                                               t.rejected, t.free_,   t.allowed,
                                               t.accepted};
        if (mpc_strength_add(st, &cell) < 0)
            mpc_die("out of memory");
    }
    mpc_strv_free(&allow);
    const char *m = s->o.mutation;
    if (m && strcmp(m, "none") == 0)
        return;
    char *path = m ? mpc_xstrdup(m)
                   : mpc_xasprintf("%s/mutation/results.json", s->o.build);
    /* the default is attached when there is one; a file asked for must be
     * readable */
    if ((m || access(path, R_OK) == 0) &&
        mpc_mutation_read(path, &run->mutation) < 0 && m)
        fprintf(stderr, "mpconform: --mutation %s: not attached\n", m);
    free(path);
}

/* Write the reports; returns the exit status so far (2 when they fail). */
static int write_reports(mpc_session_t *s, mpc_taskset_t *ts,
                         mpc_profile_t **sel, size_t nsel, int rc)
{
    mpc_run_t run;
    pthread_mutex_lock(&s->lock);
    fill_run(&run, s, ts, sel, nsel);
    pthread_mutex_unlock(&s->lock);
    if (!s->o.no_report) {
        measure_power(&run, s);
        if (mpc_report_write_all(&run, s->o.report) < 0)
            rc = 2;
        else if (!s->o.tap)
            printf(
                "reports: %s/{results.json,junit.xml,summary.md,index.html}\n",
                s->o.report);
    }
    mpc_run_free(&run);
    return rc;
}

/*
 * No cell selected.  An empty shard of a selection that is not empty is
 * normal (a few cases over many shards): it says so, writes its empty
 * reports for merge and exits 0.  A selection with no case at all is
 * almost always a typo in --filter or --area: exit 2 unless --allow-empty.
 */
static int empty_selection(mpc_session_t *s, mpc_taskset_t *ts,
                           mpc_profile_t **sel, size_t nsel)
{
    const mpc_opts_t *o = &s->o;
    int rc = 0;
    if (s->nunsharded > 0) {
        printf("mpconform: shard %d/%d holds none of the %zu selected cases\n",
               o->shard_k, o->shard_n, s->nunsharded);
    } else {
        fprintf(stderr,
                "mpconform: no case selected (cases in %s; check --filter, "
                "--area, --shard)%s\n",
                o->cases_root,
                o->allow_empty ? "" : "; --allow-empty accepts that");
        if (!o->allow_empty)
            rc = 2;
    }
    if (rc == 0)
        rc = write_reports(s, ts, sel, nsel, 0);
    mpc_tasks_free(ts);
    free(sel);
    return rc;
}

static int run(mpc_session_t *s)
{
    mpc_opts_t *o = &s->o;
    mpc_session_load_cases(s, 1);
    mpc_session_load_profiles(s);
    size_t nsel;
    mpc_profile_t **sel = mpc_session_select_profiles(s, &nsel);
    if (!o->methods.n)
        mpc_strv_pushdup(&o->methods, "fork");
    mpc_console_t con = {.tap = o->tap, .verbose = o->verbose};
    con.tty = isatty(2) && !o->tap;
    mpc_taskset_t ts = {.con = &con};
    mpc_tasks_make(&ts, s, sel, nsel, &o->methods);
    con.total = ts.n;
    catch_signals();
    /* probe first (sequentially): the per-task probe then only reads */
    for (size_t i = 0; i < nsel; i++)
        mpc_session_probe(s, sel[i]);
    if (mpc_session_oracle(s))
        mpc_session_probe(s, mpc_session_oracle(s));
    if (ts.n == 0)
        return empty_selection(s, &ts, sel, nsel);
    print_header(s, &ts, sel, nsel);
    double t0 = mpc_now();
    mpc_tasks_run(&ts);
    double elapsed = mpc_now() - t0;
    if (!o->tap) {
        mpc_console_matrix(&ts, sel, nsel, &o->methods);
        printf("\nelapsed %.1f s\n", elapsed);
    }
    size_t ran = 0;
    for (size_t i = 0; i < ts.n; i++)
        ran += ts.v[i].res.runs > 0;
    int rc = write_reports(s, &ts, sel, nsel, mpc_console_bad(&con) ? 1 : 0);
    mpc_console_totals(&con);
    if (ran == 0 && rc == 0 && !o->allow_empty && !mpc_exec_interrupted) {
        fprintf(stderr,
                "mpconform: no cell ran (%zu skipped: an "
                "implementation not installed, or no case applies); "
                "--allow-empty accepts that\n",
                ts.n);
        rc = 2;
    }
    mpc_tasks_free(&ts);
    free(sel);
    if (mpc_exec_interrupted) {
        fprintf(stderr, "mpconform: interrupted\n");
        return 130;
    }
    return rc;
}

const mpc_command_t mpc_cmd_run = {
    .name = "run",
    .args = "[OPTIONS]",
    .summary = "run cases on implementations and report",
    .help = "Run the selected cases on the selected implementations under the\n"
            "selected start methods (one cell each), judge each run against\n"
            "its case.exp, print a line per failing cell, the matrix and the\n"
            "totals, and write results.json, junit.xml, summary.md and\n"
            "index.html into the report folder.\n",
    .groups = MPC_OPTG_ROOT | MPC_OPTG_SELECT | MPC_OPTG_IMPL | MPC_OPTG_RUN |
              MPC_OPTG_OUT,
    .exits = "0    no cell is fail, timeout, crash, error, xpass or flaky\n"
             "     (and some cell ran, or --allow-empty; an empty shard of a\n"
             "     selection that is not empty is 0 too)\n"
             "1    some cell is\n"
             "2    usage error, no case selected, no cell ran (every cell\n"
             "     skipped: a probe failed, no case applies), the reports\n"
             "     not written\n"
             "130  interrupted (SIGINT, SIGTERM, SIGHUP)\n",
    .run = run,
};
