/*
 * session.c - the cases and profiles of one invocation (session.h).
 */
#include "session.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec.h"

void mpc_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("mpconform: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

int mpc_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int mpc_file_exists(const char *dir, const char *name)
{
    char *p = mpc_xasprintf("%s/%s", dir, name);
    int ok = access(p, F_OK) == 0;
    free(p);
    return ok;
}

/* ------------------------------------------------------------------ cases */

/* nftw has no user pointer: the one walk in progress collects here. */
static mpc_strv_t *found;

static int found_cb(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag == FTW_F) {
        const char *b = strrchr(path, '/');
        if (b && strcmp(b + 1, "case.exp") == 0)
            mpc_strv_pushdup(found, path);
    }
    return 0;
}

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

static int selected_area(const mpc_opts_t *o, const char *id)
{
    if (!o->areas.n)
        return 1;
    const char *slash = strchr(id, '/');
    size_t al = slash ? (size_t)(slash - id) : strlen(id);
    for (size_t i = 0; i < o->areas.n; i++)
        if (strlen(o->areas.v[i]) == al && strncmp(o->areas.v[i], id, al) == 0)
            return 1;
    return 0;
}

/* --filter GLOB selects, --filter '!GLOB' excludes; --area; not --shard. */
static int selected_id(const mpc_opts_t *o, const char *id)
{
    int includes = 0, any = 0;
    for (size_t i = 0; i < o->filters.n; i++) {
        const char *g = o->filters.v[i];
        if (g[0] == '!') {
            if (fnmatch(g + 1, id, 0) == 0)
                return 0;
            continue;
        }
        includes++;
        any |= fnmatch(g, id, 0) == 0;
    }
    if (includes && !any)
        return 0;
    return selected_area(o, id);
}

static int in_shard(const mpc_opts_t *o, const char *id)
{
    return o->shard_n <= 1 ||
           (int)(fnv1a(id) % (uint64_t)o->shard_n) == o->shard_k - 1;
}

void mpc_session_load_cases(mpc_session_t *s, int select)
{
    const mpc_opts_t *o = &s->o;
    struct stat st;
    if (stat(o->cases_root, &st) < 0 || !S_ISDIR(st.st_mode))
        mpc_die("no cases folder '%s' (use --source or --cases)",
                o->cases_root);
    mpc_strv_t files = {0};
    found = &files;
    nftw(o->cases_root, found_cb, 32, FTW_PHYS);
    found = NULL;
    if (files.n)
        qsort(files.v, files.n, sizeof *files.v, mpc_cmp_str);
    s->cases = mpc_xcalloc(files.n + 1, sizeof *s->cases);
    size_t rl = strlen(o->cases_root);
    for (size_t i = 0; i < files.n; i++) {
        const char *path = files.v[i];
        const char *slash = strrchr(path, '/');
        char *dir = mpc_xstrndup(path, (size_t)(slash - path));
        const char *id = strlen(dir) > rl ? dir + rl + 1 : dir;
        if (select && !selected_id(o, id)) {
            free(dir);
            continue;
        }
        s->nunsharded++;
        if (select && !in_shard(o, id)) {
            free(dir);
            continue;
        }
        mpc_case_ent_t *ce = &s->cases[s->ncases++];
        ce->id = mpc_xstrdup(id);
        ce->dir = dir;
        ce->file = mpc_xstrdup(path);
        ce->ok = mpc_case_load(path, o->cases_root, &ce->c, &ce->err) == 0;
    }
    mpc_strv_free(&files);
}

/* --------------------------------------------------------------- profiles */

static void add_profile(mpc_session_t *s, const char *path, int explicit_)
{
    mpc_profile_t p;
    char *err = NULL;
    if (mpc_profile_load(path, &p, &err) < 0) {
        if (explicit_)
            mpc_die("%s", err);
        fprintf(stderr, "mpconform: %s (profile ignored)\n", err);
        free(err);
        return;
    }
    for (size_t i = 0; i < s->nprofs; i++) {
        if (strcmp(s->profs[i].name, p.name) == 0) {
            /* a later profile overrides */
            mpc_profile_free(&s->profs[i]);
            s->profs[i] = p;
            return;
        }
    }
    s->profs = mpc_xrealloc(s->profs, (s->nprofs + 1) * sizeof *s->profs);
    s->profs[s->nprofs++] = p;
}

