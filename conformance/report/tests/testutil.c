/*
 * testutil.c - helpers for the report unit tests (see testutil.h).
 */
#define _XOPEN_SOURCE 700

#include "testutil.h"

#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void *must(void *p)
{
    if (p == NULL) {
        fprintf(stderr, "test: out of memory\n");
        abort();
    }
    return p;
}

char *tu_strdup(const char *s)
{
    return must(strdup(s));
}

char **tu_strv(size_t n, ...)
{
    va_list ap;
    char **v = must(calloc(n ? n : 1, sizeof *v));
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        v[i] = tu_strdup(va_arg(ap, const char *));
    va_end(ap);
    return v;
}

void tu_add_result(mpc_run_t *run, const char *case_id, const char *impl,
                   const char *method, mpc_status_t st)
{
    run->results =
        must(realloc(run->results, (run->nresults + 1) * sizeof *run->results));
    mpc_result_t *r = &run->results[run->nresults++];
    memset(r, 0, sizeof *r);
    r->case_id = tu_strdup(case_id);
    r->impl = tu_strdup(impl);
    r->method = tu_strdup(method);
    r->status = st;
    r->duration_s = 0.25 * (double)run->nresults;
    r->runs = r->passes = 1;
    r->detail = tu_strdup("");
    r->out = tu_strdup("");
    r->err = tu_strdup("");
}

static mpc_mismatch_t *mismatch(const char *expected, const char *actual,
                                const char *relation)
{
    mpc_mismatch_t *m = must(calloc(1, sizeof *m));
    m->stream = tu_strdup("stdout");
    m->line = 3;
    m->expected = tu_strdup(expected);
    m->actual = tu_strdup(actual);
    m->relation = tu_strdup(relation);
    m->values = tu_strdup(relation[0] ? "t1=1.5, t2=1.75" : "");
    return m;
}

static void sample_header(mpc_run_t *run)
{
    run->generated = tu_strdup("2026-11-23T18:30:00Z");
    run->runner_version = tu_strdup("0.1.0");
    run->time_scale = 0.1;
    run->jobs = 2;
    run->repeat = 1;
    run->shard = tu_strdup("1/1");
    run->argv = tu_strv(3, "run", "--impl", "cpython,ref");
    run->argc = 3;
    run->oracle_impl = tu_strdup("cpython");
    run->oracle_version = tu_strdup("3.11.2");
    run->oracle_mode = tu_strdup("recorded");
    run->nimpls = 2;
    run->impls = must(calloc(2, sizeof *run->impls));
    run->impls[0] =
        (mpc_impl_info_t){.name = tu_strdup("cpython"),
                          .description = tu_strdup("CPython /usr/bin/python3"),
                          .installed = 1,
                          .reason = tu_strdup(""),
                          .methods = tu_strv(2, "fork", "spawn"),
                          .nmethods = 2};
    run->impls[1] = (mpc_impl_info_t){
        .name = tu_strdup("ref"),
        .description = tu_strdup("libmpref \"C\" <reference>"),
        .installed = 1,
        .reason = tu_strdup(""),
        .methods = tu_strv(1, "fork"),
        .nmethods = 1};
    run->ncases = 3;
    run->cases = must(calloc(3, sizeof *run->cases));
    run->cases[0] = (mpc_case_info_t){tu_strdup("pool/map-squares"),
                                      tu_strdup("Pool(4).map squares"),
                                      tu_strdup("pool"),
                                      tu_strdup("000_x.txt \xc2\xa7 Pool"),
                                      tu_strv(2, "Pool", "Pool.map"),
                                      2,
                                      NULL,
                                      NULL,
                                      NULL,
                                      0};
    run->cases[1] = (mpc_case_info_t){
        tu_strdup("sync/barrier-timestamps"),
        tu_strdup("A barrier <releases> p1 & p2 \"together\""),
        tu_strdup("sync"),
        tu_strdup("spec"),
        tu_strv(1, "Barrier"),
        1,
        NULL,
        NULL,
        NULL,
        0};
    run->cases[2] = (mpc_case_info_t){tu_strdup("process/terminate-exitcode"),
                                      tu_strdup("terminate"),
                                      tu_strdup("process"),
                                      tu_strdup(""),
                                      NULL,
                                      0,
                                      NULL,
                                      NULL,
                                      NULL,
                                      0};
    run->cases[0].dir = tu_strdup("/src/cases/pool/map-squares");
    run->cases[0].document = tu_strdup("[0, 1, 4]\n<done> & \"ok\"");
}

