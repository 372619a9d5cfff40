/* cmd_coverage.c - `mpconform coverage` (see cmd_coverage.h). */
#include "cmd_coverage.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "case.h"
#include "cmd.h"

int mpc_suite_load(const char *path, mpc_suite_t *s, char **err)
{
    memset(s, 0, sizeof *s);
    char *text = mpc_read_file(path, NULL);
    if (!text) {
        *err = mpc_xasprintf("%s:0: cannot read: %s", path, strerror(errno));
        return -1;
    }
    int no = 0;
    char *save = NULL;
    for (char *line = text, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        no++;
        char *t = mpc_trim(line);
        if (!*t || *t == '#')
            continue;
        char *name = strtok_r(t, " \t", &save);
        char *group = strtok_r(NULL, " \t", &save);
        char *scope = strtok_r(NULL, " \t", &save);
        char *reason = scope ? strtok_r(NULL, "", &save) : NULL;
        if (reason)
            reason = mpc_trim(reason);
        const char *bad = NULL;
        if (!scope)
            bad = "want 'NAME GROUP in' or 'NAME GROUP out REASON'";
        else if (!mpc_covers_name_ok(name))
            bad = "bad method name (want Class.test_method)";
        else if (strcmp(scope, "in") == 0 && reason && *reason)
            bad = "an in-scope method takes no reason";
        else if (strcmp(scope, "out") == 0 && !(reason && *reason))
            bad = "an out-of-scope method needs its reason";
        else if (strcmp(scope, "in") != 0 && strcmp(scope, "out") != 0)
            bad = "scope is 'in' or 'out'";
        else if (mpc_suite_find(s, name))
            bad = "method listed twice";
        if (bad) {
            *err = mpc_xasprintf("%s:%d: %s", path, no, bad);
            free(text);
            mpc_suite_free(s);
            return -1;
        }
        s->v = mpc_xrealloc(s->v, (s->n + 1) * sizeof *s->v);
        mpc_suite_method_t *m = &s->v[s->n++];
        m->name = mpc_xstrdup(name);
        m->group = mpc_xstrdup(group);
        m->reason = strcmp(scope, "out") == 0 ? mpc_xstrdup(reason) : NULL;
        m->covered = 0;
    }
    free(text);
    if (!s->n) {
        *err = mpc_xasprintf("%s:0: lists no method", path);
        return -1;
    }
    return 0;
}

void mpc_suite_free(mpc_suite_t *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].name);
        free(s->v[i].group);
        free(s->v[i].reason);
    }
    free(s->v);
    s->v = NULL;
    s->n = 0;
}

mpc_suite_method_t *mpc_suite_find(const mpc_suite_t *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i].name, name) == 0)
            return &s->v[i];
    return NULL;
}

