/*
 * results_json.c - write results.json (schema "mpconform-results/1", see
 * RESULTS.md).  The loader is in results_load.c.
 *
 * Captured output can hold any bytes, so every string is escaped here:
 * control characters as \u00XX, and bytes that are not valid UTF-8 as
 * \ufffd (as Python's errors="replace" would show them), so the file is
 * always valid JSON and valid UTF-8.  NULL strings are written as "".
 * Doubles are written with the fewest digits that read back to the same
 * value; NaN and infinities, which JSON cannot hold, as null.
 */
#include "results.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "divergences.h"
#include "model.h"

/* The n bytes at s as a JSON string; a NUL byte is \u0000. */
static void jstr_n(FILE *f, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', f);
    while (n > 0) {
        unsigned cp = 0;
        int len = mdl_utf8_decode(p, n, &cp);
        if (len == 0) {
            fputs("\\ufffd", f);
            p++, n--;
            continue;
        }
        switch (cp) {
        case '"':
            fputs("\\\"", f);
            break;
        case '\\':
            fputs("\\\\", f);
            break;
        case '\n':
            fputs("\\n", f);
            break;
        case '\t':
            fputs("\\t", f);
            break;
        case '\r':
            fputs("\\r", f);
            break;
        default:
            /* U+2028/2029 are valid JSON but break JavaScript string
             * literals; escaping them costs nothing. */
            if (cp < 0x20 || cp == 0x7f || cp == 0x2028 || cp == 0x2029)
                fprintf(f, "\\u%04x", cp);
            else
                fwrite(p, 1, (size_t)len, f);
        }
        p += len, n -= (size_t)len;
    }
    fputc('"', f);
}

static void jstr(FILE *f, const char *s)
{
    jstr_n(f, mdl_str(s), strlen(mdl_str(s)));
}

static void jnum(FILE *f, double d)
{
    char buf[40];
    if (!isfinite(d)) {
        fputs("null", f);
        return;
    }
    /* shortest of %.15g .. %.17g that round-trips exactly */
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    fputs(buf, f);
}

static void jkey(FILE *f, const char *indent, const char *key, int first)
{
    fprintf(f, "%s\n%s\"%s\": ", first ? "" : ",", indent, key);
}

static void jkstr(FILE *f, const char *indent, const char *key, const char *val,
                  int first)
{
    jkey(f, indent, key, first);
    jstr(f, val);
}

static void jstrv(FILE *f, char *const *v, size_t n)
{
    fputc('[', f);
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            fputs(", ", f);
        jstr(f, v[i]);
    }
    fputc(']', f);
}

static void write_header(FILE *f, const mpc_run_t *run)
{
    const char *in = "  ";
    fputc('{', f);
    jkstr(f, in, "schema", "mpconform-results/1", 1);
    jkstr(f, in, "generated", run->generated, 0);
    jkey(f, in, "runner", 0);
    fputs("{\"version\": ", f);
    jstr(f, run->runner_version);
    fputs(", \"time_scale\": ", f);
    jnum(f, run->time_scale);
    fprintf(f, ", \"jobs\": %d, \"repeat\": %d, \"shard\": ", run->jobs,
            run->repeat);
    jstr(f, run->shard);
    fputs(", \"argv\": ", f);
    jstrv(f, run->argv, run->argc);
    if (run->nshards) {
        fputs(", \"shards\": [", f);
        for (size_t i = 0; i < run->nshards; i++) {
            fputs(i ? ", {\"shard\": " : "{\"shard\": ", f);
            jstr(f, run->shards[i].shard);
            fputs(", \"argv\": ", f);
            jstrv(f, run->shards[i].argv, run->shards[i].argc);
            fputc('}', f);
        }
        fputc(']', f);
    }
    fputc('}', f);
    jkey(f, in, "oracle", 0);
    fputs("{\"impl\": ", f);
    jstr(f, run->oracle_impl);
    fputs(", \"version\": ", f);
    jstr(f, run->oracle_version);
    fputs(", \"mode\": ", f);
    jstr(f, run->oracle_mode);
    fputc('}', f);
}

static void jsize(FILE *f, const char *key, size_t n, int first)
{
    fprintf(f, "%s\"%s\": %zu", first ? "" : ", ", key, n);
}

/* "power": the output mutation of the run's oracle cells and the mutant
 * run attached (RESULTS.md); null where not measured. */
