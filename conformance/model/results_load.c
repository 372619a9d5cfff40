/*
 * results_load.c - mpc_results_load_json: read results.json back into a
 * run (for `mpconform merge`).
 *
 * The file may come from another machine or be hand-edited, so every field
 * is type-checked and errors name the file and the JSON path, e.g.
 * "shard2.json: results[3].status: unknown status \"passed\"".  Required:
 * "schema" (exactly mpconform-results/1), the arrays "impls", "cases",
 * "results", and in each element the fields that identify it (impl name,
 * case id, result case/impl/method/status).  Other fields default to
 * empty/zero when absent; unknown keys are ignored so that a later minor
 * addition to the schema does not break an older merge.
 */
#include "results.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "model.h"

#define MAX_FILE_SIZE ((size_t)1 << 30) /* far above 1 MiB x streams */

typedef struct {
    const char *file;
    char path[160]; /* JSON path of the element being read */
} ctx_t;

static int bad(const ctx_t *c, const char *key, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "mpconform: %s: ", c->file);
    if (c->path[0] || key[0])
        fprintf(stderr, "%s%s%s: ", c->path, c->path[0] && key[0] ? "." : "",
                key);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return -1;
}

static const jv_t *member(const ctx_t *c, const jv_t *o, const char *key,
                          jtype_t t, int required, int *err)
{
    const jv_t *v = json_get(o, key);
    if (v == NULL) {
        if (required)
            *err = bad(c, key, "missing");
        return NULL;
    }
    if (v->type != t) {
        *err = bad(c, key, "%s expected, not %s", json_type_name(t),
                   json_type_name(v->type));
        return NULL;
    }
    return v;
}

/* String member into *out (heap, "" when absent and optional). */
static int get_str(const ctx_t *c, const jv_t *o, const char *key, int required,
                   char **out)
{
    int err = 0;
    const jv_t *v = member(c, o, key, J_STR, required, &err);
    if (err)
        return -1;
    *out = mdl_strdup(v ? v->str : "");
    return *out ? 0 : bad(c, key, "out of memory");
}

/* A string that may hold NUL bytes (captured output): its bytes and
 * length. */
static int get_bytes(const ctx_t *c, const jv_t *o, const char *key, char **out,
                     size_t *len)
{
    int err = 0;
    const jv_t *v = member(c, o, key, J_STR, 0, &err);
    *len = 0;
    if (err)
        return -1;
    size_t n = v ? v->len : 0;
    *out = malloc(n + 1);
    if (*out == NULL)
        return bad(c, key, "out of memory");
    if (n > 0)
        memcpy(*out, v->str, n);
    (*out)[n] = '\0';
    *len = n;
    return 0;
}

static int get_int(const ctx_t *c, const jv_t *o, const char *key, int *out)
{
    int err = 0;
    const jv_t *v = member(c, o, key, J_NUM, 0, &err);
    if (err)
        return -1;
    *out = 0;
    if (v == NULL)
        return 0;
    /* range first: converting an out-of-range double is undefined */
    if (!(v->num >= INT_MIN && v->num <= INT_MAX) ||
        v->num != (double)(int)v->num)
        return bad(c, key, "integer expected, not %g", v->num);
    *out = (int)v->num;
    return 0;
}

/* Numbers the writer stores as null when not finite read back as 0. */
static int get_double(const ctx_t *c, const jv_t *o, const char *key,
                      double *out)
{
    const jv_t *v = json_get(o, key);
    *out = 0;
    if (v == NULL || v->type == J_NULL)
        return 0;
    if (v->type != J_NUM)
        return bad(c, key, "number expected, not %s", json_type_name(v->type));
    *out = v->num;
    return 0;
}

static int get_bool(const ctx_t *c, const jv_t *o, const char *key, int *out)
{
    int err = 0;
    const jv_t *v = member(c, o, key, J_BOOL, 0, &err);
    *out = v ? v->b : 0;
    return err ? -1 : 0;
}

