/*
 * results_merge.c - mpc_run_merge: join the results of shards.
 *
 * Merge policy: shards are meant to be disjoint, so a result for the same
 * case x impl x method in both dst and src means the same shard was given
 * twice (or two runs were mixed up).  That is an error, reported on stderr,
 * and dst is left exactly as it was: a merged report must never silently
 * prefer one of two contradicting outcomes.  Impls and cases are united by
 * name / id (dst's description wins); an impl present in both gets the union
 * of its methods.  dst takes src's header (generated, runner, oracle) only
 * when it has none, i.e. when dst is a zeroed run.
 */
#include "results.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

/* ---- merge ---- */

static int same(const char *a, const char *b)
{
    return strcmp(mdl_str(a), mdl_str(b)) == 0;
}

static long find_impl(const mpc_run_t *r, const char *name)
{
    for (size_t i = 0; i < r->nimpls; i++)
        if (same(r->impls[i].name, name))
            return (long)i;
    return -1;
}

static int has_case(const mpc_run_t *r, const char *id)
{
    for (size_t i = 0; i < r->ncases; i++)
        if (same(r->cases[i].id, id))
            return 1;
    return 0;
}

static int same_cell(const mpc_result_t *a, const mpc_result_t *b)
{
    return same(a->case_id, b->case_id) && same(a->impl, b->impl) &&
           same(a->method, b->method);
}

/* Refuse the merge when a cell would be present twice (see file header). */
static int check_duplicates(const mpc_run_t *dst, const mpc_run_t *src)
{
    for (size_t j = 0; j < src->nresults; j++) {
        const mpc_result_t *s = &src->results[j];
        int dup = 0;
        for (size_t i = 0; i < dst->nresults && !dup; i++)
            dup = same_cell(&dst->results[i], s);
        for (size_t i = 0; i < j && !dup; i++)
            dup = same_cell(&src->results[i], s);
        if (dup) {
            fprintf(stderr,
                    "mpconform: merge: %s on %s/%s is in more than one "
                    "shard (same shard given twice?)\n",
                    mdl_str(s->case_id), mdl_str(s->impl), mdl_str(s->method));
            return -1;
        }
    }
    return 0;
}

static int has_method(const mpc_impl_info_t *im, const char *m)
{
    for (size_t i = 0; i < im->nmethods; i++)
        if (same(im->methods[i], m))
            return 1;
    return 0;
}

/*
 * Grow every array of dst that will receive entries, before anything is
 * appended: a realloc that fails then leaves dst unchanged and valid, and
 * the appending phase below cannot fail any more.
 */
static int reserve(void **p, size_t n, size_t add, size_t size)
{
    if (add == 0)
        return 0;
    void *np = realloc(*p, (n + add) * size);
    if (np == NULL)
        return -1;
    *p = np;
    return 0;
}

/* Room for the new method names collected for each impl of dst (a shard
 * run with --method fork merged with one run with --method spawn). */
static int reserve_methods(mpc_run_t *dst, const size_t *method_impl, size_t n)
{
    for (size_t i = 0; i < dst->nimpls; i++) {
        size_t add = 0;
        for (size_t k = 0; k < n; k++)
            add += method_impl[k] == i;
        mpc_impl_info_t *d = &dst->impls[i];
        if (reserve((void **)&d->methods, d->nmethods, add, sizeof(char *)) < 0)
            return -1;
    }
    return 0;
}

/* Append the new method names (pool[i] for impl pool_impl[i] of dst);
 * consumed entries become NULL, the rest (repeats inside src) stay. */
static void append_methods(mpc_run_t *dst, char **pool, const size_t *pool_impl,
                           size_t n)
{
    for (size_t i = 0; i < n; i++) {
        mpc_impl_info_t *d = &dst->impls[pool_impl[i]];
        if (has_method(d, pool[i]))
            continue;
        d->methods[d->nmethods++] = pool[i];
        pool[i] = NULL;
    }
}

/* Everything src adds, deep-copied, before dst is touched. */
typedef struct {
    mpc_impl_info_t *impls;
    size_t nimpls;
    mpc_case_info_t *cases;
    size_t ncases;
    mpc_result_t *results;
    size_t nresults;
    char **methods;      /* new method names for impls already in dst */
    size_t *method_impl; /* index in dst->impls of each of methods */
    size_t nmethods;
    mpc_run_t header; /* src's header, used when dst has none */
} additions_t;

