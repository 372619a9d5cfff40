/*
 * versions.c - the cross-version view of a run (versions.h).
 */
#include "versions.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

int mpc_version_cmp(const char *a, const char *b)
{
    char *e;
    long am = strtol(a, &e, 10), an = *e == '.' ? strtol(e + 1, NULL, 10) : 0;
    long bm = strtol(b, &e, 10), bn = *e == '.' ? strtol(e + 1, NULL, 10) : 0;
    return am != bm ? (am < bm ? -1 : 1) : an != bn ? (an < bn ? -1 : 1) : 0;
}

static int is_cpython(const mpc_impl_info_t *im)
{
    return im->oracle && im->python_version && *im->python_version &&
           strcmp(im->oracle, im->name) == 0;
}

size_t mpc_run_cpythons(const mpc_run_t *run, size_t *idx)
{
    size_t n = 0;
    for (size_t i = 0; i < run->nimpls; i++) {
        if (!is_cpython(&run->impls[i]))
            continue;
        /* insertion by version: a handful of CPythons */
        size_t j = n++;
        while (j > 0 && mpc_version_cmp(run->impls[idx[j - 1]].python_version,
                                        run->impls[i].python_version) > 0) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = i;
    }
    return n;
}

/* The next piece of an output with numbers left aside: a run of digits
 * (and of hex digits after "0x") counts as one '#'. */
static size_t next_norm(const char *s, size_t n, size_t i, char *c)
{
    if (i >= n)
        return i;
    if (s[i] == '0' && i + 1 < n && s[i + 1] == 'x') {
        i += 2;
        while (i < n && isxdigit((unsigned char)s[i]))
            i++;
        *c = '#';
        return i;
    }
    if (isdigit((unsigned char)s[i])) {
        while (i < n && isdigit((unsigned char)s[i]))
            i++;
        *c = '#';
        return i;
    }
    *c = s[i];
    return i + 1;
}

int mpc_output_differs(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t i = 0, j = 0;
    while (i < alen && j < blen) {
        char ca, cb;
        i = next_norm(a, alen, i, &ca);
        j = next_norm(b, blen, j, &cb);
        if (ca != cb)
            return 1;
    }
    return i < alen || j < blen;
}

/* Markdown-safe text (a table cell) or plain text. */
static void put(FILE *f, const char *s, int markdown)
{
    for (s = mdl_str(s); *s; s++) {
        if (*s == '\n' || *s == '\r' || *s == '\t')
            fputc(' ', f);
        else if (markdown && strchr("|\\`*_[]<>#~", *s))
            fprintf(f, "\\%c", *s);
        else
            fputc(*s, f);
    }
}

static const mpc_result_t *find(const mpc_run_t *run, const char *case_id,
                                const char *impl, const char *method)
{
    for (size_t i = 0; i < run->nresults; i++) {
        const mpc_result_t *r = &run->results[i];
        if (strcmp(r->case_id, case_id) == 0 && strcmp(r->impl, impl) == 0 &&
            strcmp(r->method, method) == 0)
            return r;
    }
    return NULL;
}

static const mpc_case_info_t *case_info(const mpc_run_t *run, const char *id)
{
    for (size_t i = 0; i < run->ncases; i++)
        if (strcmp(run->cases[i].id, id) == 0)
            return &run->cases[i];
    return NULL;
}

static void impls_table(FILE *f, const mpc_run_t *run, int md)
{
    if (md)
        fputs("\n### Implementations\n\n| implementation | Python | oracle "
              "| judged at | why that oracle |\n| --- | --- | --- | --- | "
              "--- |\n",
              f);
    else
        fputs("implementations (Python version, oracle, judged at):\n", f);
    for (size_t i = 0; i < run->nimpls; i++) {
        const mpc_impl_info_t *im = &run->impls[i];
        const char *pv = im->python_version && *im->python_version
                             ? im->python_version
                             : "?";
        fputs(md ? "| " : "  ", f);
        put(f, im->name, md);
        fputs(md ? " | " : "  ", f);
        put(f, pv, md);
        fputs(md ? " | " : "  ", f);
        put(f, im->oracle && *im->oracle ? im->oracle : "?", md);
        fputs(md ? " | " : "  ", f);
        put(f, im->judged_at && *im->judged_at ? im->judged_at : "?", md);
        if (md || (im->oracle_note && *im->oracle_note))
            fputs(md ? " | " : "  (", f);
        put(f, im->oracle_note, md);
        fputs(md                                    ? " |\n"
              : im->oracle_note && *im->oracle_note ? ")\n"
                                                    : "\n",
              f);
    }
}

