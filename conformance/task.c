/*
 * task.c - run the cells of a run on worker threads (task.h).
 */
#include "task.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "exec.h"
#include "verdict.h"

#define WORKER_STACK (256u * 1024 * 1024)

/* Live oracle runs or oracle.rec values, one per (case, method). */
struct oracle_slot {
    pthread_mutex_t m;
    int done, ok;
    mpc_oracle_vals_t vals;
    char *err;
};

static int method_index(const char *m)
{
    return strcmp(m, "fork") == 0 ? 0 : strcmp(m, "spawn") == 0 ? 1 : 2;
}

/* One execution of a case: status, detail, mismatch and captures. */
typedef struct {
    mpc_status_t status;
    char *detail;
    mpc_mismatch_t *mm;
    mpc_exec_result_t ex;
    mpc_captures_t caps;
} one_t;

static void one_free(one_t *o)
{
    free(o->detail);
    mpc_mismatch_free(o->mm);
    mpc_exec_result_free(&o->ex);
    mpc_captures_free(&o->caps);
}

/* The case's timeout, capped by the profile, overridden by --timeout. */
static double cell_timeout(const mpc_opts_t *op, const mpc_case_t *c,
                           const mpc_profile_t *p)
{
    double timeout = c->timeout;
    if (p->timeout > 0 && p->timeout < timeout)
        timeout = p->timeout;
    if (op->timeout > 0)
        timeout = op->timeout;
    return timeout;
}

static void exec_case(const mpc_session_t *s, const mpc_case_ent_t *ce,
                      const mpc_case_t *c, const mpc_profile_t *p,
                      const char *method, double scale, double timeout,
                      mpc_exec_result_t *ex)
{
    const mpc_opts_t *op = &s->o;
    char *slug = mpc_xstrdup(ce->id);
    for (char *q = slug; *q; q++)
        if (*q == '/')
            *q = '-';
    const mpc_vars_t v = {
        .case_dir = ce->dir,
        .case_id = ce->id,
        .slug = slug,
        .build = op->build,
        .source = op->source,
        .shim = op->shim,
        .profile_dir = p->dir,
    };
    mpc_strv_t argv = {0}, env = {0}, binds = {0};
    mpc_subst_argv(&p->command, &v, &argv);
    mpc_build_env(&env, p, method, scale, c->unbuffered, &v);
    if (p->root_dir)
        mpc_session_binds(s, p, &binds);
    const mpc_exec_opts_t eo = {
        .argv = argv.v,
        .envp = env.v,
        .cwd = ce->dir,
        .timeout = timeout,
        .grace = op->grace,
        .isolate_shm = !op->no_isolate,
        .check_leaks = 1,
        .tty_stdout = c->tty,
        /* the case knows its needs best, then the implementation */
        .shm_size = c->shm_size ? c->shm_size : p->shm_size,
        .root = p->root_dir,
        .binds = binds.v,
    };
    mpc_exec_run(&eo, ex);
    mpc_strv_free(&argv);
    mpc_strv_free(&env);
    mpc_strv_free(&binds);
    free(slug);
}

/* The detail of a run that ended before its output could be judged. */
static char *ended_detail(const mpc_exec_result_t *ex, mpc_status_t st,
                          const mpc_profile_t *p, double timeout)
{
    if (st == MPC_TIMEOUT)
        return mpc_xasprintf("timeout after %g s (process group killed)",
                             timeout);
    if (st == MPC_CRASH)
        return mpc_xasprintf("killed by %s", mpc_signal_name(-ex->exit_status));
    if (p->requires && strstr(ex->start_error, "No such file"))
        return mpc_xasprintf("%s (not built: %s is new since meson "
                             "configured? run meson setup --reconfigure, "
                             "then ninja)",
                             ex->start_error, p->requires);
    return mpc_xstrdup(ex->start_error);
}

/* A case that filled its private /dev/shm (its writes there got ENOSPC, its
 * mappings SIGBUS) is told so in the detail, whatever its status. */
static void note_shm_full(one_t *o)
{
    if (!o->ex.shm_full)
        return;
    char *d = mpc_xasprintf(
        "%s%s(its private /dev/shm of %zu MiB was full: raise shm-size)",
        o->detail ? o->detail : "", o->detail ? " " : "", o->ex.shm_size >> 20);
    free(o->detail);
    o->detail = d;
}

