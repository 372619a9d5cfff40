/*
 * divergences.c - an implementation's divergences from the oracle, grouped
 * by reason (divergences.h).  Generated from the results so that the lists
 * a reader sees (summary.md, index.html, `mpconform divergences`) are the
 * ones measured, never a hand-written list gone stale.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream */

#include "divergences.h"

#include <stdlib.h>
#include <string.h>

#include "model.h"

static const char *oracle_name(const mpc_run_t *run)
{
    return mdl_str(run->oracle_impl)[0] ? run->oracle_impl : "cpython";
}

/* Whether r is a divergence of its implementation. */
static int diverges(const mpc_result_t *r)
{
    switch (r->status) {
    case MPC_FAIL:
    case MPC_TIMEOUT:
    case MPC_CRASH:
    case MPC_FLAKY:
    case MPC_XFAIL:
        return 1;
    default:
        return 0;
    }
}

/* An expected or actual text in a reason: at most 160 bytes (cut on a
 * UTF-8 boundary, "..." added), so that a flood of output makes a line a
 * reader can still take in. */
static void put_capped(FILE *f, const char *s)
{
    size_t n = strlen(s);
    if (n <= 160) {
        fputs(s, f);
        return;
    }
    n = 160;
    while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
        n--;
    fwrite(s, 1, n, f);
    fputs("...", f);
}

/* The known-failures STATUS and reason of r as heap strings: its entry for
 * an xfail, else its status and what failed.  Returns 0 or -1 (OOM). */
static int status_reason(const mpc_result_t *r, char **status, char **reason)
{
    *status = *reason = NULL;
    const char *known = mdl_str(r->known);
    if (known[0]) {
        size_t n = strcspn(known, " ");
        *status = strndup(known, n);
        *reason = mdl_strdup(known + n + (known[n] == ' '));
    } else if (r->status == MPC_XFAIL) {
        /* a file written before "known" existed: the detail says it */
        *status = mdl_strdup("fail");
        *reason = mdl_strdup(r->detail);
    } else {
        *status = mdl_strdup(mpc_status_name(r->status));
        const mpc_mismatch_t *m = r->mismatch;
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (f == NULL)
            return free(*status), *status = NULL, -1;
        if (m != NULL && (r->status == MPC_FAIL || !mdl_str(r->detail)[0])) {
            /* a wrong output: where and what (a crash or a hang says it
             * better in its detail, "killed by SIGSEGV") */
            fputs(mdl_str(m->stream), f);
            if (m->line > 0)
                fprintf(f, " line %d", m->line);
            if (mdl_str(m->expected)[0]) {
                fputs(": expected '", f);
                put_capped(f, m->expected);
                fputc('\'', f);
            }
            if (mdl_str(m->actual)[0]) {
                fputs(", got '", f);
                put_capped(f, m->actual);
                fputc('\'', f);
            }
            if (mdl_str(m->relation)[0])
                fprintf(f, " (%s)", m->relation);
        } else {
            fputs(mdl_str(r->detail), f);
        }
        if (fclose(f) != 0) {
            free(buf);
            buf = NULL;
        }
        /* one line: a known-failures reason ends at the line's end */
        for (char *p = buf; p && *p; p++)
            if (*p == '\n' || *p == '\r')
                *p = ' ';
        *reason = buf;
    }
    if (*status == NULL || *reason == NULL) {
        free(*status);
        free(*reason);
        *status = *reason = NULL;
        return -1;
    }
    return 0;
}

/* The implementations in order: run->impls, then those only in results. */
static long impl_order(const mpc_run_t *run, const char ***out)
{
    const char **v = calloc(run->nimpls + run->nresults + 1, sizeof *v);
    long n = 0;
    if (v == NULL)
        return -1;
    for (size_t i = 0; i < run->nimpls; i++)
        v[n++] = mdl_str(run->impls[i].name);
    for (size_t i = 0; i < run->nresults; i++) {
        const char *im = mdl_str(run->results[i].impl);
        long k = 0;
        while (k < n && strcmp(v[k], im) != 0)
            k++;
        if (k == n)
            v[n++] = im;
    }
    *out = v;
    return n;
}

void mpc_divergences_free(mpc_divergence_t *v, long n)
{
    for (long i = 0; i < n; i++) {
        free(v[i].status);
        free(v[i].reason);
        free(v[i].cells);
    }
    free(v);
}

/* Add r to its group in v (a new one when none has its key). */
static int add(mpc_divergence_t **v, long *n, const char *impl, int known,
               const mpc_result_t *r)
{
    char *status, *reason;
    if (status_reason(r, &status, &reason) < 0)
        return -1;
    long k = 0;
    while (k < *n &&
           !((*v)[k].known == known && strcmp((*v)[k].impl, impl) == 0 &&
             strcmp((*v)[k].status, status) == 0 &&
             strcmp((*v)[k].reason, reason) == 0))
        k++;
    if (k == *n) {
        mpc_divergence_t *nv = realloc(*v, (size_t)(*n + 1) * sizeof *nv);
        if (nv == NULL) {
            free(status);
            free(reason);
            return -1;
        }
        *v = nv;
        nv[k] = (mpc_divergence_t){
            .impl = impl, .known = known, .status = status, .reason = reason};
        (*n)++;
    } else {
        free(status);
        free(reason);
    }
    mpc_divergence_t *d = &(*v)[k];
    const mpc_result_t **nc =
        realloc(d->cells, (d->ncells + 1) * sizeof *d->cells);
    if (nc == NULL)
        return -1;
    d->cells = nc;
    d->cells[d->ncells++] = r;
    return 0;
}