static void add_profile_dir(mpc_session_t *s, const char *dir)
{
    mpc_strv_t files = {0};
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            size_t n = strlen(e->d_name);
            if (n > 8 && strcmp(e->d_name + n - 8, ".profile") == 0)
                mpc_strv_push(&files, mpc_xasprintf("%s/%s", dir, e->d_name));
        }
        closedir(d);
    }
    if (files.n)
        qsort(files.v, files.n, sizeof *files.v, mpc_cmp_str);
    for (size_t i = 0; i < files.n; i++)
        add_profile(s, files.v[i], 0);
    mpc_strv_free(&files);
}

static int profile_rank(const mpc_profile_t *p)
{
    return p->oracle ? 0 : strcmp(p->name, "ref") == 0 ? 1 : 2;
}

void mpc_session_load_profiles(mpc_session_t *s)
{
    char *d = mpc_xasprintf("%s/conformance/impls", s->o.source);
    add_profile_dir(s, d);
    free(d);
    const char *env = getenv("MPCONFORM_IMPLS");
    if (env) {
        mpc_strv_t dirs = {0};
        mpc_strv_split(&dirs, env, ":");
        for (size_t i = 0; i < dirs.n; i++)
            add_profile_dir(s, dirs.v[i]);
        mpc_strv_free(&dirs);
    }
    for (size_t i = 0; i < s->o.profiles.n; i++)
        add_profile(s, s->o.profiles.v[i], 1);
    /* the oracle first, then ref, then the others (insertion sort: stable) */
    for (size_t i = 1; i < s->nprofs; i++) {
        mpc_profile_t p = s->profs[i];
        int rank = profile_rank(&p);
        size_t j = i;
        while (j > 0 && profile_rank(&s->profs[j - 1]) > rank) {
            s->profs[j] = s->profs[j - 1];
            j--;
        }
        s->profs[j] = p;
    }
}

mpc_profile_t *mpc_session_find_profile(mpc_session_t *s, const char *name)
{
    for (size_t i = 0; i < s->nprofs; i++)
        if (strcmp(s->profs[i].name, name) == 0)
            return &s->profs[i];
    return NULL;
}

mpc_profile_t *mpc_session_oracle(mpc_session_t *s)
{
    for (size_t i = 0; i < s->nprofs; i++)
        if (s->profs[i].oracle)
            return &s->profs[i];
    return NULL;
}

mpc_profile_t **mpc_session_select_profiles(mpc_session_t *s, size_t *n)
{
    const mpc_opts_t *o = &s->o;
    mpc_profile_t **sel = mpc_xcalloc(s->nprofs + o->impls.n + 1, sizeof *sel);
    *n = 0;
    if (!o->impls.n) {
        for (size_t i = 0; i < s->nprofs; i++)
            sel[(*n)++] = &s->profs[i];
        return sel;
    }
    for (size_t i = 0; i < o->impls.n; i++) {
        mpc_profile_t *p = mpc_session_find_profile(s, o->impls.v[i]);
        if (!p) {
            fprintf(stderr,
                    "mpconform: no profile named '%s'; known:", o->impls.v[i]);
            for (size_t k = 0; k < s->nprofs; k++)
                fprintf(stderr, " %s", s->profs[k].name);
            fputc('\n', stderr);
            exit(2);
        }
        sel[(*n)++] = p;
    }
    return sel;
}

