/*
 * strength.c - output mutation, the engine of `mpconform strength` and of
 * the strength figures every run that includes the oracle reports.
 *
 * From a passing oracle run, the outputs a broken implementation would
 * print are made from the real one -- two adjacent distinct lines swapped,
 * a line dropped or duplicated, one number changed, a timestamp or the wall
 * time moved beyond the case's tolerance, the exit status changed, a
 * traceback added to stderr, the output cut short -- and each is judged by
 * the same matcher as a real run.  A variant the case accepts counts
 * against the case, unless the line it touched is one the case leaves free
 * (replacing that line by garbage is accepted too: a `...` or a capture no
 * relation reads) or an allow-list line (conformance/strength.allow:
 * CASE-GLOB KIND REASON) says why CPython itself may print it.
 */
#include "strength.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "util.h"

/* At most this many positions of one kind in one stream (spread over the
 * output): a 10 000-line output must not cost 10 000 judgements per kind. */
#define MAX_POS 24

enum {
    K_SWAP,
    K_DROP,
    K_DUP,
    K_NUMBER,
    K_TIME,
    K_EXIT,
    K_TRACEBACK,
    K_CUT,
    NKINDS
};
static const char *const KIND[NKINDS] = {
    "swap", "drop", "dup", "number", "time", "exit", "traceback", "cut",
};

typedef struct {
    char **v; /* lines, without their newline */
    size_t n;
    int final_nl; /* the text ended with a newline */
} lines_t;

static void lines_split(lines_t *l, const char *s)
{
    memset(l, 0, sizeof *l);
    size_t len = strlen(s), cap = 0;
    l->final_nl = len > 0 && s[len - 1] == '\n';
    const char *p = s, *end = s + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        if (l->n == cap) {
            cap = cap ? cap * 2 : 16;
            l->v = mpc_xrealloc(l->v, cap * sizeof *l->v);
        }
        l->v[l->n++] = mpc_xstrndup(p, (size_t)(e - p));
        p = nl ? nl + 1 : end;
    }
}

static void lines_free(lines_t *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

/* Join lines[0..n) but with line `at` replaced by `repl` (NULL: dropped;
 * at == n: none), line `dup` written twice, or lines `sw` and `sw+1`
 * swapped (sw == n: none). */
static char *lines_join(const lines_t *l, size_t n, size_t at, const char *repl,
                        size_t dup, size_t sw)
{
    mpc_buf_t b;
    mpc_buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        const char *s = l->v[i];
        if (sw < n && i == sw)
            s = l->v[i + 1];
        else if (sw < n && i == sw + 1)
            s = l->v[i - 1];
        if (i == at) {
            if (!repl)
                continue;
            s = repl;
        }
        mpc_buf_adds(&b, s);
        if (i + 1 < n || l->final_nl || n < l->n)
            mpc_buf_addc(&b, '\n');
        if (i == dup) {
            mpc_buf_adds(&b, s);
            mpc_buf_addc(&b, '\n');
        }
    }
    if (!b.s)
        mpc_buf_adds(&b, "");
    return mpc_buf_take(&b);
}

/* Positions 0..n-1, at most MAX_POS of them, spread evenly. */
static size_t npos(size_t n)
{
    return n < MAX_POS ? n : MAX_POS;
}
static size_t pos(size_t n, size_t k)
{
    return n <= MAX_POS ? k : k * n / MAX_POS;
}

typedef struct {
    const mpc_case_t *c;
    mpc_run_output_t base;
    size_t tried[NKINDS], rejected[NKINDS], free_[NKINDS], allowed[NKINDS];
    size_t bad; /* accepted, unexplained */
    const char *method;
    const mpc_strv_t *allow; /* "GLOB KIND" pairs, reason dropped */
    mpc_captures_t caps;     /* of the real run */
    FILE *say;               /* where accepted variants are named, or NULL */
} ctx_t;

static int judge(const ctx_t *x, const char *out, const char *err,
                 int exit_status, double wall)
{
    mpc_run_output_t r = x->base;
    r.out = out;
    r.outlen = strlen(out);
    r.err = err;
    r.errlen = strlen(err);
    r.exit_status = exit_status;
    r.wall = wall;
    mpc_captures_t caps = {0};
    mpc_mismatch_t *mm = NULL;
    char *detail = NULL;
    int v = mpc_judge(x->c, &r, NULL, &caps, &mm, &detail);
    mpc_captures_free(&caps);
    if (mm)
        mpc_mismatch_free(mm);
    free(detail);
    return v;
}