/* One run of case c (ce's, at the cell's version) on p. */
static void run_once(const mpc_session_t *s, const mpc_case_ent_t *ce,
                     const mpc_case_t *c, const mpc_profile_t *p,
                     const char *method, const mpc_oracle_vals_t *oracle,
                     one_t *o)
{
    memset(o, 0, sizeof *o);
    double scale = c->has_time_scale ? c->time_scale : s->o.time_scale;
    double timeout = cell_timeout(&s->o, c, p);
    exec_case(s, ce, c, p, method, scale, timeout, &o->ex);
    const mpc_run_end_t end = {
        .start_error = o->ex.start_error != NULL,
        .timed_out = o->ex.timed_out,
        .exit_status = o->ex.exit_status,
        .expected_exit = c->exit_status,
    };
    int st = mpc_verdict_ended(&end);
    if (st >= 0) {
        o->status = (mpc_status_t)st;
        o->detail = ended_detail(&o->ex, o->status, p, timeout);
        if (st == MPC_CRASH)
            o->mm = mpc_mismatch_new(
                "exit", 0, "", mpc_signal_name(-o->ex.exit_status), "", "");
        note_shm_full(o);
        return;
    }
    const mpc_run_output_t ro = {
        .out = o->ex.out.s,
        .err = o->ex.err.s,
        .outlen = o->ex.out.len,
        .errlen = o->ex.err.len,
        .exit_status = o->ex.exit_status,
        .wall = o->ex.wall,
        .time_scale = scale,
    };
    int j = mpc_judge(c, &ro, oracle, &o->caps, &o->mm, &o->detail);
    o->status = mpc_verdict_judged(j);
    if (o->ex.truncated) {
        char *d = mpc_xasprintf("%s%s(output cut at %d bytes per stream)",
                                o->detail ? o->detail : "",
                                o->detail ? " " : "", MPC_EXEC_CAP);
        free(o->detail);
        o->detail = d;
    }
    note_shm_full(o);
}

/* ------------------------------------------------------------------ oracle */

/* The live run of (case, method) by the oracle of the cell's
 * implementation gives the values. */
static void oracle_live(mpc_session_t *s, const mpc_case_ent_t *ce,
                        const mpc_case_t *c, const mpc_profile_t *p,
                        const char *method, oracle_slot_t *slot)
{
    mpc_profile_t *op = p->oracle_name && *p->oracle_name
                            ? mpc_session_find_profile(s, p->oracle_name)
                            : mpc_session_oracle(s);
    if (!op) {
        slot->err = mpc_xstrdup("--oracle live: no profile says 'oracle: yes'");
        return;
    }
    mpc_session_probe(s, op);
    if (!op->installed) {
        slot->err =
            mpc_xasprintf("oracle %s not installed: %s", op->name, op->reason);
        return;
    }
    one_t o;
    run_once(s, ce, c, op, method, NULL, &o);
    if (o.status != MPC_PASS) {
        slot->err =
            mpc_xasprintf("the oracle's live run is %s: %s",
                          mpc_status_name(o.status), o.detail ? o.detail : "");
    } else {
        slot->ok = 1;
        for (size_t i = 0; i < o.caps.n; i++)
            if (mpc_strv_has(&c->oracle, o.caps.v[i].name)) {
                mpc_strv_pushdup(&slot->vals.names, o.caps.v[i].name);
                mpc_strv_pushdup(&slot->vals.values, o.caps.v[i].text);
            }
    }
    one_free(&o);
}

static void oracle_recorded(const mpc_case_ent_t *ce, const mpc_case_t *c,
                            const char *method, oracle_slot_t *slot)
{
    char *path = mpc_oracle_rec_path(ce->dir, c->pyver);
    size_t found = 0;
    if (mpc_oracle_read(path, method, &slot->vals, &found) < 0)
        slot->err = mpc_xasprintf(
            "no oracle record %s (run: mpconform bless --filter %s)", path,
            ce->id);
    else if (!found)
        slot->err = mpc_xasprintf("%s has no values for %s (run: mpconform "
                                  "bless --method %s --filter %s)",
                                  path, method, method, ce->id);
    else
        slot->ok = 1;
    free(path);
}

/* The oracle's values for (case, method) at the version of case c, or -1
 * and *err. */