static void write_power(FILE *f, const mpc_run_t *run)
{
    const mpc_strength_info_t *s = &run->strength;
    const mpc_mutation_info_t *m = &run->mutation;
    jkey(f, "  ", "power", 0);
    fputs("{\"strength\": ", f);
    if (s->measured) {
        fputc('{', f);
        jsize(f, "cells", s->cells, 1);
        jsize(f, "variants", s->variants, 0);
        jsize(f, "rejected", s->rejected, 0);
        jsize(f, "free", s->free_, 0);
        jsize(f, "allowed", s->allowed, 0);
        jsize(f, "accepted", s->accepted, 0);
        jsize(f, "stale", s->stale, 0);
        fputs(", \"cells_measured\": [", f);
        for (size_t i = 0; i < s->ncells_info; i++) {
            const mpc_strength_cell_info_t *c = &s->per_cell[i];
            fputs(i ? ",\n    {\"case\": " : "\n    {\"case\": ", f);
            jstr(f, c->case_id);
            fputs(", \"method\": ", f);
            jstr(f, c->method);
            jsize(f, "tried", c->tried, 0);
            jsize(f, "rejected", c->rejected, 0);
            jsize(f, "free", c->free_, 0);
            jsize(f, "allowed", c->allowed, 0);
            jsize(f, "accepted", c->accepted, 0);
            fputc('}', f);
        }
        fputs("]}", f);
    } else {
        fputs("null", f);
    }
    fputs(", \"mutation\": ", f);
    if (m->file) {
        fputs("{\"file\": ", f);
        jstr(f, m->file);
        fputs(", \"generated\": ", f);
        jstr(f, m->generated);
        fputs(", \"commit\": ", f);
        jstr(f, m->commit);
        jsize(f, "mutants", m->mutants, 0);
        jsize(f, "killed", m->killed, 0);
        jsize(f, "total", m->total, 0);
        fputs(", \"score\": ", f);
        jnum(f, m->total ? (double)m->killed / (double)m->total : 0.0);
        fputs(", \"elapsed_s\": ", f);
        jnum(f, m->elapsed_s);
        fputs(", \"methods\": ", f);
        jstrv(f, m->methods, m->nmethods);
        fputs(", \"survivors\": ", f);
        jstrv(f, m->survivors, m->nsurvivors);
        fputc('}', f);
    } else {
        fputs("null", f);
    }
    fputc('}', f);
}

static void write_impl(FILE *f, const mpc_impl_info_t *im)
{
    const char *in = "      ";
    fputs("    {", f);
    jkstr(f, in, "name", im->name, 1);
    jkstr(f, in, "description", im->description, 0);
    jkey(f, in, "installed", 0);
    fputs(im->installed ? "true" : "false", f);
    jkstr(f, in, "reason", im->reason, 0);
    jkstr(f, in, "profile", im->profile ? im->profile : "", 0);
    jkstr(f, in, "root", im->root ? im->root : "", 0);
    jkey(f, in, "methods", 0);
    jstrv(f, im->methods, im->nmethods);
    jkstr(f, in, "python_version", im->python_version ? im->python_version : "",
          0);
    jkstr(f, in, "oracle", im->oracle ? im->oracle : "", 0);
    jkstr(f, in, "oracle_note", im->oracle_note ? im->oracle_note : "", 0);
    jkstr(f, in, "judged_at", im->judged_at ? im->judged_at : "", 0);
    fputs("\n    }", f);
}

static void write_case(FILE *f, const mpc_case_info_t *c)
{
    const char *in = "      ";
    fputs("    {", f);
    jkstr(f, in, "id", c->id, 1);
    jkstr(f, in, "title", c->title, 0);
    jkstr(f, in, "area", c->area, 0);
    jkstr(f, in, "source", c->source, 0);
    jkey(f, in, "primitives", 0);
    jstrv(f, c->primitives, c->nprimitives);
    jkstr(f, in, "dir", c->dir, 0);
    jkstr(f, in, "document", c->document, 0);
    jkey(f, in, "changes", 0);
    fputc('[', f);
    for (size_t i = 0; i < c->nchanges; i++) {
        const mpc_change_info_t *ch = &c->changes[i];
        const char *in2 = "        ";
        fputs(i ? ", {" : "{", f);
        jkstr(f, in2, "title", ch->title, 1);
        jkstr(f, in2, "version", ch->version, 0);
        jkstr(f, in2, "before", ch->before, 0);
        jkstr(f, in2, "after", ch->after, 0);
        jkstr(f, in2, "why", ch->why, 0);
        fputs("\n      }", f);
    }
    fputc(']', f);
    fputs("\n    }", f);
}

