/* profile.c - implementation profiles (PROFILES.md). */
#include "profile.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    char *text = mpc_read_file(path, NULL);
    if (!text) {
        *err = mpc_xasprintf("%s:0: cannot read: %s", path, strerror(errno));
        mpc_profile_free(p);
        return -1;
    }
    int no = 0, rc = 0, have_methods = 0;
    char *kf = NULL;
    int kf_line = 0;
    const char *s = text;
    while (*s && rc == 0) {
        const char *e = strchr(s, '\n');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        char *line = mpc_trim(mpc_xstrndup(s, n));
        s += n + (e ? 1 : 0);
        no++;
        if (!*line || *line == '#') {
            free(line);
            continue;
        }
        char *colon = strchr(line, ':');
        if (!colon || (colon[1] != ' ' && colon[1] != '\0')) {
            *err = mpc_xasprintf("%s:%d: expected 'key: value', got '%s'", path,
                                 no, line);
            rc = -1;
            free(line);
            break;
        }
        *colon = '\0';
        const char *key = line;
        char *val = mpc_trim(colon + 1);
        if (!*val) {
            *err = mpc_xasprintf("%s:%d: empty '%s:' field", path, no, key);
            rc = -1;
        } else if (strcmp(key, "name") == 0) {
            free(p->name);
            p->name = mpc_xstrdup(val);
        } else if (strcmp(key, "description") == 0) {
            free(p->description);
            p->description = mpc_xstrdup(val);
        } else if (strcmp(key, "oracle") == 0) {
            p->oracle = strcmp(val, "yes") == 0;
        } else if (strcmp(key, "command") == 0) {
            mpc_strv_free(&p->command);
            split_words(val, &p->command);
        } else if (strcmp(key, "probe") == 0) {
            mpc_strv_free(&p->probe);
            split_words(val, &p->probe);
        } else if (strcmp(key, "version") == 0) {
            mpc_strv_free(&p->version);
            split_words(val, &p->version);
        } else if (strcmp(key, "requires") == 0) {
            free(p->requires);
            p->requires = mpc_xstrdup(val);
        } else if (strcmp(key, "methods") == 0) {
            have_methods = 1;
            mpc_strv_free(&p->methods);
            mpc_strv_split(&p->methods, val, " \t,");
        } else if (strcmp(key, "env") == 0) {
            if (!strchr(val, '=') || val[0] == '=') {
                *err = mpc_xasprintf("%s:%d: want 'env: NAME=VALUE'", path, no);
                rc = -1;
            } else {
                mpc_strv_pushdup(&p->env, val);
            }
        } else if (strcmp(key, "timeout") == 0) {
            char *e;
            p->timeout = strtod(val, &e);
            if (e == val || *e || !(p->timeout > 0)) {
                *err = mpc_xasprintf("%s:%d: bad timeout '%s' (seconds > 0)",
                                     path, no, val);
                rc = -1;
            }
        } else if (strcmp(key, "known-failures") == 0) {
            free(kf);
            kf = mpc_xstrdup(val);
            kf_line = no;
        } else {
            *err = mpc_xasprintf(
                "%s:%d: unknown field '%s' (name, description, oracle, "
                "command, probe, version, requires, methods, env, "
                "timeout, known-failures)",
                path, no, key);
            rc = -1;
        }
        free(line);
    }
    free(text);
    if (rc == 0 && !p->name) {
        *err = mpc_xasprintf("%s:1: missing 'name:'", path);
        rc = -1;
    }
    if (rc == 0 && !p->command.n) {
        *err = mpc_xasprintf("%s:1: missing 'command:'", path);
        rc = -1;
    }
    if (rc == 0 && !have_methods) {
        mpc_strv_pushdup(&p->methods, "fork");
        mpc_strv_pushdup(&p->methods, "spawn");
        mpc_strv_pushdup(&p->methods, "forkserver");
    }
    if (rc == 0 && kf) {
        p->known_failures =
            kf[0] == '/' ? mpc_xstrdup(kf) : mpc_xasprintf("%s/%s", p->dir, kf);
        if (load_known(p, p->known_failures, err) < 0) {
            (void)kf_line;
            rc = -1;
        }
    }
    free(kf);
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
                                             const char *method, int status)
{
    const mpc_known_failure_t *first = NULL, *best = NULL;
    for (size_t i = 0; i < p->nkf; i++) {
        const mpc_known_failure_t *k = &p->kf[i];
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