static int get_strv(const ctx_t *c, const jv_t *o, const char *key, char ***out,
                    size_t *n)
{
    int err = 0;
    const jv_t *v = member(c, o, key, J_ARR, 0, &err);
    *out = NULL, *n = 0;
    if (err)
        return -1;
    if (v == NULL || v->n == 0)
        return 0;
    char **a = calloc(v->n, sizeof *a);
    if (a == NULL)
        return bad(c, key, "out of memory");
    for (size_t i = 0; i < v->n; i++) {
        if (v->items[i].type != J_STR) {
            mdl_free_strv(a, i);
            return bad(c, key, "[%zu]: string expected, not %s", i,
                       json_type_name(v->items[i].type));
        }
        if ((a[i] = mdl_strdup(v->items[i].str)) == NULL) {
            mdl_free_strv(a, i);
            return bad(c, key, "out of memory");
        }
    }
    *out = a, *n = v->n;
    return 0;
}

static int load_impl(ctx_t *c, const jv_t *o, mpc_impl_info_t *im)
{
    if (get_str(c, o, "name", 1, &im->name) < 0 ||
        get_str(c, o, "description", 0, &im->description) < 0 ||
        get_bool(c, o, "installed", &im->installed) < 0 ||
        get_str(c, o, "reason", 0, &im->reason) < 0 ||
        get_str(c, o, "profile", 0, &im->profile) < 0 ||
        get_str(c, o, "root", 0, &im->root) < 0 ||
        get_strv(c, o, "methods", &im->methods, &im->nmethods) < 0 ||
        get_str(c, o, "python_version", 0, &im->python_version) < 0 ||
        get_str(c, o, "oracle", 0, &im->oracle) < 0 ||
        get_str(c, o, "oracle_note", 0, &im->oracle_note) < 0 ||
        get_str(c, o, "judged_at", 0, &im->judged_at) < 0)
        return -1;
    return 0;
}

/* A case's "changes" (absent in files written before them: none). */
static int get_changes(ctx_t *c, const jv_t *o, mpc_case_info_t *cs)
{
    int err = 0;
    const jv_t *v = member(c, o, "changes", J_ARR, 0, &err);
    if (err)
        return -1;
    if (v == NULL || v->n == 0)
        return 0;
    cs->changes = calloc(v->n, sizeof *cs->changes);
    if (cs->changes == NULL)
        return bad(c, "changes", "out of memory");
    for (size_t i = 0; i < v->n; i++) {
        const jv_t *e = &v->items[i];
        if (e->type != J_OBJ)
            return bad(c, "changes", "[%zu]: object expected, not %s", i,
                       json_type_name(e->type));
        mpc_change_info_t *ch = &cs->changes[cs->nchanges++];
        if (get_str(c, e, "title", 1, &ch->title) < 0 ||
            get_str(c, e, "version", 1, &ch->version) < 0 ||
            get_str(c, e, "before", 0, &ch->before) < 0 ||
            get_str(c, e, "after", 0, &ch->after) < 0 ||
            get_str(c, e, "why", 0, &ch->why) < 0)
            return -1;
    }
    return 0;
}

static int load_case(ctx_t *c, const jv_t *o, mpc_case_info_t *cs)
{
    if (get_str(c, o, "id", 1, &cs->id) < 0 ||
        get_str(c, o, "title", 0, &cs->title) < 0 ||
        get_str(c, o, "area", 0, &cs->area) < 0 ||
        get_str(c, o, "source", 0, &cs->source) < 0 ||
        get_strv(c, o, "primitives", &cs->primitives, &cs->nprimitives) < 0 ||
        get_str(c, o, "dir", 0, &cs->dir) < 0 ||
        get_str(c, o, "document", 0, &cs->document) < 0 ||
        get_changes(c, o, cs) < 0)
        return -1;
    return 0;
}