static int allowed(const ctx_t *x, int kind)
{
    for (size_t i = 0; i + 1 < x->allow->n; i += 2)
        if (fnmatch(x->allow->v[i], x->c->id, 0) == 0 &&
            (strcmp(x->allow->v[i + 1], KIND[kind]) == 0 ||
             strcmp(x->allow->v[i + 1], "*") == 0))
            return 1;
    return 0;
}

/* Judge one variant; free_line: the variant touched a line the case leaves
 * free (a garbage line there is accepted too). */
static void variant(ctx_t *x, int kind, const char *what, const char *out,
                    const char *err, int exit_status, double wall,
                    int free_line)
{
    x->tried[kind]++;
    int v = judge(x, out, err, exit_status, wall);
    if (v != MPC_M_PASS) {
        x->rejected[kind]++;
        return;
    }
    if (free_line) {
        x->free_[kind]++;
        return;
    }
    if (allowed(x, kind)) {
        x->allowed[kind]++;
        return;
    }
    x->bad++;
    if (x->say)
        fprintf(x->say, "ACCEPTED %s %s %s: %s\n", x->c->id, x->method,
                KIND[kind], what);
}

/* Indented like a traceback's frame line, which cases leave free. */
#define GARBAGE "  \x01mpconform strength: not a line any case expects"

/* Does some single-line item of items (at any depth) match line? */
static int matches_some(const mpc_items_t *items, const char *line)
{
    for (size_t i = 0; i < items->n; i++) {
        const mpc_item_t *it = &items->v[i];
        switch (it->kind) {
        case MPC_IT_EQ:
            if (strcmp(it->text, line) == 0)
                return 1;
            break;
        case MPC_IT_PAT:
            if (mpc_pattern_match(&it->pat, line))
                return 1;
            break;
        case MPC_IT_ANY:
            break;
        case MPC_IT_REPEAT:
        case MPC_IT_UNORDERED:
            if (matches_some(&it->body, line))
                return 1;
            break;
        case MPC_IT_INTERLEAVE:
        case MPC_IT_EITHER:
            for (size_t k = 0; k < it->nalts; k++)
                if (matches_some(&it->alts[k], line))
                    return 1;
            break;
        }
    }
    return 0;
}

/* Is the order of lines a and b left free by the case itself: both match
 * items of one `unordered` block, or items of two different streams of
 * one `interleave`? */
static int order_free(const mpc_items_t *items, const char *a, const char *b)
{
    for (size_t i = 0; i < items->n; i++) {
        const mpc_item_t *it = &items->v[i];
        if (it->kind == MPC_IT_UNORDERED && matches_some(&it->body, a) &&
            matches_some(&it->body, b))
            return 1;
        if (it->kind == MPC_IT_INTERLEAVE)
            for (size_t j = 0; j < it->nalts; j++)
                for (size_t k = 0; k < it->nalts; k++)
                    if (j != k && matches_some(&it->alts[j], a) &&
                        matches_some(&it->alts[k], b))
                        return 1;
        if ((it->kind == MPC_IT_REPEAT || it->kind == MPC_IT_UNORDERED) &&
            order_free(&it->body, a, b))
            return 1;
        if (it->kind == MPC_IT_INTERLEAVE || it->kind == MPC_IT_EITHER)
            for (size_t k = 0; k < it->nalts; k++)
                if (order_free(&it->alts[k], a, b))
                    return 1;
    }
    return 0;
}

/* Does the case accept any text at line i of this stream? */
static int line_free(const ctx_t *x, const lines_t *l, int is_err, size_t i)
{
    char *t = lines_join(l, l->n, i, GARBAGE, l->n, l->n);
    int v = is_err
                ? judge(x, x->base.out, t, x->base.exit_status, x->base.wall)
                : judge(x, t, x->base.err, x->base.exit_status, x->base.wall);
    free(t);
    return v == MPC_M_PASS;
}

