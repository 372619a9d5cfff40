/*
 * rpt.c - helpers shared by the reporters: safe file output, UTF-8
 * decoding, and the rows/columns of the matrix every report shows.
 */
#define _POSIX_C_SOURCE 200809L /* realpath */

#include "rpt.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int match(const char *pat, const char *s)
{
    return strcmp(pat, "*") == 0 || strcmp(pat, mdl_str(s)) == 0;
}

void rpt_count(const mpc_run_t *run, const char *impl, const char *method,
               size_t counts[MPC_NSTATUS])
{
    memset(counts, 0, MPC_NSTATUS * sizeof counts[0]);
    for (size_t i = 0; i < run->nresults; i++) {
        const mpc_result_t *r = &run->results[i];
        if (match(impl, r->impl) && match(method, r->method) &&
            (int)r->status >= 0 && r->status < MPC_NSTATUS)
            counts[r->status]++;
    }
}

static int has_column(const rpt_column_t *c, size_t n, const char *impl,
                      const char *method)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(c[i].impl, impl) == 0 && strcmp(c[i].method, method) == 0)
            return 1;
    return 0;
}

static int has_result(const mpc_run_t *run, const char *impl,
                      const char *method)
{
    for (size_t i = 0; i < run->nresults; i++)
        if (strcmp(mdl_str(run->results[i].impl), impl) == 0 &&
            strcmp(mdl_str(run->results[i].method), method) == 0)
            return 1;
    return 0;
}

long rpt_columns(const mpc_run_t *run, rpt_column_t **out)
{
    size_t cap = run->nresults;
    for (size_t i = 0; i < run->nimpls; i++)
        cap += run->impls[i].nmethods;
    *out = NULL;
    if (cap == 0)
        return 0;
    rpt_column_t *c = malloc(cap * sizeof *c);
    if (c == NULL)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < run->nimpls; i++) {
        const mpc_impl_info_t *im = &run->impls[i];
        for (size_t k = 0; k < im->nmethods; k++) {
            const char *impl = mdl_str(im->name);
            const char *m = mdl_str(im->methods[k]);
            /* a method the impl supports but this run did not select
             * would be a column of dashes */
            if (has_result(run, impl, m) && !has_column(c, n, impl, m))
                c[n++] = (rpt_column_t){impl, m};
        }
    }
    for (size_t i = 0; i < run->nresults; i++) {
        const char *impl = mdl_str(run->results[i].impl);
        const char *m = mdl_str(run->results[i].method);
        if (!has_column(c, n, impl, m))
            c[n++] = (rpt_column_t){impl, m};
    }
    *out = c;
    return (long)n;
}

static int has_row(const char **r, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(r[i], id) == 0)
            return 1;
    return 0;
}

int rpt_matrix(const mpc_run_t *run, const char *path, rpt_column_t **cols,
               long *ncols, const char ***rows, long *nrows)
{
    *cols = NULL;
    *rows = NULL;
    *ncols = rpt_columns(run, cols);
    *nrows = *ncols < 0 ? -1 : rpt_rows(run, rows);
    if (*ncols < 0 || *nrows < 0) {
        fprintf(stderr, "mpconform: %s: out of memory\n", path);
        free(*cols);
        *cols = NULL;
        return -1;
    }
    return 0;
}

long rpt_rows(const mpc_run_t *run, const char ***out)
{
    size_t cap = run->ncases + run->nresults;
    *out = NULL;
    if (cap == 0)
        return 0;
    const char **r = malloc(cap * sizeof *r);
    if (r == NULL)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < run->ncases; i++) {
        const char *id = mdl_str(run->cases[i].id);
        if (!has_row(r, n, id))
            r[n++] = id;
    }
    for (size_t i = 0; i < run->nresults; i++) {
        const char *id = mdl_str(run->results[i].case_id);
        if (!has_row(r, n, id))
            r[n++] = id;
    }
    *out = r;
    return (long)n;
}

const mpc_result_t *rpt_find(const mpc_run_t *run, const char *case_id,
                             const char *impl, const char *method)
{
    const mpc_result_t *found = NULL;
    for (size_t i = 0; i < run->nresults; i++) {
        const mpc_result_t *r = &run->results[i];
        if (strcmp(mdl_str(r->case_id), case_id) == 0 &&
            strcmp(mdl_str(r->impl), impl) == 0 &&
            strcmp(mdl_str(r->method), method) == 0)
            found = r;
    }
    return found;
}

