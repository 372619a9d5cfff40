/*
 * results.c - the results model: status names, freeing, deep copies.
 * Merging shards is in results_merge.c.
 */
#include "results.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

static const char *const status_names[MPC_NSTATUS] = {
    "pass",    "fail",  "timeout", "crash", "error", "skip",
    "missing", "xfail", "xpass",   "flaky", "n/a",
};

const char *mpc_status_name(mpc_status_t s)
{
    if ((int)s < 0 || s >= MPC_NSTATUS)
        return NULL;
    return status_names[s];
}

int mpc_status_parse(const char *name)
{
    if (name == NULL)
        return -1;
    for (int i = 0; i < MPC_NSTATUS; i++)
        if (strcmp(status_names[i], name) == 0)
            return i;
    return -1;
}

void mdl_free_strv(char **v, size_t n)
{
    if (v == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void mdl_free_mismatch(mpc_mismatch_t *m)
{
    if (m == NULL)
        return;
    free(m->stream);
    free(m->expected);
    free(m->actual);
    free(m->relation);
    free(m->values);
    free(m);
}

void mdl_free_result(mpc_result_t *r)
{
    free(r->case_id);
    free(r->impl);
    free(r->method);
    free(r->detail);
    mdl_free_strv(r->leaks, r->nleaks);
    mdl_free_mismatch(r->mismatch);
    free(r->out);
    free(r->err);
    free(r->known);
}

void mdl_free_impl(mpc_impl_info_t *im)
{
    free(im->name);
    free(im->description);
    free(im->reason);
    free(im->profile);
    free(im->root);
    mdl_free_strv(im->methods, im->nmethods);
    free(im->python_version);
    free(im->oracle);
    free(im->oracle_note);
    free(im->judged_at);
}

static void free_changes(mpc_change_info_t *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].title);
        free(v[i].version);
        free(v[i].before);
        free(v[i].after);
        free(v[i].why);
    }
    free(v);
}

void mdl_free_case(mpc_case_info_t *c)
{
    free(c->id);
    free(c->title);
    free(c->area);
    free(c->source);
    free(c->dir);
    free(c->document);
    mdl_free_strv(c->primitives, c->nprimitives);
    free_changes(c->changes, c->nchanges);
}

void mpc_mutation_free(mpc_mutation_info_t *m)
{
    free(m->file);
    free(m->generated);
    free(m->commit);
    mdl_free_strv(m->methods, m->nmethods);
    mdl_free_strv(m->survivors, m->nsurvivors);
    memset(m, 0, sizeof *m);
}

int mpc_strength_append(mpc_strength_info_t *s,
                        const mpc_strength_cell_info_t *c)
{
    mpc_strength_cell_info_t *v =
        realloc(s->per_cell, (s->ncells_info + 1) * sizeof *v);
    if (v == NULL)
        return -1;
    s->per_cell = v;
    mpc_strength_cell_info_t *e = &v[s->ncells_info];
    *e = *c;
    e->case_id = mdl_strdup(c->case_id);
    e->method = mdl_strdup(c->method);
    if (e->case_id == NULL || e->method == NULL) {
        free(e->case_id);
        free(e->method);
        return -1;
    }
    s->ncells_info++;
    s->measured = 1;
    return 0;
}

int mpc_strength_add(mpc_strength_info_t *s, const mpc_strength_cell_info_t *c)
{
    if (mpc_strength_append(s, c) < 0)
        return -1;
    s->cells++;
    s->variants += c->tried;
    s->rejected += c->rejected;
    s->free_ += c->free_;
    s->allowed += c->allowed;
    s->accepted += c->accepted;
    return 0;
}

void mpc_strength_free(mpc_strength_info_t *s)
{
    for (size_t i = 0; i < s->ncells_info; i++) {
        free(s->per_cell[i].case_id);
        free(s->per_cell[i].method);
    }
    free(s->per_cell);
    memset(s, 0, sizeof *s);
}

void mpc_run_free(mpc_run_t *run)
{
    if (run == NULL)
        return;
    free(run->generated);
    free(run->runner_version);
    free(run->shard);
    mdl_free_strv(run->argv, run->argc);
    for (size_t i = 0; i < run->nshards; i++) {
        free(run->shards[i].shard);
        mdl_free_strv(run->shards[i].argv, run->shards[i].argc);
    }
    free(run->shards);
    free(run->oracle_impl);
    free(run->oracle_version);
    free(run->oracle_mode);
    for (size_t i = 0; i < run->nimpls; i++)
        mdl_free_impl(&run->impls[i]);
    free(run->impls);
    for (size_t i = 0; i < run->ncases; i++)
        mdl_free_case(&run->cases[i]);
    free(run->cases);
    for (size_t i = 0; i < run->nresults; i++)
        mdl_free_result(&run->results[i]);
    free(run->results);
    mpc_mutation_free(&run->mutation);
    mpc_strength_free(&run->strength);
    memset(run, 0, sizeof *run);
}

/* ---- deep copies; each returns 0 or -1 (out of memory, partial copy
 * already freed so the caller only has to free what it owned before). */