void tu_sample_run(mpc_run_t *run)
{
    /* the fourth case is known only from its result, not from cases[] */
    static const char *const cases[] = {
        "pool/map-squares", "sync/barrier-timestamps",
        "process/terminate-exitcode", "queue/joinable-task-done"};
    static const char *const cols[][2] = {
        {"cpython", "fork"}, {"cpython", "spawn"}, {"ref", "fork"}};
    memset(run, 0, sizeof *run);
    sample_header(run);
    /* status s goes to case s % 4, column s / 4: every cell distinct (the
     * statuses up to flaky; n/a, added later, is not in the sample) */
    for (int s = 0; s <= MPC_FLAKY; s++)
        tu_add_result(run, cases[s % 4], cols[s / 4][0], cols[s / 4][1],
                      (mpc_status_t)s);
    mpc_result_t *r = run->results;
    r[MPC_FAIL].mismatch = mismatch("= 4", "5 <b>&amp;</b> 'x' \"y\"", "");
    r[MPC_FAIL].out = (free(r[MPC_FAIL].out),
                       tu_strdup("0\n1\n5\n\x01\x1f\x7f tab\there\r\n"));
    r[MPC_FAIL].err = (free(r[MPC_FAIL].err),
                       tu_strdup("Traceback \\ \xe2\x80\xa8 \xf0\x9f\x98\x80"));
    r[MPC_TIMEOUT].detail =
        (free(r[MPC_TIMEOUT].detail), tu_strdup("timeout after 60 s"));
    r[MPC_TIMEOUT].exit_status = -9;
    r[MPC_CRASH].detail =
        (free(r[MPC_CRASH].detail), tu_strdup("killed by SIGSEGV"));
    r[MPC_CRASH].exit_status = -11;
    r[MPC_XPASS].mismatch = mismatch("", "", "abs(t1 - t2) <= 0.05");
    r[MPC_FLAKY].runs = 5;
    r[MPC_FLAKY].passes = 3;
    r[MPC_MISSING].detail =
        (free(r[MPC_MISSING].detail), tu_strdup("no case.c"));
    tu_add_result(run, "process/terminate-exitcode", "ref", "fork", MPC_PASS);
    r = &run->results[run->nresults - 1];
    r->leaks = tu_strv(2, "process 1234 (python3) still alive",
                       "/dev/shm/sem.mp-abc left behind");
    r->nleaks = 2;
    r->truncated = 1;
}

static char tmpdir[64];
static char pathbuf[256];

const char *tu_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/mpc-report-test.XXXXXX");
    if (mkdtemp(tmpdir) == NULL) {
        perror("mkdtemp");
        abort();
    }
    return tmpdir;
}

const char *tu_path(const char *name)
{
    snprintf(pathbuf, sizeof pathbuf, "%s/%s", tmpdir, name);
    return pathbuf;
}

static int rm_one(const char *p, const struct stat *st, int flag,
                  struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(p);
}

void tu_rmtree(void)
{
    if (tmpdir[0] != '\0')
        nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    tmpdir[0] = '\0';
}

const char *tu_write(const char *name, const char *text, size_t len)
{
    const char *p = tu_path(name);
    FILE *f = fopen(p, "wb");
    if (f == NULL || fwrite(text, 1, len, f) != len || fclose(f) != 0) {
        perror(p);
        abort();
    }
    return p;
}

char *tu_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 4096, n = 0, got;
    char *buf = must(malloc(cap));
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0)
            buf = must(realloc(buf, cap *= 2));
    }
    fclose(f);
    buf[n] = '\0';
    if (len != NULL)
        *len = n;
    return buf;
}

size_t tu_count(const char *hay, const char *needle)
{
    size_t n = 0, len = strlen(needle);
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += len)
        n++;
    return n;
}