static int get_oracle(mpc_taskset_t *ts, size_t ci, const mpc_case_t *c,
                      const char *method, const mpc_profile_t *p,
                      const mpc_oracle_vals_t **out, char **err)
{
    mpc_session_t *s = ts->s;
    const mpc_case_ent_t *ce = &s->cases[ci];
    *out = NULL;
    if (!c->oracle.n || ts->bless)
        return 0;
    if (s->o.oracle_live && p->oracle_name &&
        strcmp(p->oracle_name, p->name) == 0)
        return 0; /* the oracle's live run is its own reference */
    size_t vi = mpc_session_ver_index(s, c->pyver);
    oracle_slot_t *slot =
        &ts->slots[(ci * ts->nvers + vi) * 3 + (size_t)method_index(method)];
    pthread_mutex_lock(&slot->m);
    if (!slot->done) {
        slot->done = 1;
        if (s->o.oracle_live)
            oracle_live(s, ce, c, p, method, slot);
        else
            oracle_recorded(ce, c, method, slot);
    }
    pthread_mutex_unlock(&slot->m);
    if (!slot->ok) {
        *err = mpc_xstrdup(slot->err ? slot->err : "oracle unavailable");
        return -1;
    }
    *out = &slot->vals;
    return 0;
}

/* -------------------------------------------------------------------- cell */

static void set_detail(mpc_result_t *r, char *d)
{
    free(r->detail);
    r->detail = d ? d : mpc_xstrdup("");
}

/* The skip, missing or error status of a cell that does not run; 0 when
 * it runs.  c is the case at the cell's version (ok: it parsed; else err). */
static int not_applicable(mpc_session_t *s, mpc_task_t *t, const mpc_case_t *c,
                          int ok, const char *err)
{
    const mpc_case_ent_t *ce = &s->cases[t->ci];
    mpc_profile_t *p = t->p;
    pthread_mutex_lock(&s->lock);
    mpc_session_probe(s, p);
    pthread_mutex_unlock(&s->lock);
    const mpc_cell_facts_t f = {
        .case_ok = ok,
        .installed = p->installed,
        .impl_has_method = mpc_profile_has_method(p, t->method),
        .case_has_method = ok && mpc_case_has_method(c, t->method),
        .has_required = !p->requires || mpc_file_exists(ce->dir, p->requires),
        .declared_na = ok && mpc_case_not_applicable(c, p->name),
    };
    mpc_na_t na = mpc_verdict_applies(&f);
    mpc_result_t *r = &t->res;
    char *d = NULL;
    switch (na) {
    case MPC_NA_NONE:
        /* a case for a feature its version lacks (since:, until:) */
        d = mpc_case_version_skip(c);
        if (!d)
            return 0;
        r->status = MPC_SKIP;
        set_detail(r, d);
        return 1;
    case MPC_NA_CASE_ERROR:
        d = mpc_xstrdup(err);
        break;
    case MPC_NA_NOT_INSTALLED:
        /* a root not built, or not enterable, is not "not installed" */
        d = mpc_xasprintf(p->root_unusable ? "%s: %s" : "%s not installed: %s",
                          p->name, p->reason);
        break;
    case MPC_NA_IMPL_METHOD:
        d = mpc_xasprintf("%s does not support %s", p->name, t->method);
        break;
    case MPC_NA_CASE_METHOD:
        d = mpc_xasprintf("the case does not apply to %s", t->method);
        break;
    case MPC_NA_NO_FILE:
        d = mpc_xasprintf("no %s", p->requires);
        break;
    case MPC_NA_DECLARED:
        d = mpc_xstrdup(mpc_case_not_applicable(c, p->name));
        break;
    }
    r->status = mpc_verdict_na_status(na);
    set_detail(r, d);
    return 1;
}

/* Keep run o in r: the first run, then the first failing one. */
static void keep_run(mpc_task_t *t, one_t *o, int bless)
{
    mpc_result_t *r = &t->res;
    r->duration_s = o->ex.wall;
    r->exit_status = o->ex.exit_status;
    free(r->out);
    free(r->err);
    r->out_len = o->ex.out.len; /* NUL bytes included */
    r->err_len = o->ex.err.len;
    r->out = mpc_buf_take(&o->ex.out);
    r->err = mpc_buf_take(&o->ex.err);
    r->truncated = o->ex.truncated;
    set_detail(r, o->detail);
    o->detail = NULL;
    mpc_mismatch_free(r->mismatch);
    r->mismatch = o->mm;
    o->mm = NULL;
    if (bless) {
        mpc_captures_free(&t->caps);
        t->caps = o->caps;
        memset(&o->caps, 0, sizeof o->caps);
    }
}

/* The leaks of every run, each once, at most 50. */
static void add_leaks(mpc_result_t *r, const mpc_strv_t *leaks)
{
    for (size_t k = 0; k < leaks->n; k++) {
        int dup = 0;
        for (size_t m = 0; m < r->nleaks && !dup; m++)
            dup = strcmp(r->leaks[m], leaks->v[k]) == 0;
        if (!dup && r->nleaks < 50) {
            r->leaks =
                mpc_xrealloc(r->leaks, (r->nleaks + 1) * sizeof *r->leaks);
            r->leaks[r->nleaks++] = mpc_xstrdup(leaks->v[k]);
        }
    }
}