static int load_mismatch(ctx_t *c, const jv_t *o, mpc_mismatch_t **out)
{
    const jv_t *v = json_get(o, "mismatch");
    *out = NULL;
    if (v == NULL || v->type == J_NULL)
        return 0;
    if (v->type != J_OBJ)
        return bad(c, "mismatch", "object or null expected, not %s",
                   json_type_name(v->type));
    mpc_mismatch_t *m = calloc(1, sizeof *m);
    if (m == NULL)
        return bad(c, "mismatch", "out of memory");
    *out = m; /* owned by the result from here on, freed with it */
    size_t len = strlen(c->path);
    snprintf(c->path + len, sizeof c->path - len, ".mismatch");
    int rc = (get_str(c, v, "stream", 0, &m->stream) < 0 ||
              get_int(c, v, "line", &m->line) < 0 ||
              get_str(c, v, "expected", 0, &m->expected) < 0 ||
              get_str(c, v, "actual", 0, &m->actual) < 0 ||
              get_str(c, v, "relation", 0, &m->relation) < 0 ||
              get_str(c, v, "values", 0, &m->values) < 0)
                 ? -1
                 : 0;
    c->path[len] = '\0';
    return rc;
}

static int load_status(ctx_t *c, const jv_t *o, mpc_status_t *out)
{
    char *name = NULL;
    if (get_str(c, o, "status", 1, &name) < 0)
        return -1;
    int s = mpc_status_parse(name);
    if (s < 0)
        bad(c, "status", "unknown status \"%s\"", name);
    free(name);
    *out = s < 0 ? MPC_ERROR : (mpc_status_t)s;
    return s < 0 ? -1 : 0;
}

static int load_result(ctx_t *c, const jv_t *o, mpc_result_t *r)
{
    if (get_str(c, o, "case", 1, &r->case_id) < 0 ||
        get_str(c, o, "impl", 1, &r->impl) < 0 ||
        get_str(c, o, "method", 1, &r->method) < 0 ||
        load_status(c, o, &r->status) < 0 ||
        get_double(c, o, "duration_s", &r->duration_s) < 0 ||
        get_int(c, o, "exit", &r->exit_status) < 0 ||
        get_int(c, o, "runs", &r->runs) < 0 ||
        get_int(c, o, "passes", &r->passes) < 0 ||
        get_str(c, o, "detail", 0, &r->detail) < 0 ||
        get_strv(c, o, "leaks", &r->leaks, &r->nleaks) < 0 ||
        load_mismatch(c, o, &r->mismatch) < 0 ||
        get_bytes(c, o, "stdout", &r->out, &r->out_len) < 0 ||
        get_bytes(c, o, "stderr", &r->err, &r->err_len) < 0 ||
        get_str(c, o, "known", 0, &r->known) < 0 ||
        get_bool(c, o, "truncated", &r->truncated) < 0)
        return -1;
    return 0;
}

/* runner.shards of a merged run (optional). */
static int load_shards(ctx_t *c, const jv_t *rn, mpc_run_t *run)
{
    int err = 0;
    const jv_t *v = member(c, rn, "shards", J_ARR, 0, &err);
    if (err)
        return -1;
    if (v == NULL || v->n == 0)
        return 0;
    run->shards = calloc(v->n, sizeof *run->shards);
    if (run->shards == NULL)
        return bad(c, "shards", "out of memory");
    run->nshards = v->n;
    for (size_t i = 0; i < v->n; i++) {
        const jv_t *o = &v->items[i];
        if (o->type != J_OBJ)
            return bad(c, "shards", "[%zu]: object expected, not %s", i,
                       json_type_name(o->type));
        if (get_str(c, o, "shard", 1, &run->shards[i].shard) < 0 ||
            get_strv(c, o, "argv", &run->shards[i].argv, &run->shards[i].argc) <
                0)
            return -1;
    }
    return 0;
}

static int load_header(ctx_t *c, const jv_t *root, mpc_run_t *run)
{
    int err = 0;
    const jv_t *rn = member(c, root, "runner", J_OBJ, 0, &err);
    const jv_t *orc = member(c, root, "oracle", J_OBJ, 0, &err);
    if (err || get_str(c, root, "generated", 0, &run->generated) < 0)
        return -1;
    snprintf(c->path, sizeof c->path, "runner");
    if (get_str(c, rn, "version", 0, &run->runner_version) < 0 ||
        get_double(c, rn, "time_scale", &run->time_scale) < 0 ||
        get_int(c, rn, "jobs", &run->jobs) < 0 ||
        get_int(c, rn, "repeat", &run->repeat) < 0 ||
        get_str(c, rn, "shard", 0, &run->shard) < 0 ||
        get_strv(c, rn, "argv", &run->argv, &run->argc) < 0 ||
        load_shards(c, rn, run) < 0)
        return -1;
    snprintf(c->path, sizeof c->path, "oracle");
    if (get_str(c, orc, "impl", 0, &run->oracle_impl) < 0 ||
        get_str(c, orc, "version", 0, &run->oracle_version) < 0 ||
        get_str(c, orc, "mode", 0, &run->oracle_mode) < 0)
        return -1;
    c->path[0] = '\0';
    return 0;
}