/* Every change: section of the run's cases, by version. */
static void changes_table(FILE *f, const mpc_run_t *run, int md)
{
    size_t total = 0;
    for (size_t i = 0; i < run->ncases; i++)
        total += run->cases[i].nchanges;
    if (md)
        fputs("\n### What changed (the cases' `change:` sections)\n\n", f);
    else
        fputs("\nwhat changed (the cases' change: sections):\n", f);
    if (!total) {
        fputs(md ? "No case of the run has a `change:` section.\n"
                 : "  none in the cases of the run\n",
              f);
        return;
    }
    if (md)
        fputs("| version | case | change | before | after | why |\n"
              "| --- | --- | --- | --- | --- | --- |\n",
              f);
    /* by version: the changes are few, a selection per version will do */
    const char *last = NULL;
    for (size_t done = 0; done < total;) {
        const char *next = NULL;
        for (size_t i = 0; i < run->ncases; i++)
            for (size_t k = 0; k < run->cases[i].nchanges; k++) {
                const char *v = run->cases[i].changes[k].version;
                if ((!last || mpc_version_cmp(v, last) > 0) &&
                    (!next || mpc_version_cmp(v, next) < 0))
                    next = v;
            }
        if (!next)
            break;
        for (size_t i = 0; i < run->ncases; i++)
            for (size_t k = 0; k < run->cases[i].nchanges; k++) {
                const mpc_change_info_t *ch = &run->cases[i].changes[k];
                if (mpc_version_cmp(ch->version, next) != 0)
                    continue;
                done++;
                if (md) {
                    fputs("| ", f);
                    put(f, ch->version, 1);
                    fputs(" | ", f);
                    put(f, run->cases[i].id, 1);
                    fputs(" | ", f);
                    put(f, ch->title, 1);
                    fputs(" | ", f);
                    put(f, ch->before, 1);
                    fputs(" | ", f);
                    put(f, ch->after, 1);
                    fputs(" | ", f);
                    put(f, ch->why, 1);
                    fputs(" |\n", f);
                } else {
                    fprintf(f, "  %s  %s: %s\n    before: ", ch->version,
                            run->cases[i].id, ch->title);
                    put(f, ch->before, 0);
                    fputs("\n    after: ", f);
                    put(f, ch->after, 0);
                    fputs("\n    why: ", f);
                    put(f, ch->why, 0);
                    fputc('\n', f);
                }
            }
        last = next;
    }
}

/* The behaviour group of each CPython's cell (0 when it did not run that
 * cell): cells with the same status and the same output, numbers aside,
 * share a letter.  Returns 1 when they do not all agree. */
static int groups_of(const mpc_result_t **cells, size_t n, int *group)
{
    int ngroups = 0, seen = 0;
    for (size_t i = 0; i < n; i++) {
        group[i] = 0;
        if (!cells[i])
            continue;
        seen++;
        for (size_t j = 0; j < i && !group[i]; j++) {
            const mpc_result_t *a = cells[i], *b = cells[j];
            if (b && a->status == b->status &&
                !mpc_output_differs(a->out, mpc_output_len(a->out, a->out_len),
                                    b->out,
                                    mpc_output_len(b->out, b->out_len)) &&
                !mpc_output_differs(a->err, mpc_output_len(a->err, a->err_len),
                                    b->err, mpc_output_len(b->err, b->err_len)))
                group[i] = group[j];
        }
        if (!group[i])
            group[i] = ++ngroups;
    }
    return seen > 1 && ngroups > 1;
}