static void free_additions(additions_t *a)
{
    for (size_t i = 0; i < a->nimpls; i++)
        mdl_free_impl(&a->impls[i]);
    free(a->impls);
    for (size_t i = 0; i < a->ncases; i++)
        mdl_free_case(&a->cases[i]);
    free(a->cases);
    for (size_t i = 0; i < a->nresults; i++)
        mdl_free_result(&a->results[i]);
    free(a->results);
    mdl_free_strv(a->methods, a->nmethods);
    free(a->method_impl);
    mpc_run_free(&a->header);
}

static int copy_header(mpc_run_t *h, const mpc_run_t *s)
{
    h->time_scale = s->time_scale;
    h->jobs = s->jobs;
    h->repeat = s->repeat;
    h->generated = mdl_strdup(s->generated);
    h->runner_version = mdl_strdup(s->runner_version);
    h->shard = mdl_strdup(s->shard);
    h->oracle_impl = mdl_strdup(s->oracle_impl);
    h->oracle_version = mdl_strdup(s->oracle_version);
    h->oracle_mode = mdl_strdup(s->oracle_mode);
    if (mdl_dup_strv(&h->argv, s->argv, s->argc) == 0)
        h->argc = s->argc;
    return (h->generated && h->runner_version && h->shard && h->oracle_impl &&
            h->oracle_version && h->oracle_mode && (h->argv || s->argc == 0))
               ? 0
               : -1;
}

static int collect_methods(additions_t *a, const mpc_run_t *dst,
                           const mpc_run_t *src)
{
    size_t total = 0;
    for (size_t j = 0; j < src->nimpls; j++)
        total += src->impls[j].nmethods;
    if (total == 0)
        return 0;
    a->methods = calloc(total, sizeof(char *));
    a->method_impl = calloc(total, sizeof(size_t));
    if (a->methods == NULL || a->method_impl == NULL)
        return -1;
    for (size_t j = 0; j < src->nimpls; j++) {
        const mpc_impl_info_t *s = &src->impls[j];
        long i = find_impl(dst, s->name);
        for (size_t k = 0; i >= 0 && k < s->nmethods; k++) {
            /* duplicates within src are filtered again at append time */
            if (has_method(&dst->impls[i], s->methods[k]))
                continue;
            a->method_impl[a->nmethods] = (size_t)i;
            a->methods[a->nmethods] = mdl_strdup(s->methods[k]);
            if (a->methods[a->nmethods++] == NULL)
                return -1;
        }
    }
    return 0;
}

static int collect(additions_t *a, const mpc_run_t *dst, const mpc_run_t *src)
{
    size_t ni = src->nimpls, nc = src->ncases, nr = src->nresults;
    a->impls = ni ? calloc(ni, sizeof *a->impls) : NULL;
    a->cases = nc ? calloc(nc, sizeof *a->cases) : NULL;
    a->results = nr ? calloc(nr, sizeof *a->results) : NULL;
    if ((ni && !a->impls) || (nc && !a->cases) || (nr && !a->results))
        return -1;
    for (size_t j = 0; j < ni; j++) {
        const mpc_impl_info_t *s = &src->impls[j];
        if (find_impl(dst, s->name) >= 0)
            continue;
        int seen = 0; /* an impl repeated inside src itself */
        for (size_t k = 0; k < a->nimpls && !seen; k++)
            seen = same(a->impls[k].name, s->name);
        if (!seen && mdl_dup_impl(&a->impls[a->nimpls++], s) < 0)
            return a->nimpls--, -1;
    }
    for (size_t j = 0; j < nc; j++) {
        const mpc_case_info_t *s = &src->cases[j];
        int seen = has_case(dst, s->id);
        for (size_t k = 0; k < a->ncases && !seen; k++)
            seen = same(a->cases[k].id, s->id);
        if (!seen && mdl_dup_case(&a->cases[a->ncases++], s) < 0)
            return a->ncases--, -1;
    }
    for (size_t j = 0; j < nr; j++)
        if (mdl_dup_result(&a->results[a->nresults++], &src->results[j]) < 0)
            return a->nresults--, -1;
    if (collect_methods(a, dst, src) < 0)
        return -1;
    if (dst->generated == NULL && copy_header(&a->header, src) < 0)
        return -1;
    return 0;
}

/* Swap the header fields of dst and h (dst's arrays stay); h then holds
 * dst's old, empty header and is freed by the caller. */