void mpc_build_env(mpc_strv_t *env, const mpc_profile_t *p, const char *method,
                   double scale, int unbuffered, const mpc_vars_t *v)
{
    const char *home = getenv("HOME");
    mpc_strv_pushdup(env, "PATH=/usr/local/bin:/usr/bin:/bin");
    mpc_strv_push(env, mpc_xasprintf("HOME=%s", home && *home ? home : "/"));
    mpc_strv_pushdup(env, "LANG=C.UTF-8");
    mpc_strv_pushdup(env, "LC_ALL=C.UTF-8");
    if (scale > 0)
        mpc_strv_push(env, mpc_xasprintf("MP_TIME_SCALE=%g", scale));
    if (method)
        mpc_strv_push(env, mpc_xasprintf("MP_START_METHOD=%s", method));
    if (unbuffered) {
        mpc_strv_pushdup(env, "MP_UNBUFFERED=1");
        mpc_strv_pushdup(env, "PYTHONUNBUFFERED=1");
    }
    for (size_t i = 0; p && i < p->env.n; i++) {
        char *kv = mpc_subst(p->env.v[i], v);
        size_t kl = (size_t)(strchr(kv, '=') - kv);
        size_t j;
        for (j = 0; j < env->n; j++)
            if (strncmp(env->v[j], kv, kl + 1) == 0)
                break;
        if (j < env->n) {
            free(env->v[j]);
            env->v[j] = kv;
        } else {
            mpc_strv_push(env, kv);
        }
    }
}

static char *first_line(const char *a, const char *b)
{
    const char *s = (a && *a) ? a : (b ? b : "");
    size_t n = strcspn(s, "\n");
    return mpc_xstrndup(s, n > 200 ? 200 : n);
}

/* Is path (absolute, normalised) dir or inside it? */
static int path_within(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    return strncmp(path, dir, n) == 0 &&
           (path[n] == '/' || path[n] == '\0' || (n == 1 && dir[0] == '/'));
}

void mpc_session_binds(const mpc_session_t *s, const mpc_profile_t *p,
                       mpc_strv_t *out)
{
    const mpc_opts_t *o = &s->o;
    const char *want[] = {o->source, o->build, o->cases_root,
                          o->shim,   p->dir,   o->report};
    mpc_strv_t abs = {0};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        /* a folder that does not exist (yet: the report) is not bound */
        char *a = want[i] ? realpath(want[i], NULL) : NULL;
        if (a)
            mpc_strv_push(&abs, a);
    }
    for (size_t i = 0; i < abs.n; i++) {
        int inside = 0;
        for (size_t j = 0; j < abs.n && !inside; j++)
            inside = j != i && path_within(abs.v[i], abs.v[j]) &&
                     (strcmp(abs.v[i], abs.v[j]) || j < i);
        if (!inside)
            mpc_strv_pushdup(out, abs.v[i]);
    }
    mpc_strv_free(&abs);
}

/* Run one of the profile's commands (probe, version) with a 60 s cap,
 * inside its root if it has one. */
static void run_profile_cmd(const mpc_session_t *s, const mpc_profile_t *p,
                            const mpc_strv_t *tmpl, const mpc_vars_t *v,
                            char *const *env, mpc_exec_result_t *r)
{
    mpc_strv_t argv = {0}, binds = {0};
    mpc_subst_argv(tmpl, v, &argv);
    if (p->root_dir)
        mpc_session_binds(s, p, &binds);
    const mpc_exec_opts_t eo = {
        .argv = argv.v,
        .envp = env,
        .timeout = 60,
        .grace = 0.5,
        .root = p->root_dir,
        .binds = binds.v,
    };
    mpc_exec_run(&eo, r);
    mpc_strv_free(&argv);
    mpc_strv_free(&binds);
}

/* p->root_dir from root: (substituted; relative to the build folder).
 * 0, or -1 with p->reason when the profile cannot run: the root is not
 * there, or this runner cannot enter one. */
static int resolve_root(const mpc_session_t *s, mpc_profile_t *p,
                        const mpc_vars_t *v)
{
    char *r = mpc_subst(p->root, v);
    char *path =
        r[0] == '/' ? mpc_xstrdup(r) : mpc_xasprintf("%s/%s", s->o.build, r);
    free(r);
    struct stat st;
    free(p->reason);
    p->reason = NULL;
    if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
        const char *base = strrchr(path, '/');
        p->reason = mpc_xasprintf("root not built: run ./scripts/setup "
                                  "--roots %s (no folder %s)",
                                  base ? base + 1 : path, path);
    } else if (mpc_exec_no_root()) {
        p->reason = mpc_xstrdup(mpc_exec_no_root());
    } else {
        p->root_dir = realpath(path, NULL);
        if (!p->root_dir)
            p->reason = mpc_xasprintf("root %s: %s", path, strerror(errno));
    }
    free(path);
    if (!p->reason) {
        p->reason = mpc_xstrdup("");
        return 0;
    }
    p->root_unusable = 1;
    return -1;
}