/* Load the array KEY of root: *arr gets n zeroed elements of `size` bytes
 * (counted in *count as they are filled, so mpc_run_free frees exactly the
 * ones that were started), each filled by fn. */
static int load_array(ctx_t *c, const jv_t *root, const char *key, void **arr,
                      size_t *count, size_t size,
                      int (*fn)(ctx_t *, const jv_t *, void *))
{
    int err = 0;
    const jv_t *a = member(c, root, key, J_ARR, 1, &err);
    if (err)
        return -1;
    if (a->n == 0)
        return 0;
    if ((*arr = calloc(a->n, size)) == NULL)
        return bad(c, key, "out of memory");
    for (size_t i = 0; i < a->n; i++) {
        snprintf(c->path, sizeof c->path, "%s[%zu]", key, i);
        if (a->items[i].type != J_OBJ)
            return bad(c, "", "object expected, not %s",
                       json_type_name(a->items[i].type));
        (*count)++;
        if (fn(c, &a->items[i], (char *)*arr + i * size) < 0)
            return -1;
    }
    c->path[0] = '\0';
    return 0;
}

static int impl_fn(ctx_t *c, const jv_t *o, void *p)
{
    return load_impl(c, o, p);
}

static int case_fn(ctx_t *c, const jv_t *o, void *p)
{
    return load_case(c, o, p);
}

static int result_fn(ctx_t *c, const jv_t *o, void *p)
{
    return load_result(c, o, p);
}

/* A count: a non-negative integral number (absent: 0). */
static int get_size(const ctx_t *c, const jv_t *o, const char *key, size_t *out)
{
    int err = 0;
    const jv_t *v = member(c, o, key, J_NUM, 0, &err);
    *out = 0;
    if (err || v == NULL)
        return err;
    if (!(v->num >= 0 && v->num <= 9007199254740992.0) ||
        v->num != (double)(size_t)v->num)
        return bad(c, key, "a count expected, not %g", v->num);
    *out = (size_t)v->num;
    return 0;
}

/* One element of power.strength.cells_measured. */
static int load_strength_cell(ctx_t *c, const jv_t *o, mpc_strength_info_t *s)
{
    mpc_strength_cell_info_t e = {0};
    int rc = get_str(c, o, "case", 1, &e.case_id) < 0 ||
                     get_str(c, o, "method", 1, &e.method) < 0 ||
                     get_size(c, o, "tried", &e.tried) < 0 ||
                     get_size(c, o, "rejected", &e.rejected) < 0 ||
                     get_size(c, o, "free", &e.free_) < 0 ||
                     get_size(c, o, "allowed", &e.allowed) < 0 ||
                     get_size(c, o, "accepted", &e.accepted) < 0
                 ? -1
                 : 0;
    /* the totals are read from the file, not added up again */
    if (rc == 0 && mpc_strength_append(s, &e) < 0)
        rc = bad(c, "", "out of memory");
    free(e.case_id);
    free(e.method);
    return rc;
}