int tu_python_check(const char *code, const char *path)
{
    if (access("/usr/bin/python3", X_OK) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return 0;
    if (pid == 0) {
        execl("/usr/bin/python3", "python3", "-c", code, path, (char *)NULL);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        ;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static int str_eq(const char *what, const char *a, const char *b)
{
    if (strcmp(a ? a : "", b ? b : "") == 0)
        return 1;
    fprintf(stderr, "differ: %s: \"%s\" vs \"%s\"\n", what, a ? a : "",
            b ? b : "");
    return 0;
}

/* Captured output: the same bytes, NUL bytes included. */
static int bytes_eq(const char *what, const char *a, size_t alen, const char *b,
                    size_t blen)
{
    alen = mpc_output_len(a, alen);
    blen = mpc_output_len(b, blen);
    if (alen == blen && (alen == 0 || memcmp(a, b, alen) == 0))
        return 1;
    fprintf(stderr, "differ: %s: %zu vs %zu bytes\n", what, alen, blen);
    return 0;
}

static int strv_eq(const char *what, char **a, size_t na, char **b, size_t nb)
{
    if (na != nb) {
        fprintf(stderr, "differ: %s: %zu vs %zu items\n", what, na, nb);
        return 0;
    }
    for (size_t i = 0; i < na; i++)
        if (!str_eq(what, a[i], b[i]))
            return 0;
    return 1;
}

static int num_eq(const char *what, double a, double b)
{
    if (a == b)
        return 1;
    fprintf(stderr, "differ: %s: %.17g vs %.17g\n", what, a, b);
    return 0;
}

static int mismatch_eq(const mpc_mismatch_t *a, const mpc_mismatch_t *b)
{
    if (a == NULL || b == NULL) {
        if (a != b)
            fprintf(stderr, "differ: mismatch present in one only\n");
        return a == b;
    }
    return str_eq("stream", a->stream, b->stream) &&
           num_eq("line", a->line, b->line) &&
           str_eq("expected", a->expected, b->expected) &&
           str_eq("actual", a->actual, b->actual) &&
           str_eq("relation", a->relation, b->relation) &&
           str_eq("values", a->values, b->values);
}

static int result_eq(const mpc_result_t *a, const mpc_result_t *b)
{
    return str_eq("case", a->case_id, b->case_id) &&
           str_eq("impl", a->impl, b->impl) &&
           str_eq("method", a->method, b->method) &&
           num_eq("status", a->status, b->status) &&
           num_eq("duration", a->duration_s, b->duration_s) &&
           num_eq("exit", a->exit_status, b->exit_status) &&
           num_eq("runs", a->runs, b->runs) &&
           num_eq("passes", a->passes, b->passes) &&
           str_eq("detail", a->detail, b->detail) &&
           strv_eq("leaks", a->leaks, a->nleaks, b->leaks, b->nleaks) &&
           mismatch_eq(a->mismatch, b->mismatch) &&
           bytes_eq("stdout", a->out, a->out_len, b->out, b->out_len) &&
           bytes_eq("stderr", a->err, a->err_len, b->err, b->err_len) &&
           str_eq("known", a->known, b->known) &&
           num_eq("truncated", a->truncated, b->truncated);
}

static int header_eq(const mpc_run_t *a, const mpc_run_t *b)
{
    return str_eq("generated", a->generated, b->generated) &&
           str_eq("runner", a->runner_version, b->runner_version) &&
           num_eq("time_scale", a->time_scale, b->time_scale) &&
           num_eq("jobs", a->jobs, b->jobs) &&
           num_eq("repeat", a->repeat, b->repeat) &&
           str_eq("shard", a->shard, b->shard) &&
           strv_eq("argv", a->argv, a->argc, b->argv, b->argc) &&
           str_eq("oracle", a->oracle_impl, b->oracle_impl) &&
           str_eq("oracle version", a->oracle_version, b->oracle_version) &&
           str_eq("oracle mode", a->oracle_mode, b->oracle_mode);
}

int tu_run_equal(const mpc_run_t *a, const mpc_run_t *b)
{
    if (!header_eq(a, b) || !num_eq("nimpls", a->nimpls, b->nimpls) ||
        !num_eq("ncases", a->ncases, b->ncases) ||
        !num_eq("nresults", a->nresults, b->nresults))
        return 0;
    for (size_t i = 0; i < a->nimpls; i++) {
        const mpc_impl_info_t *x = &a->impls[i], *y = &b->impls[i];
        if (!str_eq("impl", x->name, y->name) ||
            !str_eq("description", x->description, y->description) ||
            !num_eq("installed", x->installed, y->installed) ||
            !str_eq("reason", x->reason, y->reason) ||
            !strv_eq("methods", x->methods, x->nmethods, y->methods,
                     y->nmethods))
            return 0;
    }
    for (size_t i = 0; i < a->ncases; i++) {
        const mpc_case_info_t *x = &a->cases[i], *y = &b->cases[i];
        if (!str_eq("id", x->id, y->id) ||
            !str_eq("title", x->title, y->title) ||
            !str_eq("area", x->area, y->area) ||
            !str_eq("source", x->source, y->source) ||
            !str_eq("dir", x->dir, y->dir) ||
            !str_eq("document", x->document, y->document) ||
            !strv_eq("primitives", x->primitives, x->nprimitives, y->primitives,
                     y->nprimitives))
            return 0;
    }
    for (size_t i = 0; i < a->nresults; i++)
        if (!result_eq(&a->results[i], &b->results[i]))
            return 0;
    return 1;
}

static int saved_stderr = -1;

void tu_stderr_off(void)
{
    fflush(stderr);
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    saved_stderr = dup(2);
    if (null >= 0) {
        dup2(null, 2);
        close(null);
    }
}

void tu_stderr_on(void)
{
    fflush(stderr);
    if (saved_stderr >= 0) {
        dup2(saved_stderr, 2);
        close(saved_stderr);
        saved_stderr = -1;
    }
}