/* Run the cell --repeat times into t->res and the tally. */
static void run_repeats(mpc_taskset_t *ts, mpc_task_t *t, const mpc_case_t *c,
                        const mpc_oracle_vals_t *ov, mpc_tally_t *tally)
{
    mpc_session_t *s = ts->s;
    int have_fail = 0;
    for (int i = 0; i < s->o.repeat; i++) {
        one_t o;
        run_once(s, &s->cases[t->ci], c, t->p, t->method, ov, &o);
        mpc_tally_add(tally, o.status);
        /* keep the first failing run (or the last run when all pass) */
        if (!have_fail)
            keep_run(t, &o, ts->bless);
        if (o.status != MPC_PASS)
            have_fail = 1;
        add_leaks(&t->res, &o.ex.leaks);
        one_free(&o);
    }
}

/* The known-failures line for the cell's status: the line of that status,
 * else one of the same divergence (a `fail` line for a timeout), else the
 * first that matches the cell. */
static const mpc_known_failure_t *known_failure(mpc_session_t *s, mpc_task_t *t,
                                                mpc_status_t status)
{
    const char *id = s->cases[t->ci].id;
    const mpc_known_failure_t *kf =
        mpc_profile_known(t->p, id, t->method, (int)status, t->p->judge_ver);
    mpc_status_t alt = status == MPC_FAIL      ? MPC_TIMEOUT
                       : status == MPC_TIMEOUT ? MPC_FAIL
                                               : status;
    if (kf && kf->status != (int)status && alt != status) {
        const mpc_known_failure_t *k2 =
            mpc_profile_known(t->p, id, t->method, (int)alt, t->p->judge_ver);
        if (k2 && k2->status == (int)alt)
            kf = k2;
    }
    return kf;
}

/* The verdict of the runs, with its detail line. */
static void judge_cell(mpc_session_t *s, mpc_task_t *t, const mpc_tally_t *ty)
{
    mpc_result_t *r = &t->res;
    r->runs = ty->runs;
    r->passes = ty->passes;
    r->status = mpc_tally_status(ty);
    if (r->status == MPC_FLAKY)
        set_detail(r, mpc_xasprintf("passed %d of %d runs; first failure: %s",
                                    ty->passes, ty->runs, r->detail));
    else if (s->o.repeat > 1 && r->status == MPC_PASS)
        set_detail(r,
                   mpc_xasprintf("passed %d of %d runs", ty->passes, ty->runs));
    const mpc_known_failure_t *kf = known_failure(s, t, r->status);
    mpc_kf_outcome_t how;
    mpc_status_t seen = r->status;
    r->status = mpc_verdict_known(ty, kf, &how);
    if (how == MPC_KF_XFAIL || how == MPC_KF_INTERMITTENT) {
        free(r->known); /* a kept run of --repeat may have set it */
        r->known = mpc_xasprintf("%s%s %s", mpc_status_name(kf->status),
                                 kf->intermittent ? "?" : "", kf->reason);
    }
    switch (how) {
    case MPC_KF_NONE:
        break;
    case MPC_KF_XFAIL:
        if (kf->status == (int)seen)
            set_detail(r, mpc_xasprintf("known failure (%s): %s", kf->reason,
                                        r->detail));
        else /* one divergence seen another way (verdict.h) */
            set_detail(r, mpc_xasprintf("known failure (%s; listed as %s): "
                                        "%s",
                                        kf->reason, mpc_status_name(kf->status),
                                        r->detail));
        break;
    case MPC_KF_QUIET:
        set_detail(r, mpc_xasprintf(
                          "known intermittent failure did not happen (%s)%s%s",
                          kf->reason, *r->detail ? ": " : "", r->detail));
        break;
    case MPC_KF_INTERMITTENT:
        set_detail(r, mpc_xasprintf("known intermittent failure (%s): %s",
                                    kf->reason, r->detail));
        break;
    case MPC_KF_XPASS:
        set_detail(r, mpc_xasprintf("known failure passes: %s", kf->reason));
        break;
    case MPC_KF_OTHER:
        set_detail(r, mpc_xasprintf("%s (known failure expected %s: %s)",
                                    r->detail, mpc_status_name(kf->status),
                                    kf->reason));
        break;
    }
}