static int load_strength(ctx_t *c, const jv_t *o, mpc_strength_info_t *s)
{
    int err = 0;
    const jv_t *cells = member(c, o, "cells_measured", J_ARR, 0, &err);
    snprintf(c->path, sizeof c->path, "power.strength");
    s->measured = 1;
    for (size_t i = 0; !err && cells && i < cells->n; i++) {
        snprintf(c->path, sizeof c->path, "power.strength.cells_measured[%zu]",
                 i);
        if (cells->items[i].type != J_OBJ)
            return bad(c, "", "object expected");
        err = load_strength_cell(c, &cells->items[i], s);
    }
    if (err)
        return -1;
    snprintf(c->path, sizeof c->path, "power.strength");
    return get_size(c, o, "cells", &s->cells) < 0 ||
                   get_size(c, o, "variants", &s->variants) < 0 ||
                   get_size(c, o, "rejected", &s->rejected) < 0 ||
                   get_size(c, o, "free", &s->free_) < 0 ||
                   get_size(c, o, "allowed", &s->allowed) < 0 ||
                   get_size(c, o, "accepted", &s->accepted) < 0 ||
                   get_size(c, o, "stale", &s->stale) < 0
               ? -1
               : 0;
}

static int load_mutation(ctx_t *c, const jv_t *o, mpc_mutation_info_t *m)
{
    snprintf(c->path, sizeof c->path, "power.mutation");
    return get_str(c, o, "file", 1, &m->file) < 0 ||
                   get_str(c, o, "generated", 0, &m->generated) < 0 ||
                   get_str(c, o, "commit", 0, &m->commit) < 0 ||
                   get_size(c, o, "mutants", &m->mutants) < 0 ||
                   get_size(c, o, "killed", &m->killed) < 0 ||
                   get_size(c, o, "total", &m->total) < 0 ||
                   get_double(c, o, "elapsed_s", &m->elapsed_s) < 0 ||
                   get_strv(c, o, "methods", &m->methods, &m->nmethods) < 0 ||
                   get_strv(c, o, "survivors", &m->survivors, &m->nsurvivors) <
                       0
               ? -1
               : 0;
}

/* "power" is optional (files of runs before it, or written by hand); each
 * of its two parts is null when not measured. */
static int load_power(ctx_t *c, const jv_t *root, mpc_run_t *run)
{
    const jv_t *pw = json_get(root, "power");
    if (pw == NULL || pw->type == J_NULL)
        return 0;
    if (pw->type != J_OBJ)
        return bad(c, "power", "object expected, not %s",
                   json_type_name(pw->type));
    const jv_t *st = json_get(pw, "strength");
    const jv_t *mu = json_get(pw, "mutation");
    int rc = 0;
    if (st && st->type == J_OBJ)
        rc = load_strength(c, st, &run->strength);
    else if (st && st->type != J_NULL)
        rc = bad(c, "power.strength", "object or null expected");
    if (rc == 0 && mu && mu->type == J_OBJ)
        rc = load_mutation(c, mu, &run->mutation);
    else if (rc == 0 && mu && mu->type != J_NULL)
        rc = bad(c, "power.mutation", "object or null expected");
    c->path[0] = '\0';
    return rc;
}

static int load_root(ctx_t *c, const jv_t *root, mpc_run_t *run)
{
    if (root->type != J_OBJ)
        return bad(c, "", "a JSON object expected, not %s",
                   json_type_name(root->type));
    int err = 0;
    const jv_t *schema = member(c, root, "schema", J_STR, 1, &err);
    if (err)
        return -1;
    if (strcmp(schema->str, "mpconform-results/1") != 0)
        return bad(c, "schema",
                   "unsupported schema \"%s\" (expected "
                   "mpconform-results/1)",
                   schema->str);
    if (load_header(c, root, run) < 0 || load_power(c, root, run) < 0 ||
        load_array(c, root, "impls", (void **)&run->impls, &run->nimpls,
                   sizeof *run->impls, impl_fn) < 0 ||
        load_array(c, root, "cases", (void **)&run->cases, &run->ncases,
                   sizeof *run->cases, case_fn) < 0 ||
        load_array(c, root, "results", (void **)&run->results, &run->nresults,
                   sizeof *run->results, result_fn) < 0)
        return -1;
    return 0;
}