long mpc_divergences(const mpc_run_t *run, mpc_divergence_t **out)
{
    const char **impls;
    long nimpls = impl_order(run, &impls);
    mpc_divergence_t *v = NULL;
    long n = 0;
    *out = NULL;
    if (nimpls < 0)
        return -1;
    for (long i = 0; i < nimpls; i++) {
        if (strcmp(impls[i], oracle_name(run)) == 0)
            continue;
        for (int known = 1; known >= 0; known--) {
            for (size_t j = 0; j < run->nresults; j++) {
                const mpc_result_t *r = &run->results[j];
                if (strcmp(mdl_str(r->impl), impls[i]) || !diverges(r) ||
                    (r->status == MPC_XFAIL) != known)
                    continue;
                if (add(&v, &n, impls[i], known, r) < 0) {
                    mpc_divergences_free(v, n);
                    free(impls);
                    return -1;
                }
            }
        }
    }
    free(impls);
    *out = v;
    return n;
}

/* How many methods the implementation of r ran r's case under. */
static size_t methods_run(const mpc_run_t *run, const mpc_result_t *r)
{
    size_t n = 0;
    for (size_t i = 0; i < run->nresults; i++) {
        const mpc_result_t *x = &run->results[i];
        n += strcmp(mdl_str(x->case_id), mdl_str(r->case_id)) == 0 &&
             strcmp(mdl_str(x->impl), mdl_str(r->impl)) == 0 &&
             x->status != MPC_SKIP && x->status != MPC_MISSING &&
             x->status != MPC_NOT_APPLICABLE;
    }
    return n;
}

/* Calls fn for each case of d once: its first cell, how many cells of d
 * have that case, and whether those are every method it ran under. */
typedef void (*case_fn)(FILE *f, const mpc_divergence_t *d, size_t first,
                        int all, mpc_put_fn put);

static void each_case(FILE *f, const mpc_run_t *run, const mpc_divergence_t *d,
                      case_fn fn, mpc_put_fn put)
{
    for (size_t i = 0; i < d->ncells; i++) {
        const char *id = mdl_str(d->cells[i]->case_id);
        size_t j = 0, count = 0;
        while (j < i && strcmp(mdl_str(d->cells[j]->case_id), id) != 0)
            j++;
        if (j < i)
            continue; /* case already done */
        for (size_t k = i; k < d->ncells; k++)
            count += strcmp(mdl_str(d->cells[k]->case_id), id) == 0;
        fn(f, d, i, count == methods_run(run, d->cells[i]) && count > 1, put);
    }
}

static void put_raw(FILE *f, const char *s)
{
    fputs(s, f);
}

static void cells_of_case(FILE *f, const mpc_divergence_t *d, size_t first,
                          int all, mpc_put_fn put)
{
    const char *id = mdl_str(d->cells[first]->case_id);
    if (put == NULL)
        put = put_raw;
    fputs(first ? ", " : "", f);
    put(f, id);
    fputs(" (", f);
    if (all) {
        fputs("*)", f);
        return;
    }
    int sep = 0;
    for (size_t k = first; k < d->ncells; k++) {
        if (strcmp(mdl_str(d->cells[k]->case_id), id) == 0) {
            fputs(sep ? ", " : "", f);
            put(f, mdl_str(d->cells[k]->method));
            sep = 1;
        }
    }
    fputc(')', f);
}

void mpc_divergence_cells(FILE *f, const mpc_run_t *run,
                          const mpc_divergence_t *d, mpc_put_fn put)
{
    each_case(f, run, d, cells_of_case, put);
}

static void kf_lines(FILE *f, const mpc_divergence_t *d, size_t first, int all,
                     mpc_put_fn put)
{
    (void)put;
    const char *id = mdl_str(d->cells[first]->case_id);
    for (size_t k = first; k < d->ncells; k++) {
        if (strcmp(mdl_str(d->cells[k]->case_id), id) != 0)
            continue;
        fprintf(f, "%s %s %s %s\n", id,
                all ? "*" : mdl_str(d->cells[k]->method), d->status,
                d->reason[0] ? d->reason : "(no reason recorded)");
        if (all)
            return;
    }
}

int mpc_known_failures_write(FILE *f, const mpc_run_t *run, const char *impl)
{
    mpc_divergence_t *v;
    long n = mpc_divergences(run, &v);
    if (n < 0)
        return -1;
    for (long i = 0; i < n; i++)
        if (strcmp(v[i].impl, impl) == 0)
            each_case(f, run, &v[i], kf_lines, NULL);
    mpc_divergences_free(v, n);
    return 0;
}