int mdl_dup_strv(char ***out, char *const *v, size_t n)
{
    *out = NULL;
    if (n == 0)
        return 0;
    char **c = calloc(n, sizeof *c);
    if (c == NULL)
        return -1;
    for (size_t i = 0; i < n; i++) {
        c[i] = mdl_strdup(v[i]);
        if (c[i] == NULL) {
            mdl_free_strv(c, i);
            return -1;
        }
    }
    *out = c;
    return 0;
}

static int dup_mismatch(mpc_mismatch_t **out, const mpc_mismatch_t *m)
{
    *out = NULL;
    if (m == NULL)
        return 0;
    mpc_mismatch_t *c = calloc(1, sizeof *c);
    if (c == NULL)
        return -1;
    c->line = m->line;
    c->stream = mdl_strdup(m->stream);
    c->expected = mdl_strdup(m->expected);
    c->actual = mdl_strdup(m->actual);
    c->relation = mdl_strdup(m->relation);
    c->values = mdl_strdup(m->values);
    if (!c->stream || !c->expected || !c->actual || !c->relation ||
        !c->values) {
        mdl_free_mismatch(c);
        return -1;
    }
    *out = c;
    return 0;
}

size_t mpc_output_len(const char *s, size_t len)
{
    return len ? len : strlen(s ? s : "");
}

/* A copy of the n bytes at s, NUL-terminated; NULL when out of memory. */
static char *dup_bytes(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d != NULL) {
        if (n > 0)
            memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

int mdl_dup_result(mpc_result_t *d, const mpc_result_t *s)
{
    *d = *s;
    d->leaks = NULL;
    d->mismatch = NULL;
    d->case_id = mdl_strdup(s->case_id);
    d->impl = mdl_strdup(s->impl);
    d->method = mdl_strdup(s->method);
    d->detail = mdl_strdup(s->detail);
    d->out_len = mpc_output_len(s->out, s->out_len);
    d->err_len = mpc_output_len(s->err, s->err_len);
    d->out = dup_bytes(mdl_str(s->out), d->out_len);
    d->err = dup_bytes(mdl_str(s->err), d->err_len);
    d->known = mdl_strdup(s->known);
    int bad = !d->case_id || !d->impl || !d->method || !d->detail || !d->out ||
              !d->err || !d->known;
    if (!bad && mdl_dup_strv(&d->leaks, s->leaks, s->nleaks) < 0)
        bad = 1;
    if (!bad && dup_mismatch(&d->mismatch, s->mismatch) < 0)
        bad = 1;
    if (bad) {
        d->nleaks = d->leaks ? s->nleaks : 0;
        mdl_free_result(d);
        return -1;
    }
    return 0;
}

int mdl_dup_impl(mpc_impl_info_t *d, const mpc_impl_info_t *s)
{
    *d = *s;
    d->methods = NULL;
    d->name = mdl_strdup(s->name);
    d->description = mdl_strdup(s->description);
    d->reason = mdl_strdup(s->reason);
    d->profile = mdl_strdup(s->profile ? s->profile : "");
    d->root = mdl_strdup(s->root ? s->root : "");
    d->python_version = mdl_strdup(s->python_version ? s->python_version : "");
    d->oracle = mdl_strdup(s->oracle ? s->oracle : "");
    d->oracle_note = mdl_strdup(s->oracle_note ? s->oracle_note : "");
    d->judged_at = mdl_strdup(s->judged_at ? s->judged_at : "");
    if (!d->name || !d->description || !d->reason || !d->profile || !d->root ||
        !d->python_version || !d->oracle || !d->oracle_note || !d->judged_at ||
        mdl_dup_strv(&d->methods, s->methods, s->nmethods) < 0) {
        d->nmethods = d->methods ? s->nmethods : 0;
        mdl_free_impl(d);
        return -1;
    }
    return 0;
}

int mdl_dup_case(mpc_case_info_t *d, const mpc_case_info_t *s)
{
    *d = *s;
    d->primitives = NULL;
    d->id = mdl_strdup(s->id);
    d->title = mdl_strdup(s->title);
    d->area = mdl_strdup(s->area);
    d->source = mdl_strdup(s->source);
    d->dir = mdl_strdup(s->dir);
    d->document = mdl_strdup(s->document);
    d->changes = NULL;
    d->nchanges = 0;
    if (s->nchanges) {
        d->changes = calloc(s->nchanges, sizeof *d->changes);
        for (size_t i = 0; d->changes && i < s->nchanges; i++) {
            const mpc_change_info_t *a = &s->changes[i];
            mpc_change_info_t *b = &d->changes[d->nchanges++];
            b->title = mdl_strdup(a->title);
            b->version = mdl_strdup(a->version);
            b->before = mdl_strdup(a->before);
            b->after = mdl_strdup(a->after);
            b->why = mdl_strdup(a->why);
            if (!b->title || !b->version || !b->before || !b->after ||
                !b->why) {
                d->primitives = NULL;
                d->nprimitives = 0;
                mdl_free_case(d);
                return -1;
            }
        }
        if (!d->changes) {
            d->nprimitives = 0;
            mdl_free_case(d);
            return -1;
        }
    }
    if (!d->id || !d->title || !d->area || !d->source || !d->dir ||
        !d->document ||
        mdl_dup_strv(&d->primitives, s->primitives, s->nprimitives) < 0) {
        d->nprimitives = d->primitives ? s->nprimitives : 0;
        mdl_free_case(d);
        return -1;
    }
    return 0;
}