static void write_mismatch(FILE *f, const mpc_mismatch_t *m)
{
    if (m == NULL) {
        fputs("null", f);
        return;
    }
    const char *in = "        ";
    fputc('{', f);
    jkstr(f, in, "stream", m->stream, 1);
    jkey(f, in, "line", 0);
    fprintf(f, "%d", m->line);
    jkstr(f, in, "expected", m->expected, 0);
    jkstr(f, in, "actual", m->actual, 0);
    jkstr(f, in, "relation", m->relation, 0);
    jkstr(f, in, "values", m->values, 0);
    fputs("\n      }", f);
}

static void write_result(FILE *f, const mpc_result_t *r)
{
    const char *in = "      ";
    fputs("    {", f);
    jkstr(f, in, "case", r->case_id, 1);
    jkstr(f, in, "impl", r->impl, 0);
    jkstr(f, in, "method", r->method, 0);
    /* an out-of-range status is a runner bug; "error" keeps it visible */
    const char *st = mpc_status_name(r->status);
    jkstr(f, in, "status", st ? st : "error", 0);
    jkey(f, in, "duration_s", 0);
    jnum(f, r->duration_s);
    jkey(f, in, "exit", 0);
    fprintf(f, "%d", r->exit_status);
    jkey(f, in, "runs", 0);
    fprintf(f, "%d", r->runs);
    jkey(f, in, "passes", 0);
    fprintf(f, "%d", r->passes);
    jkstr(f, in, "detail", r->detail, 0);
    jkey(f, in, "leaks", 0);
    jstrv(f, r->leaks, r->nleaks);
    jkey(f, in, "mismatch", 0);
    write_mismatch(f, r->mismatch);
    jkey(f, in, "stdout", 0);
    jstr_n(f, mdl_str(r->out), mpc_output_len(r->out, r->out_len));
    jkey(f, in, "stderr", 0);
    jstr_n(f, mdl_str(r->err), mpc_output_len(r->err, r->err_len));
    jkstr(f, in, "known", r->known, 0);
    jkey(f, in, "truncated", 0);
    fputs(r->truncated ? "true" : "false", f);
    fputs("\n    }", f);
}

/* Write the array KEY of n elements, each by fn(f, base + i * size). */
#define WRITE_ARRAY(f, key, arr, n, fn)                                        \
    do {                                                                       \
        jkey(f, "  ", key, 0);                                                 \
        fputc('[', f);                                                         \
        for (size_t i_ = 0; i_ < (n); i_++) {                                  \
            fputs(i_ ? ",\n" : "\n", f);                                       \
            fn(f, &(arr)[i_]);                                                 \
        }                                                                      \
        fputs((n) ? "\n  ]" : "]", f);                                         \
    } while (0)

static void write_divergence(FILE *f, const mpc_divergence_t *d)
{
    const char *in = "      ";
    fputs("    {", f);
    jkstr(f, in, "impl", d->impl, 1);
    jkey(f, in, "known", 0);
    fputs(d->known ? "true" : "false", f);
    jkstr(f, in, "status", d->status, 0);
    jkstr(f, in, "reason", d->reason, 0);
    jkey(f, in, "cells", 0);
    fputc('[', f);
    for (size_t i = 0; i < d->ncells; i++) {
        fputs(i ? ", {\"case\": " : "{\"case\": ", f);
        jstr(f, d->cells[i]->case_id);
        fputs(", \"method\": ", f);
        jstr(f, d->cells[i]->method);
        fputc('}', f);
    }
    fputs("]\n    }", f);
}

int mpc_results_write_json(const mpc_run_t *run, const char *path)
{
    mdl_file_t rf;
    mpc_divergence_t *dv;
    long ndv = mpc_divergences(run, &dv);
    if (ndv < 0) {
        fprintf(stderr, "mpconform: %s: out of memory\n", path);
        return -1;
    }
    if (mdl_open(&rf, path) < 0) {
        mpc_divergences_free(dv, ndv);
        return -1;
    }
    write_header(rf.f, run);
    write_power(rf.f, run);
    WRITE_ARRAY(rf.f, "impls", run->impls, run->nimpls, write_impl);
    WRITE_ARRAY(rf.f, "cases", run->cases, run->ncases, write_case);
    WRITE_ARRAY(rf.f, "results", run->results, run->nresults, write_result);
    /* derived from the results (divergences.h): written for readers, not
     * read back */
    WRITE_ARRAY(rf.f, "divergences", dv, (size_t)ndv, write_divergence);
    mpc_divergences_free(dv, ndv);
    fputs("\n}\n", rf.f);
    return mdl_close(&rf, 0);
}