static int only_dirs(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

/* The folders below dir, sorted; the caller frees. */
static int subdirs(const char *dir, struct dirent ***list)
{
    return scandir(dir, list, only_dirs, alphasort);
}

/* Count one case's covers: into s; 1 on an unknown name or a bad case. */
static int count_case(const char *cases_root, const char *path, mpc_suite_t *s,
                      FILE *err)
{
    mpc_case_t c;
    char *e = NULL;
    if (mpc_case_load(path, cases_root, &c, &e) < 0) {
        fprintf(err, "%s\n", e);
        free(e);
        return 1;
    }
    int bad = 0;
    for (size_t i = 0; i < c.covers.n; i++) {
        mpc_suite_method_t *m = mpc_suite_find(s, c.covers.v[i]);
        if (!m) {
            fprintf(err,
                    "%s: covers '%s', which is not a method of "
                    "conformance/cpython-suite.txt\n",
                    path, c.covers.v[i]);
            bad = 1;
        } else {
            m->covered++;
        }
    }
    mpc_case_free(&c);
    return bad;
}

int mpc_coverage_report(const char *cases_root, const char *suite_path,
                        FILE *out, FILE *err)
{
    mpc_suite_t s;
    char *e = NULL;
    if (mpc_suite_load(suite_path, &s, &e) < 0) {
        fprintf(err, "%s\n", e);
        free(e);
        return 2;
    }
    int bad = 0;
    size_t ncases = 0;
    struct dirent **areas = NULL;
    int na = subdirs(cases_root, &areas);
    if (na < 0) {
        fprintf(err, "%s: %s\n", cases_root, strerror(errno));
        mpc_suite_free(&s);
        return 2;
    }
    for (int a = 0; a < na; a++) {
        char *adir = mpc_xasprintf("%s/%s", cases_root, areas[a]->d_name);
        struct dirent **names = NULL;
        int nn = subdirs(adir, &names);
        for (int k = 0; k < nn; k++) {
            char *path =
                mpc_xasprintf("%s/%s/case.exp", adir, names[k]->d_name);
            struct stat st;
            if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
                bad |= count_case(cases_root, path, &s, err);
                ncases++;
            }
            free(path);
            free(names[k]);
        }
        free(names);
        free(adir);
        free(areas[a]);
    }
    free(areas);

    /* groups in the order the list first names them */
    mpc_strv_t groups = {0};
    for (size_t i = 0; i < s.n; i++)
        if (!mpc_strv_has(&groups, s.v[i].group))
            mpc_strv_pushdup(&groups, s.v[i].group);
    fprintf(out,
            "CPython's test methods named by the covers: of %zu cases (%s)\n\n"
            "%-18s %8s %8s %12s %6s\n",
            ncases, suite_path, "group", "in scope", "covered", "not covered",
            "out");
    size_t tin = 0, tcov = 0, tout = 0;
    for (size_t g = 0; g < groups.n; g++) {
        size_t in = 0, cov = 0, o = 0;
        for (size_t i = 0; i < s.n; i++) {
            if (strcmp(s.v[i].group, groups.v[g]) != 0)
                continue;
            if (s.v[i].reason)
                o++;
            else {
                in++;
                cov += s.v[i].covered > 0;
            }
        }
        fprintf(out, "%-18s %8zu %8zu %12zu %6zu\n", groups.v[g], in, cov,
                in - cov, o);
        tin += in;
        tcov += cov;
        tout += o;
    }
    fprintf(out, "%-18s %8zu %8zu %12zu %6zu\n", "all", tin, tcov, tin - tcov,
            tout);
    if (tcov < tin) {
        fprintf(out, "\nin scope, covered by no case:\n");
        for (size_t g = 0; g < groups.n; g++)
            for (size_t i = 0; i < s.n; i++)
                if (strcmp(s.v[i].group, groups.v[g]) == 0 && !s.v[i].reason &&
                    !s.v[i].covered)
                    fprintf(out, "  %-16s %s\n", groups.v[g], s.v[i].name);
    }
    int first = 1;
    for (size_t i = 0; i < s.n; i++)
        if (s.v[i].reason && s.v[i].covered) {
            if (first)
                fprintf(out, "\nout of scope, yet named by a case:\n");
            first = 0;
            fprintf(out, "  %-16s %s (%s)\n", s.v[i].group, s.v[i].name,
                    s.v[i].reason);
        }
    mpc_strv_free(&groups);
    mpc_suite_free(&s);
    return bad;
}

static int run(mpc_session_t *s)
{
    const mpc_opts_t *o = &s->o;
    if (o->args.n > 1) {
        /* not mpc_die: the unit test links this file without session.c */
        fprintf(stderr, "mpconform: coverage: want at most one LIST (a "
                        "cpython-suite.txt)\n");
        return 2;
    }
    char *suite = o->args.n ? mpc_xstrdup(o->args.v[0])
                            : mpc_xasprintf("%s/conformance/cpython-suite.txt",
                                            o->source);
    int rc = mpc_coverage_report(o->cases_root, suite, stdout, stderr);
    free(suite);
    return rc;
}

const mpc_command_t mpc_cmd_coverage = {
    .name = "coverage",
    .args = "[LIST]",
    .summary = "CPython's test methods the cases' covers: name",
    .help = "Count the covers: fields of every case against LIST (default\n"
            "SOURCE/conformance/cpython-suite.txt, every test method of\n"
            "CPython's _test_multiprocessing.py with its group and scope):\n"
            "per group, the in-scope methods covered and not covered, then\n"
            "each in-scope method no case covers.\n",
    .groups = MPC_OPTG_ROOT,
    .exits = "0  counted\n"
             "1  a case is malformed or names a method LIST does not hold\n"
             "2  LIST or the cases folder cannot be read; usage error\n",
    .run = run,
};