/* The whole file into a malloc'd buffer. */
static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "mpconform: cannot read %s: %s\n", path,
                strerror(errno));
        return NULL;
    }
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap || ferror(f))
            break;
        char *nb = cap < MAX_FILE_SIZE ? realloc(buf, cap * 2) : NULL;
        if (nb == NULL) {
            fprintf(stderr, "mpconform: %s: too large or out of memory\n",
                    path);
            free(buf);
        }
        buf = nb, cap *= 2;
    }
    if (buf != NULL && ferror(f)) {
        fprintf(stderr, "mpconform: error reading %s\n", path);
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Read and parse the file at path, then fn(ctx, root, out): 0, or -1 with
 * the message on stderr. */
static int load_file(const char *path, int (*fn)(ctx_t *, const jv_t *, void *),
                     void *out)
{
    size_t len;
    char *text = read_all(path, &len);
    if (text == NULL)
        return -1;
    jv_t root;
    char err[200];
    int rc = json_parse(text, len, &root, err, sizeof err);
    free(text);
    if (rc < 0) {
        fprintf(stderr, "mpconform: %s: invalid JSON: %s\n", path, err);
        return -1;
    }
    ctx_t c = {path, ""};
    rc = fn(&c, &root, out);
    json_free(&root);
    return rc;
}

static int root_fn(ctx_t *c, const jv_t *root, void *out)
{
    return load_root(c, root, out);
}

int mpc_results_load_json(const char *path, mpc_run_t *out)
{
    memset(out, 0, sizeof *out);
    int rc = load_file(path, root_fn, out);
    if (rc < 0)
        mpc_run_free(out);
    return rc;
}

/* ./scripts/mutation's build/mutation/results.json: its totals, the
 * survivors ("NAME (METHOD)"), when and at which commit it ran. */
static int load_mutation_file(ctx_t *c, const jv_t *root,
                              mpc_mutation_info_t *m)
{
    int err = 0;
    const jv_t *mutants = member(c, root, "mutants", J_ARR, 1, &err);
    if (err || get_size(c, root, "killed", &m->killed) < 0 ||
        get_size(c, root, "total", &m->total) < 0 ||
        get_double(c, root, "elapsed_s", &m->elapsed_s) < 0 ||
        get_str(c, root, "generated", 0, &m->generated) < 0 ||
        get_str(c, root, "commit", 0, &m->commit) < 0 ||
        get_strv(c, root, "methods", &m->methods, &m->nmethods) < 0)
        return -1;
    m->mutants = mutants->n;
    m->survivors = calloc(mutants->n * m->nmethods + 1, sizeof(char *));
    if (m->survivors == NULL)
        return bad(c, "mutants", "out of memory");
    for (size_t i = 0; i < mutants->n; i++) {
        const jv_t *e = &mutants->items[i];
        const jv_t *name = json_get(e, "name");
        for (size_t k = 0; k < m->nmethods; k++) {
            const jv_t *per = json_get(e, m->methods[k]);
            const jv_t *killed = per ? json_get(per, "killed") : NULL;
            if (name == NULL || name->type != J_STR || killed == NULL ||
                killed->type != J_BOOL)
                return bad(c, "mutants", "[%zu]: name and %s.killed expected",
                           i, m->methods[k]);
            if (killed->b)
                continue;
            size_t n = strlen(name->str) + strlen(m->methods[k]) + 4;
            char *sv = malloc(n);
            if (sv == NULL)
                return bad(c, "mutants", "out of memory");
            snprintf(sv, n, "%s (%s)", name->str, m->methods[k]);
            m->survivors[m->nsurvivors++] = sv;
        }
    }
    if (m->killed > m->total || m->killed + m->nsurvivors != m->total)
        return bad(c, "killed", "%zu killed and %zu survivors of %zu",
                   m->killed, m->nsurvivors, m->total);
    return 0;
}

static int mutation_fn(ctx_t *c, const jv_t *root, void *out)
{
    return root->type == J_OBJ ? load_mutation_file(c, root, out)
                               : bad(c, "", "a JSON object expected");
}

int mpc_mutation_read(const char *path, mpc_mutation_info_t *m)
{
    memset(m, 0, sizeof *m);
    int rc = load_file(path, mutation_fn, m);
    if (rc == 0)
        m->file = mdl_strdup(path);
    if (rc < 0 || m->file == NULL) {
        mpc_mutation_free(m);
        return -1;
    }
    return 0;
}
