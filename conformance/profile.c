/* profile.c - implementation profiles (PROFILES.md). */
#include "profile.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "results.h"

/* Split on blanks; `\x20` inside a word stands for a space. */
static void split_words(const char *s, mpc_strv_t *out)
{
    mpc_strv_t raw = {0};
    mpc_strv_split(&raw, s, " \t");
    for (size_t i = 0; i < raw.n; i++) {
        mpc_buf_t b;
        mpc_buf_init(&b);
        for (const char *q = raw.v[i]; *q; q++) {
            if (strncmp(q, "\\x20", 4) == 0) {
                mpc_buf_addc(&b, ' ');
                q += 3;
            } else {
                mpc_buf_addc(&b, *q);
            }
        }
        mpc_strv_push(out, mpc_buf_take(&b));
    }
    mpc_strv_free(&raw);
}

static int load_known(mpc_profile_t *p, const char *path, char **err)
{
    char *text = mpc_read_file(path, NULL);
    if (!text) {
        *err = mpc_xasprintf("%s:0: cannot read known-failures file: %s", path,
                             strerror(errno));
        return -1;
    }
    int no = 0, rc = 0;
    char *save = NULL, *line;
    char *cur = text;
    while (rc == 0 && (line = strtok_r(cur, "\n", &save)) != NULL) {
        cur = NULL;
        no++;
        mpc_trim(line);
        if (!*line || *line == '#')
            continue;
        /* `since 3.12: LINE`: a line for some versions only */
        mpc_vqual_t vq;
        const char *after;
        int has_vq = mpc_vqual_parse(line, &vq, &after) && *after == ':';
        if (has_vq)
            line = (char *)after + 1 + strspn(after + 1, " \t");
        else if (strncmp(line, "since ", 6) == 0 ||
                 strncmp(line, "until ", 6) == 0 ||
                 strncmp(line, "python ", 7) == 0) {
            *err = mpc_xasprintf("%s:%d: bad version qualifier (want 'since "
                                 "X.Y: ', 'until X.Y: ' or 'python X.Y: ')",
                                 path, no);
            rc = -1;
            break;
        }
        mpc_strv_t w = {0};
        mpc_strv_split(&w, line, " \t");
        /* "timeout?": the failure happens in some runs only */
        int intermittent = 0;
        if (w.n >= 3 && w.v[2][0] && w.v[2][strlen(w.v[2]) - 1] == '?') {
            w.v[2][strlen(w.v[2]) - 1] = '\0';
            intermittent = 1;
        }
        int st = w.n >= 3 ? mpc_status_parse(w.v[2]) : -1;
        if (w.v && w.v[0][0] == '!' && w.n >= 2) {
            /* an exception: the cells it matches are not known failures */
            p->kf = mpc_xrealloc(p->kf, (p->nkf + 1) * sizeof *p->kf);
            mpc_known_failure_t *k = &p->kf[p->nkf++];
            k->case_glob = mpc_xstrdup(w.v[0] + 1);
            k->method = mpc_xstrdup(w.v[1]);
            k->status = -1;
            k->intermittent = 0;
            k->reason = mpc_xstrdup("");
            k->has_vq = has_vq;
            k->vq = vq;
        } else if (w.n < 4 || st < 0 || st == MPC_PASS || st == MPC_SKIP ||
                   st == MPC_MISSING || st == MPC_XFAIL || st == MPC_XPASS) {
            *err = mpc_xasprintf(
                "%s:%d: want 'CASE-ID METHOD STATUS REASON...' with STATUS "
                "fail, timeout, crash, error or flaky (with '?' when "
                "some runs pass)",
                path, no);
            rc = -1;
        } else if (strcmp(w.v[1], "*") && strcmp(w.v[1], "fork") &&
                   strcmp(w.v[1], "spawn") && strcmp(w.v[1], "forkserver")) {
            *err = mpc_xasprintf(
                "%s:%d: bad method '%s' (fork, spawn, forkserver or *)", path,
                no, w.v[1]);
            rc = -1;
        } else {
            p->kf = mpc_xrealloc(p->kf, (p->nkf + 1) * sizeof *p->kf);
            mpc_known_failure_t *k = &p->kf[p->nkf++];
            k->case_glob = mpc_xstrdup(w.v[0]);
            k->method = mpc_xstrdup(w.v[1]);
            k->status = st;
            k->intermittent = intermittent;
            k->has_vq = has_vq;
            k->vq = vq;
            /* the reason: everything after the third word */
            const char *r = line;
            for (int f = 0; f < 3; f++) {
                r += strspn(r, " \t");
                r += strcspn(r, " \t");
            }
            r += strspn(r, " \t");
            k->reason = mpc_xstrdup(r);
        }
        mpc_strv_free(&w);
    }
    free(text);
    return rc;
}