static char *probe_reason(const mpc_exec_result_t *r)
{
    if (r->start_error)
        return mpc_xasprintf("probe failed: %s", r->start_error);
    if (r->timed_out)
        return mpc_xstrdup("probe failed: timeout");
    char *l = first_line(r->out.s, r->err.s);
    char *why = *l ? mpc_xasprintf("probe failed: %s", l)
                   : mpc_xasprintf("probe failed: exit %d", r->exit_status);
    free(l);
    return why;
}

void mpc_session_probe(mpc_session_t *s, mpc_profile_t *p)
{
    if (p->probed)
        return;
    p->probed = 1;
    const mpc_opts_t *o = &s->o;
    const mpc_vars_t v = {
        .case_dir = "",
        .case_id = "",
        .slug = "",
        .build = o->build,
        .source = o->source,
        .shim = o->shim,
        .profile_dir = p->dir,
    };
    if (p->root && resolve_root(s, p, &v) < 0) {
        p->installed = 0;
        return;
    }
    mpc_strv_t env = {0};
    mpc_build_env(&env, p, NULL, 0, 0, &v);
    p->installed = 1;
    mpc_exec_result_t r;
    if (p->probe.n) {
        run_profile_cmd(s, p, &p->probe, &v, env.v, &r);
        if (r.start_error || r.timed_out || r.exit_status != 0) {
            p->installed = 0;
            free(p->reason);
            p->reason = probe_reason(&r);
        }
        mpc_exec_result_free(&r);
    }
    if (p->installed && p->version.n) {
        run_profile_cmd(s, p, &p->version, &v, env.v, &r);
        if (!r.start_error && !r.timed_out && r.exit_status == 0)
            p->version_str = first_line(r.out.s, r.err.s);
        mpc_exec_result_free(&r);
    }
    /* the Python language version: fixed, from its command, or (a CPython)
     * the leading X.Y of its version line */
    if (p->pyver_fixed) {
        p->pyver = p->pyver_fixed;
    } else if (p->installed && p->pyver_cmd.n) {
        run_profile_cmd(s, p, &p->pyver_cmd, &v, env.v, &r);
        if (!r.start_error && !r.timed_out && r.exit_status == 0) {
            char *l = first_line(r.out.s, r.err.s);
            p->pyver = mpc_pyver_parse(l, NULL);
            free(l);
        }
        mpc_exec_result_free(&r);
    } else if ((p->cpython || p->oracle) && p->version_str) {
        p->pyver = mpc_pyver_parse(p->version_str, NULL);
    }
    mpc_strv_free(&env);
}

/* ---------------------------------------------------------------- versions */

const mpc_case_t *mpc_case_ent_at(const mpc_case_ent_t *ce, int ver, int *ok,
                                  const char **err)
{
    for (size_t i = 0; i < ce->nvers; i++)
        if (ce->vers[i].ver == ver) {
            *ok = ce->vers[i].ok;
            *err = ce->vers[i].err;
            return &ce->vers[i].c;
        }
    *ok = ce->ok;
    *err = ce->err;
    return &ce->c;
}

size_t mpc_session_ver_index(const mpc_session_t *s, int ver)
{
    for (size_t i = 0; i < s->nvers; i++)
        if (s->vers[i] == ver)
            return i;
    return 0;
}

static int is_cpython(const mpc_profile_t *p)
{
    return p->cpython || p->oracle;
}