/* Where the k-th number of s starts and ends (digits, with a fraction:
 * "0.25" is one number); 0 when there is none. */
static int find_number(const char *s, int k, const char **start,
                       const char **end)
{
    const char *p = s;
    int seen = 0;
    while (*p) {
        if (*p >= '0' && *p <= '9') {
            const char *e = p;
            while (*e >= '0' && *e <= '9')
                e++;
            if (e[0] == '.' && e[1] >= '0' && e[1] <= '9')
                for (e++; *e >= '0' && *e <= '9';)
                    e++;
            if (seen++ == k) {
                *start = p;
                *end = e;
                return 1;
            }
            p = e;
        } else {
            p++;
        }
    }
    return 0;
}

/* Does the case accept any extra line after line i of this stream (a
 * `...` there)? */
static int insert_free(const ctx_t *x, const lines_t *l, int is_err, size_t i)
{
    lines_t m = *l;
    m.v = mpc_xmalloc((l->n + 1) * sizeof *m.v);
    memcpy(m.v, l->v, (i + 1) * sizeof *m.v);
    m.v[i + 1] = (char *)GARBAGE;
    memcpy(m.v + i + 2, l->v + i + 1, (l->n - i - 1) * sizeof *m.v);
    m.n = l->n + 1;
    m.final_nl = 1;
    char *t = lines_join(&m, m.n, m.n, NULL, m.n, m.n);
    free(m.v);
    int v = is_err
                ? judge(x, x->base.out, t, x->base.exit_status, x->base.wall)
                : judge(x, t, x->base.err, x->base.exit_status, x->base.wall);
    free(t);
    return v == MPC_M_PASS;
}

/* Is the value of capture `name` free: read by no relation but `count` and
 * `distinct` (a pid, an address), and not an oracle capture? */
static int capture_free(const mpc_case_t *c, const char *name)
{
    for (size_t i = 0; i < c->nchecks; i++) {
        const mpc_rel_t *r = &c->checks[i];
        if (r->kind == MPC_REL_COUNT || r->kind == MPC_REL_DISTINCT)
            continue;
        if (strcmp(r->a, name) == 0 || (r->b && strcmp(r->b, name) == 0))
            return 0;
    }
    return !mpc_strv_has(&c->oracle, name);
}

/* Was the k-th number of line i a part of a free capture's text, or of an
 * address (0x...: addresses change from run to run, so a case can only
 * compare them with each other)? */
static int number_free(const ctx_t *x, const char *stream, size_t i,
                       const char *s, int k)
{
    const char *p, *e;
    if (!find_number(s, k, &p, &e))
        return 0;
    const char *h = p;
    while (h > s && isxdigit((unsigned char)h[-1]))
        h--;
    int in_hex = h - s >= 2 && h[-1] == 'x' && h[-2] == '0';
    char *digits = mpc_xstrndup(p, (size_t)(e - p));
    int fr = 0;
    for (size_t j = 0; j < x->caps.n && !fr; j++) {
        const mpc_capture_t *cp = &x->caps.v[j];
        if (strcmp(cp->stream, stream) != 0 || cp->line != (int)i + 1 ||
            !strstr(cp->text, digits))
            continue;
        fr = capture_free(x->c, cp->name);
    }
    free(digits);
    return fr || in_hex;
}

/* The line with its k-th number changed: its whole part + 1000003 (no
 * count, index, size or duration a case lists), or NULL when there is
 * none. */
static char *change_number(const char *s, int k)
{
    const char *p, *e;
    if (!find_number(s, k, &p, &e))
        return NULL;
    unsigned long long n = strtoull(p, NULL, 10);
    const char *frac = p;
    while (frac < e && *frac != '.')
        frac++;
    return mpc_xasprintf("%.*s%llu%.*s%s", (int)(p - s), s, n + 1000003ull,
                         (int)(e - frac), frac, e);
}

/* A `YYYY-MM-DD HH:MM:SS` in the line moved by `shift` seconds (the
 * seconds field only, carrying into minutes), or NULL. */