/* The state of one profile file being read. */
typedef struct {
    mpc_profile_t *p;
    const char *path;
    int no;           /* the line being read */
    int have_methods; /* a methods: line was given */
    char *kf;         /* the known-failures: value, read at the end */
    char **err;
} loader_t;

/* Set *err to "PATH:LINE: " + the message, and return -1. */
static int fail(loader_t *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int fail(loader_t *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = NULL;
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    va_end(ap);
    *l->err = mpc_xasprintf("%s:%d: %s", l->path, l->no, msg ? msg : "?");
    free(msg);
    return -1;
}

static void set_str(char **field, const char *val)
{
    free(*field);
    *field = mpc_xstrdup(val);
}

static void set_words(mpc_strv_t *field, const char *val)
{
    mpc_strv_free(field);
    split_words(val, field);
}

static int profile_field(loader_t *l, const char *key, const char *val)
{
    mpc_profile_t *p = l->p;
    if (strcmp(key, "name") == 0)
        set_str(&p->name, val);
    else if (strcmp(key, "description") == 0)
        set_str(&p->description, val);
    else if (strcmp(key, "oracle") == 0)
        p->oracle = strcmp(val, "yes") == 0;
    else if (strcmp(key, "command") == 0)
        set_words(&p->command, val);
    else if (strcmp(key, "probe") == 0)
        set_words(&p->probe, val);
    else if (strcmp(key, "version") == 0)
        set_words(&p->version, val);
    else if (strcmp(key, "requires") == 0)
        set_str(&p->requires, val);
    else if (strcmp(key, "methods") == 0) {
        l->have_methods = 1;
        mpc_strv_free(&p->methods);
        mpc_strv_split(&p->methods, val, " \t,");
    } else if (strcmp(key, "env") == 0) {
        if (!strchr(val, '=') || val[0] == '=')
            return fail(l, "want 'env: NAME=VALUE'");
        mpc_strv_pushdup(&p->env, val);
    } else if (strcmp(key, "timeout") == 0) {
        char *e;
        p->timeout = strtod(val, &e);
        if (e == val || *e || !(p->timeout > 0))
            return fail(l, "bad timeout '%s' (seconds > 0)", val);
    } else if (strcmp(key, "shm-size") == 0) {
        if (mpc_parse_size(val, &p->shm_size) < 0)
            return fail(l, "bad shm-size '%s' (bytes, or with K, M, G: 512M)",
                        val);
    } else if (strcmp(key, "known-failures") == 0)
        set_str(&l->kf, val);
    else if (strcmp(key, "root") == 0)
        set_str(&p->root, val);
    else if (strcmp(key, "cpython") == 0)
        p->cpython = strcmp(val, "yes") == 0;
    else if (strcmp(key, "python-version") == 0) {
        const char *e;
        int v = mpc_pyver_parse(val, &e);
        p->pyver_fixed = 0;
        mpc_strv_free(&p->pyver_cmd);
        if (v && !*e)
            p->pyver_fixed = v;
        else if (isdigit((unsigned char)val[0]))
            return fail(l, "bad python-version '%s' (X.Y, or a command)", val);
        else
            split_words(val, &p->pyver_cmd);
    } else
        return fail(l,
                    "unknown field '%s' (name, description, oracle, "
                    "cpython, command, probe, version, python-version, "
                    "requires, methods, env, timeout, shm-size, "
                    "known-failures, root)",
                    key);
    return 0;
}

/* One line (trimmed, owned by the caller). */
static int profile_line(loader_t *l, char *line)
{
    if (!*line || *line == '#')
        return 0;
    char *colon = strchr(line, ':');
    if (!colon || (colon[1] != ' ' && colon[1] != '\0'))
        return fail(l, "expected 'key: value', got '%s'", line);
    *colon = '\0';
    char *val = mpc_trim(colon + 1);
    if (!*val)
        return fail(l, "empty '%s:' field", line);
    return profile_field(l, line, val);
}

/* The checks and defaults once every line is read. */
static int profile_finish(loader_t *l)
{
    mpc_profile_t *p = l->p;
    l->no = 1;
    if (!p->name)
        return fail(l, "missing 'name:'");
    if (!p->command.n)
        return fail(l, "missing 'command:'");
    if (!l->have_methods) {
        mpc_strv_pushdup(&p->methods, "fork");
        mpc_strv_pushdup(&p->methods, "spawn");
        mpc_strv_pushdup(&p->methods, "forkserver");
    }
    if (l->kf) {
        p->known_failures = l->kf[0] == '/'
                                ? mpc_xstrdup(l->kf)
                                : mpc_xasprintf("%s/%s", p->dir, l->kf);
        if (load_known(p, p->known_failures, l->err) < 0)
            return -1;
    }
    return 0;
}

int mpc_profile_load(const char *path, mpc_profile_t *p, char **err)
{
    memset(p, 0, sizeof *p);
    p->path = mpc_xstrdup(path);
    /* absolute: {profile_dir} is used from the case's own folder */
    char *abs = realpath(path, NULL);
    const char *ap = abs ? abs : path;
    const char *slash = strrchr(ap, '/');
    p->dir = slash ? mpc_xstrndup(ap, (size_t)(slash - ap)) : mpc_xstrdup(".");
    free(abs);
    p->reason = mpc_xstrdup("");
    loader_t l = {.p = p, .path = path, .err = err};
    char *text = mpc_read_file(path, NULL);
    int rc = text ? 0 : fail(&l, "cannot read: %s", strerror(errno));
    for (const char *s = text; rc == 0 && *s;) {
        const char *e = strchr(s, '\n');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        char *line = mpc_trim(mpc_xstrndup(s, n));
        s += n + (e ? 1 : 0);
        l.no++;
        rc = profile_line(&l, line);
        free(line);
    }
    free(text);
    if (rc == 0)
        rc = profile_finish(&l);
    free(l.kf);
    if (!p->description)
        p->description = mpc_xstrdup(p->name ? p->name : "");
    if (rc < 0)
        mpc_profile_free(p);
    return rc;
}

void mpc_profile_free(mpc_profile_t *p)
{
    free(p->path);
    free(p->dir);
    free(p->name);
    free(p->description);
    mpc_strv_free(&p->command);
    mpc_strv_free(&p->probe);
    mpc_strv_free(&p->version);
    mpc_strv_free(&p->env);
    mpc_strv_free(&p->methods);
    free(p->requires);
    free(p->known_failures);
    for (size_t i = 0; i < p->nkf; i++) {
        free(p->kf[i].case_glob);
        free(p->kf[i].method);
        free(p->kf[i].reason);
    }
    free(p->kf);
    free(p->reason);
    free(p->version_str);
    free(p->root);
    free(p->root_dir);
    mpc_strv_free(&p->pyver_cmd);
    free(p->oracle_name);
    free(p->oracle_note);
    memset(p, 0, sizeof *p);
}

char *mpc_subst(const char *s, const mpc_vars_t *v)
{
    static const char *const names[] = {
        "case_dir", "case_id", "slug", "build", "source", "shim", "profile_dir",
    };
    const char *vals[] = {v->case_dir, v->case_id, v->slug,       v->build,
                          v->source,   v->shim,    v->profile_dir};
    mpc_buf_t b;
    mpc_buf_init(&b);
    while (*s) {
        if (*s == '{') {
            const char *e = strchr(s, '}');
            int done = 0;
            for (size_t i = 0; e && i < sizeof names / sizeof *names; i++) {
                size_t n = strlen(names[i]);
                if ((size_t)(e - s - 1) == n &&
                    strncmp(s + 1, names[i], n) == 0 && vals[i]) {
                    mpc_buf_adds(&b, vals[i]);
                    s = e + 1;
                    done = 1;
                    break;
                }
            }
            if (done)
                continue;
        }
        mpc_buf_addc(&b, *s++);
    }
    return mpc_buf_take(&b);
}

void mpc_subst_argv(const mpc_strv_t *tmpl, const mpc_vars_t *v,
                    mpc_strv_t *out)
{
    for (size_t i = 0; i < tmpl->n; i++)
        mpc_strv_push(out, mpc_subst(tmpl->v[i], v));
}

const mpc_known_failure_t *mpc_profile_known(const mpc_profile_t *p,
                                             const char *case_id,
                                             const char *method, int status,
                                             int ver)
{
    const mpc_known_failure_t *first = NULL, *best = NULL;
    for (size_t i = 0; i < p->nkf; i++) {
        const mpc_known_failure_t *k = &p->kf[i];
        if (k->has_vq && !mpc_vqual_holds(&k->vq, ver))
            continue;
        if ((strcmp(k->method, "*") == 0 || strcmp(k->method, method) == 0) &&
            fnmatch(k->case_glob, case_id, 0) == 0) {
            if (k->status <
                0) { /* `!CASE METHOD`: an exception to the lines above */
                first = best = NULL;
                continue;
            }
            /* a pass is expected of an intermittent failure's line */
            if ((k->status == status ||
                 (status == MPC_PASS && k->intermittent)) &&
                !best)
                best = k;
            if (!first)
                first = k;
        }
    }
    return best ? best : first;
}

int mpc_profile_has_method(const mpc_profile_t *p, const char *method)
{
    return mpc_strv_has(&p->methods, method);
}

int mpc_choose_oracle(int ver, const int *cand, size_t n)
{
    int best = -1;
    for (size_t i = 0; ver > 0 && i < n; i++)
        if (cand[i] >= ver && (best < 0 || cand[i] < cand[best]))
            best = (int)i;
    return best;
}