static void diff_row(FILE *f, const mpc_run_t *run, const size_t *cpy,
                     size_t ncpy, const char *case_id, const char *method,
                     const mpc_result_t **cells, const int *group, int md)
{
    const mpc_case_info_t *ci = case_info(run, case_id);
    if (md) {
        fputs("| ", f);
        put(f, case_id, 1);
        fputs(" | ", f);
        put(f, method, 1);
    } else {
        fprintf(f, "  %s %s:", case_id, method);
    }
    for (size_t k = 0; k < ncpy; k++) {
        const char *st = cells[k] ? mpc_status_name(cells[k]->status) : "-";
        if (md)
            fprintf(f, " | %s", st);
        else
            fprintf(f, " %s %s", run->impls[cpy[k]].python_version, st);
        if (cells[k])
            fprintf(f, " (%c)", 'A' + (group[k] - 1) % 26);
    }
    if (md)
        fputs(" | ", f);
    else
        fputc('\n', f);
    for (size_t k = 0; ci && k < ci->nchanges; k++) {
        const mpc_change_info_t *ch = &ci->changes[k];
        if (md) {
            fprintf(f, "%s%s: ", k ? "; " : "", ch->version);
            put(f, ch->title, 1);
        } else {
            fprintf(f, "    change %s: ", ch->version);
            put(f, ch->title, 0);
            fputc('\n', f);
        }
    }
    if (md) {
        if (!ci || !ci->nchanges)
            fputs("no `change:` section", f);
        fputs(" |\n", f);
    }
}

long mpc_versions_write(FILE *f, const mpc_run_t *run, int md)
{
    size_t *cpy = calloc(run->nimpls + 1, sizeof *cpy);
    const mpc_result_t **cells = calloc(run->nimpls + 1, sizeof *cells);
    int *group = calloc(run->nimpls + 1, sizeof *group);
    if (!cpy || !cells || !group) {
        free(cpy);
        free(cells);
        free(group);
        return -1;
    }
    size_t ncpy = mpc_run_cpythons(run, cpy);
    if (md)
        fputs("\n## Across CPython versions\n", f);
    impls_table(f, run, md);
    changes_table(f, run, md);
    if (md) {
        fputs("\n### Cases whose CPythons differ\n\n"
              "Each CPython's verdict, and its behaviour: cells with the same "
              "letter have the same status and output, numbers aside.\n\n",
              f);
    } else {
        fputs("\ncases whose CPythons differ (verdict, and a letter per "
              "behaviour: same status and output, numbers aside):\n",
              f);
    }
    long rows = 0;
    static const char *const methods[] = {"fork", "spawn", "forkserver"};
    for (size_t ci = 0; ci < run->ncases; ci++)
        for (size_t m = 0; m < 3; m++) {
            for (size_t k = 0; k < ncpy; k++)
                cells[k] = find(run, run->cases[ci].id, run->impls[cpy[k]].name,
                                methods[m]);
            if (!groups_of(cells, ncpy, group))
                continue;
            if (md && rows == 0) {
                fputs("| case | method", f);
                for (size_t k = 0; k < ncpy; k++) {
                    fputs(" | ", f);
                    put(f, run->impls[cpy[k]].python_version, 1);
                }
                fputs(" | change |\n| --- | ---", f);
                for (size_t k = 0; k < ncpy; k++)
                    fputs(" | ---", f);
                fputs(" | --- |\n", f);
            }
            rows++;
            diff_row(f, run, cpy, ncpy, run->cases[ci].id, methods[m], cells,
                     group, md);
        }
    if (rows == 0)
        fprintf(f, "%s\n",
                ncpy < 2 ? (md ? "Fewer than two CPythons ran."
                               : "  fewer than two CPythons ran")
                         : (md ? "None: every CPython behaved alike."
                               : "  none: every CPython behaved alike"));
    free(cpy);
    free(cells);
    free(group);
    return rows;
}