static char *move_timestamp(const char *s, int shift)
{
    for (const char *p = s; *p; p++) {
        int y, mo, d, h, mi, se, n = 0;
        if (sscanf(p, "%4d-%2d-%2d %2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &se,
                   &n) == 6 &&
            n == 19) {
            int t = (h * 60 + mi) * 60 + se + shift;
            if (t < 0 || t >= 86400)
                return NULL;
            return mpc_xasprintf("%.*s%04d-%02d-%02d %02d:%02d:%02d%s",
                                 (int)(p - s), s, y, mo, d, t / 3600,
                                 t / 60 % 60, t % 60, p + 19);
        }
    }
    return NULL;
}

static void mutate_stream(ctx_t *x, int is_err, double ts_shift)
{
    const char *text = is_err ? x->base.err : x->base.out;
    const char *name = is_err ? "stderr" : "stdout";
    lines_t l;
    lines_split(&l, text);
    char what[200];
#define EMIT(kind, t, free_line)                                               \
    do {                                                                       \
        if (is_err)                                                            \
            variant(x, kind, what, x->base.out, t, x->base.exit_status,        \
                    x->base.wall, free_line);                                  \
        else                                                                   \
            variant(x, kind, what, t, x->base.err, x->base.exit_status,        \
                    x->base.wall, free_line);                                  \
    } while (0)
    /* swaps of two adjacent distinct lines */
    size_t nsw = 0;
    for (size_t i = 0; i + 1 < l.n; i++)
        nsw += strcmp(l.v[i], l.v[i + 1]) != 0;
    for (size_t k = 0, seen = 0, i = 0; i + 1 < l.n; i++) {
        if (strcmp(l.v[i], l.v[i + 1]) == 0)
            continue;
        if (k < npos(nsw) && seen++ == pos(nsw, k)) {
            k++;
            char *t = lines_join(&l, l.n, l.n, NULL, l.n, i);
            snprintf(what, sizeof what, "%s lines %zu and %zu swapped", name,
                     i + 1, i + 2);
            EMIT(K_SWAP, t,
                 order_free(is_err ? &x->c->err : &x->c->out, l.v[i],
                            l.v[i + 1]) ||
                     (line_free(x, &l, is_err, i) &&
                      line_free(x, &l, is_err, i + 1)));
            free(t);
        }
    }
    for (size_t k = 0; k < npos(l.n); k++) {
        size_t i = pos(l.n, k);
        int fr = line_free(x, &l, is_err, i);
        char *t = lines_join(&l, l.n, i, NULL, l.n, l.n);
        snprintf(what, sizeof what, "%s line %zu dropped: %.80s", name, i + 1,
                 l.v[i]);
        EMIT(K_DROP, t, fr);
        free(t);
        t = lines_join(&l, l.n, l.n, NULL, i, l.n);
        snprintf(what, sizeof what, "%s line %zu duplicated: %.80s", name,
                 i + 1, l.v[i]);
        /* the copy may count as an extra line before the original too */
        EMIT(K_DUP, t,
             insert_free(x, &l, is_err, i) ||
                 (i > 0 && insert_free(x, &l, is_err, i - 1)));
        free(t);
        for (int d = 0; d < 8; d++) {
            char *ch = change_number(l.v[i], d);
            if (!ch)
                break;
            t = lines_join(&l, l.n, i, ch, l.n, l.n);
            snprintf(what, sizeof what, "%s line %zu: %.80s", name, i + 1, ch);
            EMIT(K_NUMBER, t, fr || number_free(x, name, i, l.v[i], d));
            free(t);
            free(ch);
        }
        char *mv = move_timestamp(l.v[i], (int)ts_shift);
        if (mv) {
            t = lines_join(&l, l.n, i, mv, l.n, l.n);
            snprintf(what, sizeof what, "%s line %zu: %.80s", name, i + 1, mv);
            EMIT(K_TIME, t, fr);
            free(t);
            free(mv);
        }
    }
    /* cut short: the first half of the lines */
    if (l.n >= 2) {
        char *t = lines_join(&l, l.n / 2, l.n, NULL, l.n, l.n);
        snprintf(what, sizeof what, "%s cut after line %zu of %zu", name,
                 l.n / 2, l.n);
        EMIT(K_CUT, t, 0);
        free(t);
    }
#undef EMIT
    lines_free(&l);
}