static void take_header(mpc_run_t *dst, mpc_run_t *h)
{
    mpc_run_t old = *dst;
    *dst = *h;
    dst->impls = old.impls;
    dst->nimpls = old.nimpls;
    dst->cases = old.cases;
    dst->ncases = old.ncases;
    dst->results = old.results;
    dst->nresults = old.nresults;
    *h = old;
    h->impls = NULL;
    h->nimpls = 0;
    h->cases = NULL;
    h->ncases = 0;
    h->results = NULL;
    h->nresults = 0;
}

/* Copy k elements after the n of arr (memcpy with NULL is undefined even
 * for zero bytes, and the arrays of an empty run are NULL). */
static void append(void *arr, size_t *n, const void *add, size_t k, size_t size)
{
    if (k == 0)
        return;
    memcpy((char *)arr + *n * size, add, k * size);
    *n += k;
}

/* Shards measure their own oracle cells: the counts add up.  The mutant
 * run is one for the whole tree: the first shard's that has one. */
static int merge_power(mpc_run_t *dst, const mpc_run_t *src)
{
    mpc_strength_info_t *d = &dst->strength;
    const mpc_strength_info_t *s = &src->strength;
    if (s->measured) {
        /* the totals are src's own, added once */
        for (size_t i = 0; i < s->ncells_info; i++)
            if (mpc_strength_append(d, &s->per_cell[i]) < 0)
                return -1;
        d->measured = 1;
        d->cells += s->cells;
        d->variants += s->variants;
        d->rejected += s->rejected;
        d->free_ += s->free_;
        d->allowed += s->allowed;
        d->accepted += s->accepted;
        d->stale += s->stale;
    }
    const mpc_mutation_info_t *sm = &src->mutation;
    mpc_mutation_info_t *dm = &dst->mutation;
    if (dm->file || !sm->file)
        return 0;
    *dm = *sm;
    dm->file = mdl_strdup(sm->file);
    dm->generated = mdl_strdup(sm->generated);
    dm->commit = mdl_strdup(sm->commit);
    dm->methods = dm->survivors = NULL;
    dm->nmethods = dm->nsurvivors = 0;
    if (mdl_dup_strv(&dm->methods, sm->methods, sm->nmethods) == 0)
        dm->nmethods = sm->nmethods;
    if (mdl_dup_strv(&dm->survivors, sm->survivors, sm->nsurvivors) == 0)
        dm->nsurvivors = sm->nsurvivors;
    if (!dm->file || !dm->generated || !dm->commit ||
        dm->nmethods != sm->nmethods || dm->nsurvivors != sm->nsurvivors) {
        mpc_mutation_free(dm);
        return -1;
    }
    return 0;
}

int mpc_run_merge(mpc_run_t *dst, const mpc_run_t *src)
{
    additions_t a;
    memset(&a, 0, sizeof a);
    if (check_duplicates(dst, src) < 0)
        return -1;
    if (collect(&a, dst, src) < 0 ||
        reserve((void **)&dst->impls, dst->nimpls, a.nimpls,
                sizeof *dst->impls) < 0 ||
        reserve((void **)&dst->cases, dst->ncases, a.ncases,
                sizeof *dst->cases) < 0 ||
        reserve((void **)&dst->results, dst->nresults, a.nresults,
                sizeof *dst->results) < 0 ||
        reserve_methods(dst, a.method_impl, a.nmethods) < 0) {
        free_additions(&a);
        fprintf(stderr, "mpconform: merge: out of memory\n");
        return -1;
    }
    append_methods(dst, a.methods, a.method_impl, a.nmethods);
    append(dst->impls, &dst->nimpls, a.impls, a.nimpls, sizeof *a.impls);
    append(dst->cases, &dst->ncases, a.cases, a.ncases, sizeof *a.cases);
    append(dst->results, &dst->nresults, a.results, a.nresults,
           sizeof *a.results);
    if (a.header.generated != NULL)
        take_header(dst, &a.header);
    if (merge_power(dst, src) < 0) {
        a.nimpls = a.ncases = a.nresults = 0;
        free_additions(&a);
        fprintf(stderr, "mpconform: merge: out of memory\n");
        return -1;
    }
    /* the arrays' elements now belong to dst: free only the arrays, the
     * unused method names (repeats inside src) and the old header */
    a.nimpls = a.ncases = a.nresults = 0;
    free_additions(&a);
    return 0;
}