/* The oracle of p among the installed CPythons of known version. */
static void choose_oracle(mpc_session_t *s, mpc_profile_t *p)
{
    char a[16], b[16];
    mpc_profile_t *def = mpc_session_oracle(s);
    free(p->oracle_name);
    free(p->oracle_note);
    p->oracle_note = NULL;
    if (is_cpython(p) && p->pyver) {
        p->oracle_name = mpc_xstrdup(p->name); /* its own */
        p->judge_ver = p->pyver;
        p->oracle_note = mpc_xstrdup("");
        return;
    }
    int *cand = mpc_xcalloc(s->nprofs + 1, sizeof *cand);
    size_t *idx = mpc_xcalloc(s->nprofs + 1, sizeof *idx), n = 0;
    for (size_t i = 0; i < s->nprofs; i++) {
        mpc_profile_t *c = &s->profs[i];
        if (is_cpython(c) && c->installed && c->pyver) {
            idx[n] = i;
            cand[n++] = c->pyver;
        }
    }
    int k = mpc_choose_oracle(p->pyver, cand, n);
    /* of two CPythons of that version (trixie's and forky's 3.13), the one
     * in the implementation's own root: the interpreter it runs on */
    for (size_t i = 0; k >= 0 && i < n; i++)
        if (cand[i] == cand[k] && p->root && s->profs[idx[i]].root &&
            strcmp(p->root, s->profs[idx[i]].root) == 0)
            k = (int)i;
    if (k >= 0) {
        mpc_profile_t *o = &s->profs[idx[k]];
        p->oracle_name = mpc_xstrdup(o->name);
        p->judge_ver = o->pyver;
        p->oracle_note =
            o->pyver == p->pyver
                ? mpc_xstrdup("")
                : mpc_xasprintf("no CPython %s: the nearest newer one, %s",
                                mpc_pyver_str(p->pyver, a),
                                mpc_pyver_str(o->pyver, b));
    } else {
        /* no CPython of its version or newer (or its version unknown) */
        p->oracle_name = mpc_xstrdup(def ? def->name : "");
        p->judge_ver = def && def->pyver ? def->pyver : MPC_PYVER_HOST;
        p->oracle_note =
            p->pyver ? mpc_xasprintf("no CPython %s or newer ran: judged "
                                     "against the default oracle at %s",
                                     mpc_pyver_str(p->pyver, a),
                                     mpc_pyver_str(p->judge_ver, b))
                     : mpc_xasprintf("Python version unknown: judged "
                                     "against the default oracle at %s",
                                     mpc_pyver_str(p->judge_ver, b));
    }
    free(cand);
    free(idx);
}

static void add_version(mpc_session_t *s, int ver)
{
    for (size_t i = 0; i < s->nvers; i++)
        if (s->vers[i] == ver)
            return;
    s->vers = mpc_xrealloc(s->vers, (s->nvers + 1) * sizeof *s->vers);
    s->vers[s->nvers++] = ver;
}

void mpc_session_versions(mpc_session_t *s, mpc_profile_t **sel, size_t nsel)
{
    for (size_t i = 0; i < s->nprofs; i++)
        if (is_cpython(&s->profs[i]))
            mpc_session_probe(s, &s->profs[i]);
    for (size_t i = 0; i < nsel; i++) {
        mpc_session_probe(s, sel[i]);
        choose_oracle(s, sel[i]);
    }
    add_version(s, MPC_PYVER_HOST);
    for (size_t i = 0; i < nsel; i++)
        add_version(s, sel[i]->judge_ver);
    for (size_t ci = 0; ci < s->ncases; ci++) {
        mpc_case_ent_t *ce = &s->cases[ci];
        for (size_t vi = 0; vi < s->nvers; vi++) {
            int ver = s->vers[vi], ok;
            const char *err;
            if (ver == MPC_PYVER_HOST ||
                mpc_case_ent_at(ce, ver, &ok, &err) != &ce->c)
                continue;
            ce->vers =
                mpc_xrealloc(ce->vers, (ce->nvers + 1) * sizeof *ce->vers);
            mpc_case_ver_t *cv = &ce->vers[ce->nvers++];
            memset(cv, 0, sizeof *cv);
            cv->ver = ver;
            cv->ok = mpc_case_load_at(ce->file, s->o.cases_root, ver, &cv->c,
                                      &cv->err) == 0;
        }
    }
}