static void mutate(ctx_t *x)
{
    /* a timestamp moved past every tolerance the case states */
    double tol = 0;
    for (size_t i = 0; i < x->c->nchecks; i++)
        if (x->c->checks[i].kind == MPC_REL_ABSDIFF &&
            x->c->checks[i].tol > tol)
            tol = x->c->checks[i].tol;
    double shift = tol + 2;
    mutate_stream(x, 0, shift);
    mutate_stream(x, 1, shift);
    char what[200];
    snprintf(what, sizeof what, "exit status %d instead of %d",
             x->base.exit_status ? 0 : 1, x->base.exit_status);
    variant(x, K_EXIT, what, x->base.out, x->base.err,
            x->base.exit_status ? 0 : 1, x->base.wall, 0);
    char *tb = mpc_xasprintf(
        "%sTraceback (most recent call last):\n  File \"case.py\", line 1, "
        "in <module>\nRuntimeError: a traceback no correct run prints\n",
        x->base.err);
    snprintf(what, sizeof what, "a traceback appended to stderr");
    variant(x, K_TRACEBACK, what, x->base.out, tb, x->base.exit_status,
            x->base.wall, 0);
    free(tb);
    if (x->c->has_wall) {
        double bound = x->c->wall_d * x->base.time_scale + x->c->wall_s;
        snprintf(what, sizeof what, "wall time %.2f s (bound %.2f s)",
                 bound + 1, bound);
        variant(x, K_TIME, what, x->base.out, x->base.err, x->base.exit_status,
                bound + 1, 0);
    }
}

int mpc_strength_allow_load(const char *path, mpc_strv_t *allow)
{
    size_t len;
    char *text = mpc_read_file(path, &len);
    if (!text) {
        fprintf(stderr, "mpconform strength: cannot read %s\n", path);
        return -1;
    }
    int no = 0;
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        no++;
        char *s = mpc_trim(line);
        if (!*s || *s == '#')
            continue;
        char glob[256], kind[32];
        int n = 0;
        if (sscanf(s, "%255s %31s %n", glob, kind, &n) != 2 || !s[n]) {
            fprintf(stderr,
                    "%s:%d: want CASE-GLOB KIND REASON (the reason is "
                    "required)\n",
                    path, no);
            free(text);
            return -1;
        }
        int known = strcmp(kind, "*") == 0;
        for (int k = 0; k < NKINDS; k++)
            known |= strcmp(kind, KIND[k]) == 0;
        if (!known) {
            fprintf(stderr, "%s:%d: unknown kind '%s'\n", path, no, kind);
            free(text);
            return -1;
        }
        mpc_strv_pushdup(allow, glob);
        mpc_strv_pushdup(allow, kind);
    }
    free(text);
    return 0;
}

int mpc_strength_cell(const mpc_case_t *c, const mpc_result_t *r,
                      double time_scale, const mpc_strv_t *allow, FILE *say,
                      mpc_strength_cell_t *out)
{
    memset(out, 0, sizeof *out);
    ctx_t x;
    memset(&x, 0, sizeof x);
    x.c = c;
    x.method = r->method;
    x.allow = allow;
    x.say = say;
    x.base.out = r->out ? r->out : "";
    x.base.err = r->err ? r->err : "";
    x.base.outlen = strlen(x.base.out);
    x.base.errlen = strlen(x.base.err);
    x.base.exit_status = r->exit_status;
    x.base.wall = r->duration_s;
    x.base.time_scale = c->has_time_scale ? c->time_scale : time_scale;
    mpc_mismatch_t *mm = NULL;
    char *detail = NULL;
    int v = mpc_judge(c, &x.base, NULL, &x.caps, &mm, &detail);
    if (mm)
        mpc_mismatch_free(mm);
    free(detail);
    if (v != MPC_M_PASS) {
        /* the recorded run no longer passes (the case changed since):
         * nothing to measure against */
        mpc_captures_free(&x.caps);
        return -1;
    }
    mutate(&x);
    mpc_captures_free(&x.caps);
    for (int k = 0; k < NKINDS; k++) {
        out->tried += x.tried[k];
        out->rejected += x.rejected[k];
        out->free_ += x.free_[k];
        out->allowed += x.allowed[k];
    }
    out->accepted = x.bad;
    return 0;
}