static void do_task(mpc_taskset_t *ts, mpc_task_t *t)
{
    t->res.runs = 0;
    int ok;
    const char *cerr;
    const mpc_case_t *c =
        mpc_case_ent_at(&ts->s->cases[t->ci], t->p->judge_ver, &ok, &cerr);
    if (not_applicable(ts->s, t, c, ok, cerr))
        return;
    const mpc_oracle_vals_t *ov = NULL;
    char *oerr = NULL;
    if (get_oracle(ts, t->ci, c, t->method, t->p, &ov, &oerr) < 0) {
        t->res.status = MPC_ERROR;
        set_detail(&t->res, oerr);
        return;
    }
    mpc_tally_t tally = {0};
    run_repeats(ts, t, c, ov, &tally);
    judge_cell(ts->s, t, &tally);
}

/* ------------------------------------------------------------------- pool */

static void *worker(void *arg)
{
    mpc_taskset_t *ts = arg;
    mpc_session_t *s = ts->s;
    for (;;) {
        pthread_mutex_lock(&s->lock);
        size_t i = ts->next++;
        pthread_mutex_unlock(&s->lock);
        if (i >= ts->n)
            break;
        do_task(ts, &ts->v[i]);
        pthread_mutex_lock(&s->lock);
        if (ts->con)
            mpc_console_cell(ts->con, &ts->v[i].res);
        pthread_mutex_unlock(&s->lock);
    }
    return NULL;
}

void mpc_tasks_run(mpc_taskset_t *ts)
{
    int n = ts->s->o.jobs < (int)ts->n ? ts->s->o.jobs : (int)ts->n;
    if (n < 1)
        n = 1;
    pthread_t *th = mpc_xcalloc((size_t)n, sizeof *th);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, WORKER_STACK);
    for (int i = 0; i < n; i++)
        if (pthread_create(&th[i], &attr, worker, ts) != 0)
            mpc_die("cannot start a worker thread");
    for (int i = 0; i < n; i++)
        pthread_join(th[i], NULL);
    pthread_attr_destroy(&attr);
    free(th);
    if (ts->con)
        mpc_console_end(ts->con);
}

void mpc_tasks_make(mpc_taskset_t *ts, mpc_session_t *s, mpc_profile_t **sel,
                    size_t nsel, const mpc_strv_t *methods)
{
    ts->s = s;
    /* each implementation's oracle and version, each case at them */
    mpc_session_versions(s, sel, nsel);
    ts->nvers = s->nvers;
    ts->n = s->ncases * nsel * methods->n;
    ts->v = mpc_xcalloc(ts->n + 1, sizeof *ts->v);
    ts->slots = mpc_xcalloc(s->ncases * ts->nvers * 3 + 1, sizeof *ts->slots);
    for (size_t i = 0; i < s->ncases * ts->nvers * 3; i++)
        pthread_mutex_init(&ts->slots[i].m, NULL);
    size_t k = 0;
    for (size_t ci = 0; ci < s->ncases; ci++)
        for (size_t pi = 0; pi < nsel; pi++)
            for (size_t mi = 0; mi < methods->n; mi++) {
                mpc_task_t *t = &ts->v[k++];
                t->ci = ci;
                t->p = sel[pi];
                t->method = methods->v[mi];
                t->res.case_id = mpc_xstrdup(s->cases[ci].id);
                t->res.impl = mpc_xstrdup(sel[pi]->name);
                t->res.method = mpc_xstrdup(methods->v[mi]);
                t->res.detail = mpc_xstrdup("");
                t->res.out = mpc_xstrdup("");
                t->res.err = mpc_xstrdup("");
            }
}

void mpc_tasks_free(mpc_taskset_t *ts)
{
    for (size_t i = 0; i < ts->n; i++) {
        mpc_result_t *r = &ts->v[i].res;
        free(r->case_id);
        free(r->impl);
        free(r->method);
        free(r->detail);
        for (size_t k = 0; k < r->nleaks; k++)
            free(r->leaks[k]);
        free(r->leaks);
        mpc_mismatch_free(r->mismatch);
        free(r->out);
        free(r->err);
        mpc_captures_free(&ts->v[i].caps);
    }
    free(ts->v);
    for (size_t i = 0; ts->slots && i < ts->s->ncases * ts->nvers * 3; i++) {
        pthread_mutex_destroy(&ts->slots[i].m);
        mpc_oracle_vals_free(&ts->slots[i].vals);
        free(ts->slots[i].err);
    }
    free(ts->slots);
    memset(ts, 0, sizeof *ts);
}