char *rpt_link_dir(const char *report_path, const char *dir)
{
    if (mdl_str(dir)[0] == '\0')
        return NULL;
    char *from = mdl_strdup(report_path);
    if (from == NULL)
        return NULL;
    char *slash = strrchr(from, '/');
    if (slash != NULL)
        *slash = '\0';
    char *base = realpath(slash == NULL ? "." : from[0] ? from : "/", NULL);
    char *to = realpath(dir, NULL);
    free(from);
    if (base == NULL || to == NULL || base[0] != '/' || to[0] != '/') {
        free(base);
        free(to);
        return mdl_strdup(dir);
    }
    if (strcmp(base, "/") == 0)
        base[0] = '\0'; /* below the root: no component to climb */
    /* the longest common prefix that ends at a component boundary */
    size_t common = 0;
    for (size_t i = 0;; i++) {
        int end_b = base[i] == '\0' || base[i] == '/';
        int end_t = to[i] == '\0' || to[i] == '/';
        if (end_b && end_t)
            common = i;
        if (base[i] != to[i] || base[i] == '\0')
            break;
    }
    if (common == 0 && base[0] != '\0') {
        /* only the root in common (a report in /tmp of a source tree in
         * /home): the absolute path reads better than a climb to / */
        free(base);
        return to;
    }
    size_t ups = 0;
    for (const char *p = base + common; *p; p++)
        ups += *p == '/';
    const char *rest = to + common + (to[common] == '/');
    size_t len = 3 * ups + strlen(rest) + 2;
    char *out = malloc(len);
    if (out != NULL) {
        out[0] = '\0';
        for (size_t i = 0; i < ups; i++)
            strcat(out, i + 1 < ups || rest[0] ? "../" : "..");
        if (ups == 0 && rest[0] == '\0')
            strcat(out, ".");
        strcat(out, rest);
    }
    free(base);
    free(to);
    return out;
}

int rpt_is_failure(mpc_status_t s)
{
    switch (s) {
    case MPC_FAIL:
    case MPC_TIMEOUT:
    case MPC_CRASH:
    case MPC_ERROR:
    case MPC_XPASS:
    case MPC_FLAKY:
        return 1;
    default:
        /* an out-of-range status (a runner bug) must not pass silently */
        return (int)s < 0 || s >= MPC_NSTATUS;
    }
}

void rpt_xml_escape(FILE *f, const char *s, int attr)
{
    rpt_xml_escape_n(f, mdl_str(s), strlen(mdl_str(s)), attr);
}

void rpt_xml_escape_n(FILE *f, const char *s, size_t n, int attr)
{
    const unsigned char *p = (const unsigned char *)s;
    while (n > 0) {
        unsigned cp = 0;
        int len = mdl_utf8_decode(p, n, &cp);
        if (len == 0) {
            fputs("\xef\xbf\xbd", f); /* U+FFFD for a byte that is not UTF-8 */
            p++, n--;
            continue;
        }
        switch (cp) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        case 0:
            /* captured output can hold NUL bytes (rpt_xml_escape_n), which
             * XML cannot carry: U+2400 SYMBOL FOR NULL shows where */
            fputs("\xe2\x90\x80", f);
            break;
        case '\t':
        case '\n':
        case '\r':
            /* an attribute value would normalise a raw one to a space */
            if (attr)
                fprintf(f, "&#%u;", cp);
            else
                fputc((int)cp, f);
            break;
        default:
            /* XML 1.0 forbids the other C0 controls and U+FFFE/U+FFFF even
             * as character references; DEL and C1 controls are allowed but
             * "discouraged" there and parse errors in HTML, and show as
             * boxes: all are dropped. */
            if (cp >= 0x20 && !(cp >= 0x7f && cp <= 0x9f) && cp != 0xfffe &&
                cp != 0xffff)
                fwrite(p, 1, (size_t)len, f);
        }
        p += len, n -= (size_t)len;
    }
}

const char *rpt_status(mpc_status_t s)
{
    const char *n = mpc_status_name(s);
    return n != NULL ? n : "invalid";
}

int rpt_power(FILE *f, const mpc_run_t *run, void (*text)(FILE *, const char *),
              const char *before, const char *after)
{
    char buf[512];
    int n = 0;
    const mpc_strength_info_t *st = &run->strength;
    if (st->measured) {
        snprintf(buf, sizeof buf,
                 "Output mutation: %zu wrong variants of the oracle's outputs "
                 "in %zu passing cells: %zu rejected, %zu on lines the cases "
                 "leave free, %zu that the oracle itself can print "
                 "(conformance/strength.allow), %zu accepted with no reason",
                 st->variants, st->cells, st->rejected, st->free_, st->allowed,
                 st->accepted);
        fputs(before, f);
        text(f, buf);
        if (st->stale) {
            snprintf(buf, sizeof buf,
                     "; %zu oracle cells no longer pass their case", st->stale);
            text(f, buf);
        }
        text(f, ".");
        fputs(after, f);
        n++;
    }
    const mpc_mutation_info_t *m = &run->mutation;
    if (m->file) {
        snprintf(buf, sizeof buf,
                 "Mutants: %zu of %zu killed (%.1f%%), %zu mutants under ",
                 m->killed, m->total,
                 m->total ? 100.0 * (double)m->killed / (double)m->total : 0.0,
                 m->mutants);
        fputs(before, f);
        text(f, buf);
        for (size_t i = 0; i < m->nmethods; i++) {
            text(f, i ? "+" : "");
            text(f, m->methods[i]);
        }
        snprintf(buf, sizeof buf, ", ./scripts/mutation in %.0f min",
                 m->elapsed_s / 60);
        text(f, buf);
        if (m->commit && *m->commit) {
            text(f, " at commit ");
            text(f, m->commit);
        }
        if (m->generated && *m->generated) {
            text(f, " on ");
            text(f, m->generated);
        }
        text(f, m->nsurvivors ? "; survivors: " : "; no survivor");
        for (size_t i = 0; i < m->nsurvivors; i++) {
            text(f, i ? ", " : "");
            text(f, m->survivors[i]);
        }
        text(f, ".");
        fputs(after, f);
        n++;
    }
    return n;
}
