/* match.c - the line matcher, relations and the judge of a run. */
#include "match.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The matcher recurses about three levels per matched line: it measures
 * the stack left in the calling thread and stops (an error of the case, never
 * a crash) before using more than all but STACK_MARGIN of it.  The runner's
 * worker threads have 256 MiB stacks; a main thread has its rlimit (8 MiB). */
#define STACK_MARGIN (512 * 1024)

/* ------------------------------------------------------------ mismatch */

/* The longest actual line a mismatch quotes.  A case that floods its
 * output can make one line of a megabyte; the reports need its start, not
 * all of it. */
#define QUOTE_MAX 1000

/* A copy of the line, cut at QUOTE_MAX bytes (at a UTF-8 character
 * boundary) with the full length said after it. */
static char *quote_line(const char *s, size_t len)
{
    if (len <= QUOTE_MAX)
        return mpc_xstrndup(s, len);
    size_t cut = QUOTE_MAX;
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    return mpc_xasprintf("%.*s... (line cut: %zu bytes)", (int)cut, s, len);
}

mpc_mismatch_t *mpc_mismatch_new(const char *stream, int line,
                                 const char *expected, const char *actual,
                                 const char *relation, const char *values)
{
    mpc_mismatch_t *mm = mpc_xcalloc(1, sizeof *mm);
    mm->stream = mpc_xstrdup(stream ? stream : "");
    mm->line = line;
    mm->expected = mpc_xstrdup(expected ? expected : "");
    mm->actual = mpc_xstrdup(actual ? actual : "");
    mm->relation = mpc_xstrdup(relation ? relation : "");
    mm->values = mpc_xstrdup(values ? values : "");
    return mm;
}

void mpc_mismatch_free(mpc_mismatch_t *mm)
{
    if (!mm)
        return;
    free(mm->stream);
    free(mm->expected);
    free(mm->actual);
    free(mm->relation);
    free(mm->values);
    free(mm);
}

char *mpc_mismatch_describe(const mpc_mismatch_t *mm)
{
    if (mm->relation && *mm->relation)
        return mpc_xasprintf("%s: %s does not hold: %s", mm->stream,
                             mm->relation, mm->values);
    if (mm->line > 0)
        return mpc_xasprintf("%s line %d: expected '%s', got '%s'", mm->stream,
                             mm->line, mm->expected, mm->actual);
    return mpc_xasprintf("%s: expected %s, got %s", mm->stream, mm->expected,
                         mm->actual);
}

/* ------------------------------------------------------------ captures */

void mpc_captures_free(mpc_captures_t *caps)
{
    for (size_t i = 0; i < caps->n; i++)
        free(caps->v[i].text);
    free(caps->v);
    caps->v = NULL;
    caps->n = caps->cap = 0;
}

static void caps_push(mpc_captures_t *caps, const mpc_capture_t *c)
{
    if (caps->n == caps->cap) {
        caps->cap = caps->cap ? caps->cap * 2 : 32;
        caps->v = mpc_xrealloc(caps->v, caps->cap * sizeof *caps->v);
    }
    caps->v[caps->n++] = *c;
}

static void caps_truncate(mpc_captures_t *caps, size_t n)
{
    while (caps->n > n)
        free(caps->v[--caps->n].text);
}

/* ------------------------------------------------------- capture types */

static int isdig(char c)
{
    return c >= '0' && c <= '9';
}

static int valid_int(const char *s, size_t n)
{
    size_t i = 0;
    if (n && s[0] == '-')
        i = 1;
    if (i == n)
        return 0;
    for (; i < n; i++)
        if (!isdig(s[i]))
            return 0;
    return 1;
}

static int valid_digits(const char *s, size_t n)
{
    if (!n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isdig(s[i]))
            return 0;
    return 1;
}

static int valid_float(const char *s, size_t n)
{
    if ((n == 3 && (memcmp(s, "inf", 3) == 0 || memcmp(s, "nan", 3) == 0)) ||
        (n == 4 && memcmp(s, "-inf", 4) == 0))
        return 1;
    size_t i = 0;
    if (i < n && s[i] == '-')
        i++;
    size_t d = i;
    while (i < n && isdig(s[i]))
        i++;
    if (i == d)
        return 0;
    if (i < n && s[i] == '.') {
        i++;
        size_t f = i;
        while (i < n && isdig(s[i]))
            i++;
        if (i == f)
            return 0;
    }
    if (i < n && s[i] == 'e') {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t e = i;
        while (i < n && isdig(s[i]))
            i++;
        if (i == e)
            return 0;
    }
    return i == n;
}

static int valid_hex(const char *s, size_t n)
{
    if (n < 3 || s[0] != '0' || s[1] != 'x')
        return 0;
    for (size_t i = 2; i < n; i++)
        if (!isdig(s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
            return 0;
    return 1;
}

static int valid_ts(const char *s, size_t n)
{
    static const char fmt[] = "dddd-dd-dd dd:dd:dd.dddddd";
    if (n != 19 && n != 26)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (fmt[i] == 'd' ? !isdig(s[i]) : s[i] != fmt[i])
            return 0;
    return 1;
}

static int valid_word(const char *s, size_t n)
{
    if (!n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ' ' || s[i] == '\t')
            return 0;
    return 1;
}

static int type_valid(mpc_captype_t t, const char *s, size_t n)
{
    switch (t) {
    case MPC_CAP_INT:
        return valid_int(s, n);
    case MPC_CAP_FLOAT:
        return valid_float(s, n);
    case MPC_CAP_PID:
        return valid_digits(s, n);
    case MPC_CAP_HEX:
        return valid_hex(s, n);
    case MPC_CAP_TS:
        return valid_ts(s, n);
    case MPC_CAP_WORD:
        return valid_word(s, n);
    case MPC_CAP_TEXT:
        return 1;
    }
    return 0;
}

/* Longest candidate length worth trying for type t at s (n bytes left). */
static size_t type_span(mpc_captype_t t, const char *s, size_t n)
{
    size_t i = 0;
    switch (t) {
    case MPC_CAP_INT:
    case MPC_CAP_PID:
        while (i < n && (isdig(s[i]) || (i == 0 && s[i] == '-')))
            i++;
        return i;
    case MPC_CAP_FLOAT:
        while (i < n && (isdig(s[i]) || strchr("-+.einfa", s[i])))
            i++;
        return i;
    case MPC_CAP_HEX:
        while (i < n && (isdig(s[i]) || (s[i] >= 'a' && s[i] <= 'f') ||
                         (i == 1 && s[i] == 'x')))
            i++;
        return i;
    case MPC_CAP_TS:
        return n < 26 ? n : 26;
    case MPC_CAP_WORD:
        while (i < n && s[i] != ' ' && s[i] != '\t')
            i++;
        return i;
    case MPC_CAP_TEXT:
        return n;
    }
    return 0;
}

static double ts_value(const char *s, size_t n)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = atoi(s) - 1900;
    tm.tm_mon = atoi(s + 5) - 1;
    tm.tm_mday = atoi(s + 8);
    tm.tm_hour = atoi(s + 11);
    tm.tm_min = atoi(s + 14);
    tm.tm_sec = atoi(s + 17);
    tm.tm_isdst = -1;
    double v = (double)mktime(&tm);
    if (n == 26)
        v += atoi(s + 20) / 1e6;
    return v;
}

static double cap_number(mpc_captype_t t, const char *s, size_t n)
{
    if (t == MPC_CAP_TS)
        return ts_value(s, n);
    char buf[64];
    if (n >= sizeof buf)
        n = sizeof buf - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return strtod(buf, NULL);
}

/* ----------------------------------------------------------- the matcher */

typedef struct {
    const char *s;
    size_t len;
} lin_t;

enum { F_SEQ, F_STREAM_END, F_UNORD };

typedef struct frame {
    int kind;
    const mpc_items_t *seq; /* F_SEQ: continue seq at idx */
    size_t idx;
    const mpc_item_t *rep; /* F_SEQ: seq is rep->body, iteration `count` */
    int count;
    const mpc_item_t
        *unord; /* F_UNORD: the unordered item and its used flags */
    const unsigned char *used;
    const struct frame *next;
} frame_t;

#define MAX_STREAMS 16

typedef struct ictx {
    size_t n;
    const frame_t *cur[MAX_STREAMS]; /* NULL: stream finished */
    int active;
    const frame_t *after;
    const struct ictx *outer;
} ictx_t;

typedef struct {
    const lin_t *lines;
    size_t n;
    long steps;
    int aborted;           /* 1: too many steps, 2: too deep */
    const char *stack_top; /* address of a local of mpc_match_stream */
    size_t stack_budget;   /* bytes of stack the matcher may use */
    mpc_captures_t *caps;
    const char *stream;
    long far;                   /* furthest failing line, -1 none */
    const mpc_item_t *far_item; /* NULL: expected the end of the output */
    const ictx_t *ic;
} matcher_t;

static int run(matcher_t *m, const frame_t *k, size_t pos);

static void note_fail(matcher_t *m, size_t pos, const mpc_item_t *item)
{
    if ((long)pos > m->far) {
        m->far = (long)pos;
        m->far_item = item;
    }
}

/* Pattern matching over one line, recursive over segments. */
typedef struct {
    matcher_t *m;
    const mpc_pattern_t *pat;
    const char *s;
    size_t n;
    size_t *starts, *lens; /* per segment */
} patm_t;

static int pat_rec(patm_t *pm, size_t si, size_t pos)
{
    if (pm->m && ++pm->m->steps > MPC_MATCH_STEPS) {
        pm->m->aborted = 1;
        return 0;
    }
    if (si == pm->pat->nsegs)
        return pos == pm->n;
    const mpc_seg_t *seg = &pm->pat->segs[si];
    if (seg->lit) {
        size_t l = strlen(seg->lit);
        if (pm->n - pos < l || memcmp(pm->s + pos, seg->lit, l) != 0)
            return 0;
        return pat_rec(pm, si + 1, pos + l);
    }
    size_t left = pm->n - pos;
    size_t span = type_span(seg->type, pm->s + pos, left);
    pm->starts[si] = pos;
    if (seg->type == MPC_CAP_TEXT) {
        for (size_t l = 0; l <= left; l++) {
            pm->lens[si] = l;
            if (pat_rec(pm, si + 1, pos + l))
                return 1;
            if (pm->m && pm->m->aborted)
                return 0;
        }
        return 0;
    }
    for (size_t l = span; l > 0; l--) {
        if (!type_valid(seg->type, pm->s + pos, l))
            continue;
        pm->lens[si] = l;
        if (pat_rec(pm, si + 1, pos + l))
            return 1;
        if (pm->m && pm->m->aborted)
            return 0;
    }
    return 0;
}

static int pattern_line(matcher_t *m, const mpc_pattern_t *pat, const char *s,
                        size_t n, int lineno, mpc_captures_t *caps)
{
    size_t ns = pat->nsegs ? pat->nsegs : 1;
    size_t *buf = mpc_xmalloc(2 * ns * sizeof *buf);
    patm_t pm = {m, pat, s, n, buf, buf + ns};
    int ok = pat_rec(&pm, 0, 0);
    if (ok && caps) {
        for (size_t i = 0; i < pat->nsegs; i++) {
            const mpc_seg_t *seg = &pat->segs[i];
            if (seg->lit || !seg->name)
                continue;
            mpc_capture_t c;
            c.name = seg->name;
            c.type = seg->type;
            c.text = mpc_xstrndup(s + pm.starts[i], pm.lens[i]);
            c.num = mpc_captype_numeric(seg->type)
                        ? cap_number(seg->type, s + pm.starts[i], pm.lens[i])
                        : 0;
            c.stream = m ? m->stream : "";
            c.line = lineno;
            caps_push(caps, &c);
        }
    }
    free(buf);
    return ok;
}

int mpc_pattern_match(const mpc_pattern_t *pat, const char *line)
{
    return pattern_line(NULL, pat, line, strlen(line), 0, NULL);
}

/* Does a single-line item match line pos?  Pushes its captures. */
static int line_item(matcher_t *m, const mpc_item_t *it, size_t pos)
{
    const lin_t *l = &m->lines[pos];
    if (it->kind == MPC_IT_EQ) {
        m->steps++;
        return strlen(it->text) == l->len &&
               memcmp(it->text, l->s, l->len) == 0;
    }
    return pattern_line(m, &it->pat, l->s, l->len, (int)pos + 1, m->caps);
}

static int schedule(matcher_t *m, const ictx_t *ic, size_t pos);

/* A line was consumed; continue with k (inside an interleave: give the next
 * line to any stream). */
static int consumed(matcher_t *m, const frame_t *k, size_t pos)
{
    if (!m->ic)
        return run(m, k, pos);
    ictx_t ic2 = *m->ic;
    ic2.cur[ic2.active] = k;
    return schedule(m, &ic2, pos);
}

static int schedule(matcher_t *m, const ictx_t *ic, size_t pos)
{
    const ictx_t *saved = m->ic;
    int r = 0;
    size_t live = 0;
    for (size_t s = 0; s < ic->n; s++)
        live += ic->cur[s] != NULL;
    if (live == 0) {
        m->ic = ic->outer;
        r = run(m, ic->after, pos);
        m->ic = saved;
        return r;
    }
    for (size_t s = 0; s < ic->n && !r && !m->aborted; s++) {
        if (!ic->cur[s])
            continue;
        ictx_t ic2 = *ic;
        ic2.active = (int)s;
        m->ic = &ic2;
        r = run(m, ic2.cur[s], pos);
        m->ic = saved;
    }
    return r;
}

static int same_item(const mpc_item_t *a, const mpc_item_t *b)
{
    return a->kind == b->kind && a->optional == b->optional &&
           strcmp(a->src, b->src) == 0;
}

static int run_unord(matcher_t *m, const frame_t *k, size_t pos)
{
    const mpc_items_t *body = &k->unord->body;
    size_t nb = body->n;
    if (pos < m->n) {
        unsigned char *used2 = mpc_xmalloc(nb);
        for (size_t i = 0; i < nb && !m->aborted; i++) {
            if (k->used[i])
                continue;
            /* identical unused items are interchangeable: try the first only */
            size_t j;
            for (j = 0; j < i; j++)
                if (!k->used[j] && same_item(&body->v[j], &body->v[i]))
                    break;
            if (j < i)
                continue;
            size_t mark = m->caps->n;
            if (!line_item(m, &body->v[i], pos)) {
                caps_truncate(m->caps, mark);
                continue;
            }
            memcpy(used2, k->used, nb);
            used2[i] = 1;
            frame_t f = *k;
            f.used = used2;
            if (consumed(m, &f, pos + 1)) {
                free(used2);
                return 1;
            }
            caps_truncate(m->caps, mark);
        }
        free(used2);
    }
    if (m->aborted)
        return 0;
    for (size_t i = 0; i < nb; i++) {
        if (!k->used[i] && !body->v[i].optional) {
            note_fail(m, pos, &body->v[i]);
            return 0;
        }
    }
    return run(m, k->next, pos);
}

static int run(matcher_t *m, const frame_t *k, size_t pos)
{
    if (++m->steps > MPC_MATCH_STEPS) {
        m->aborted = 1;
        return 0;
    }
    if (m->aborted)
        return 0;
    char here;
    if ((size_t)(m->stack_top - &here) > m->stack_budget) {
        m->aborted = 2;
        return 0;
    }
    int r = 0;
    if (!k) {
        r = pos == m->n;
        if (!r)
            note_fail(m, pos, NULL);
        goto out;
    }
    if (k->kind == F_STREAM_END) {
        ictx_t ic2 = *m->ic;
        ic2.cur[ic2.active] = NULL;
        r = schedule(m, &ic2, pos);
        goto out;
    }
    if (k->kind == F_UNORD) {
        r = run_unord(m, k, pos);
        goto out;
    }
    if (k->idx == k->seq->n) {
        if (k->rep) {
            int done = k->count + 1;
            if (done < k->rep->max) {
                frame_t f = {F_SEQ, &k->rep->body, 0,    k->rep,
                             done,  NULL,          NULL, k->next};
                if (run(m, &f, pos)) {
                    r = 1;
                    goto out;
                }
            }
            if (done >= k->rep->min)
                r = run(m, k->next, pos);
        } else {
            r = run(m, k->next, pos);
        }
        goto out;
    }
    const mpc_item_t *it = &k->seq->v[k->idx];
    frame_t kn = *k;
    kn.idx++;
    switch (it->kind) {
    case MPC_IT_EQ:
    case MPC_IT_PAT: {
        size_t mark = m->caps->n;
        if (pos < m->n && line_item(m, it, pos)) {
            if (consumed(m, &kn, pos + 1)) {
                r = 1;
                break;
            }
        } else {
            note_fail(m, pos, it);
        }
        caps_truncate(m->caps, mark);
        if (it->optional && !m->aborted)
            r = run(m, &kn, pos);
        break;
    }
    case MPC_IT_ANY:
        r = run(m, &kn, pos);
        if (!r && !m->aborted && pos < m->n)
            r = consumed(m, k, pos + 1);
        break;
    case MPC_IT_REPEAT:
        if (it->max > 0) {
            frame_t f = {F_SEQ, &it->body, 0, it, 0, NULL, NULL, &kn};
            r = run(m, &f, pos);
        }
        if (!r && !m->aborted && it->min == 0)
            r = run(m, &kn, pos);
        break;
    case MPC_IT_EITHER:
        for (size_t a = 0; a < it->nalts && !r && !m->aborted; a++) {
            frame_t f = {F_SEQ, &it->alts[a], 0, NULL, 0, NULL, NULL, &kn};
            r = run(m, &f, pos);
        }
        break;
    case MPC_IT_UNORDERED: {
        unsigned char *used = mpc_xcalloc(it->body.n, 1);
        frame_t f = {F_UNORD, NULL, 0, NULL, 0, it, used, &kn};
        r = run(m, &f, pos);
        free(used);
        break;
    }
    case MPC_IT_INTERLEAVE: {
        frame_t starts[MAX_STREAMS], ends[MAX_STREAMS];
        ictx_t ic;
        memset(&ic, 0, sizeof ic);
        ic.n = it->nalts;
        ic.active = -1;
        ic.after = &kn;
        ic.outer = m->ic;
        for (size_t s = 0; s < it->nalts; s++) {
            frame_t e = {F_STREAM_END, NULL, s, NULL, 0, NULL, NULL, NULL};
            ends[s] = e;
            frame_t f = {F_SEQ, &it->alts[s], 0, NULL, 0, NULL, NULL, &ends[s]};
            starts[s] = f;
            ic.cur[s] = &starts[s];
        }
        r = schedule(m, &ic, pos);
        break;
    }
    }
out:
    return r;
}

/* Bytes of stack below here in this thread, less STACK_MARGIN. */
static size_t stack_left(const char *here)
{
    pthread_attr_t attr;
    void *addr;
    size_t size, left = 4u * 1024 * 1024;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        if (pthread_attr_getstack(&attr, &addr, &size) == 0 &&
            here > (char *)addr)
            left = (size_t)(here - (char *)addr);
        pthread_attr_destroy(&attr);
    }
    return left > 2 * STACK_MARGIN ? left - STACK_MARGIN : left / 2;
}

static size_t split_output(const char *text, size_t len, lin_t **out)
{
    size_t n = 0, cap = 16;
    lin_t *v = mpc_xmalloc(cap * sizeof *v);
    size_t i = 0;
    while (i < len) {
        const char *e = memchr(text + i, '\n', len - i);
        size_t l = e ? (size_t)(e - (text + i)) : len - i;
        if (n == cap) {
            cap *= 2;
            v = mpc_xrealloc(v, cap * sizeof *v);
        }
        v[n].s = text + i;
        v[n].len = l;
        n++;
        i += l + (e ? 1 : 0);
    }
    *out = v;
    return n;
}

int mpc_match_stream(const mpc_items_t *items, const char *stream,
                     const char *text, size_t len, mpc_captures_t *caps,
                     mpc_mismatch_t **mm, char **err)
{
    lin_t *lines;
    size_t n = split_output(text ? text : "", text ? len : 0, &lines);
    size_t mark = caps->n;
    matcher_t m;
    memset(&m, 0, sizeof m);
    m.lines = lines;
    m.n = n;
    m.caps = caps;
    m.stream = stream;
    m.far = -1;
    char top_here;
    m.stack_top = &top_here;
    m.stack_budget = stack_left(&top_here);
    frame_t top = {F_SEQ, items, 0, NULL, 0, NULL, NULL, NULL};
    int r = run(&m, &top, 0);
    if (r) {
        free(lines);
        return MPC_M_PASS;
    }
    caps_truncate(caps, mark);
    if (m.aborted) {
        *err = m.aborted == 1
                   ? mpc_xasprintf(
                         "%s: the matcher gave up after %ld steps (the case's "
                         "items are too ambiguous)",
                         stream, (long)MPC_MATCH_STEPS)
                   : mpc_xasprintf(
                         "%s: output too long for the matcher (%zu lines)",
                         stream, n);
        free(lines);
        return MPC_M_ERROR;
    }
    size_t at = m.far < 0 ? 0 : (size_t)m.far;
    char *actual = at < n ? quote_line(lines[at].s, lines[at].len)
                          : mpc_xstrdup("(end of output)");
    *mm = mpc_mismatch_new(stream, (int)at + 1,
                           m.far_item ? m.far_item->src : "(end of output)",
                           actual, "", "");
    free(actual);
    free(lines);
    return MPC_M_FAIL;
}

/* ------------------------------------------------------------ relations */

typedef struct {
    const char *text;
    int numeric, isint;
    double num;
} operand_t;

static operand_t op_cap(const mpc_capture_t *c)
{
    operand_t o = {c->text, mpc_captype_numeric(c->type),
                   c->type == MPC_CAP_INT || c->type == MPC_CAP_PID, c->num};
    return o;
}

/* A literal, numeric when it reads as a number and the other side is one. */
static operand_t op_lit(const char *s, int other_numeric)
{
    operand_t o = {s, 0, 0, 0};
    if (other_numeric) {
        char *e;
        errno = 0;
        double v = strtod(s, &e);
        if (e != s && *e == '\0') {
            o.numeric = 1;
            o.num = v;
            o.isint = valid_int(s, strlen(s));
        }
    }
    return o;
}

/* Compare integer texts exactly (no size limit). */
static int bigint_cmp(const char *a, const char *b)
{
    int na = a[0] == '-', nb = b[0] == '-';
    a += na;
    b += nb;
    while (*a == '0' && a[1])
        a++;
    while (*b == '0' && b[1])
        b++;
    if (strcmp(a, "0") == 0)
        na = 0;
    if (strcmp(b, "0") == 0)
        nb = 0;
    if (na != nb)
        return na ? -1 : 1;
    size_t la = strlen(a), lb = strlen(b);
    int c = la != lb ? (la < lb ? -1 : 1) : strcmp(a, b);
    if (c)
        c = c < 0 ? -1 : 1;
    return na ? -c : c;
}

/* -1/0/1; *ok = 0 when the values cannot be ordered. */
static int op_cmp(const operand_t *x, const operand_t *y, int *ok)
{
    *ok = 1;
    if (x->numeric && y->numeric) {
        if (x->isint && y->isint)
            return bigint_cmp(x->text, y->text);
        if (isnan(x->num) || isnan(y->num)) {
            *ok = 0;
            return 1;
        }
        return x->num < y->num ? -1 : x->num > y->num;
    }
    int c = strcmp(x->text, y->text);
    return c < 0 ? -1 : c > 0;
}

static int op_eq(const operand_t *x, const operand_t *y)
{
    int ok;
    int c = op_cmp(x, y, &ok);
    return ok && c == 0;
}

/* The values of one capture name, in output order. */
static size_t values_of(const mpc_captures_t *caps, const char *name,
                        const mpc_capture_t ***out)
{
    size_t n = 0;
    const mpc_capture_t **v = mpc_xmalloc((caps->n + 1) * sizeof *v);
    for (size_t i = 0; i < caps->n; i++)
        if (strcmp(caps->v[i].name, name) == 0)
            v[n++] = &caps->v[i];
    *out = v;
    return n;
}

static void describe_values(mpc_buf_t *b, const char *name,
                            const mpc_capture_t **v, size_t n)
{
    if (b->len)
        mpc_buf_adds(b, "; ");
    mpc_buf_printf(b, "%s=", name);
    if (n != 1)
        mpc_buf_addc(b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i == 40) {
            mpc_buf_printf(b, ", ... (%zu values)", n);
            break;
        }
        mpc_buf_printf(b, "%s%s (%s:%d)", i ? ", " : "", v[i]->text,
                       v[i]->stream, v[i]->line);
    }
    if (n != 1)
        mpc_buf_addc(b, ']');
}

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

int mpc_check_relation(const mpc_rel_t *r, const mpc_captures_t *caps,
                       mpc_mismatch_t **mm)
{
    const mpc_capture_t **va = NULL, **vb = NULL;
    size_t na = values_of(caps, r->a, &va), nb = 0;
    if (r->b)
        nb = values_of(caps, r->b, &vb);
    int ok = 1;
    const char *why = NULL;
    char whybuf[160];
    switch (r->kind) {
    case MPC_REL_EQ:
    case MPC_REL_NE:
    case MPC_REL_LT:
    case MPC_REL_LE:
    case MPC_REL_GT:
    case MPC_REL_GE:
    case MPC_REL_ABSDIFF: {
        /* against a literal: every value of a (at least one); between two
         * captures: exactly one value each */
        if ((r->b && (na != 1 || nb != 1)) || (!r->b && na == 0)) {
            ok = 0;
            snprintf(whybuf, sizeof whybuf,
                     r->b ? "a relation between two captures needs "
                            "exactly one value on each side"
                          : "no value");
            why = whybuf;
            break;
        }
        if (!r->b && na > 1) {
            for (size_t i = 0; i < na && ok; i++) {
                operand_t x = op_cap(va[i]);
                operand_t y = op_lit(r->lit, x.numeric);
                int cok = 1, c = 0;
                if (r->kind == MPC_REL_ABSDIFF)
                    break;
                if (r->kind != MPC_REL_EQ && r->kind != MPC_REL_NE)
                    c = op_cmp(&x, &y, &cok);
                ok = r->kind == MPC_REL_EQ ? op_eq(&x, &y)
                     : r->kind == MPC_REL_NE
                         ? !op_eq(&x, &y)
                         : cok && (r->kind == MPC_REL_LT   ? c < 0
                                   : r->kind == MPC_REL_LE ? c <= 0
                                   : r->kind == MPC_REL_GT ? c > 0
                                                           : c >= 0);
                if (!ok) {
                    snprintf(whybuf, sizeof whybuf,
                             "value %zu (%.40s) breaks it", i + 1, va[i]->text);
                    why = whybuf;
                }
            }
            break;
        }
        operand_t x = op_cap(va[0]);
        operand_t y = r->b ? op_cap(vb[0]) : op_lit(r->lit, x.numeric);
        if (r->kind == MPC_REL_ABSDIFF) {
            ok = fabs(x.num - y.num) <= r->tol;
            if (!ok) {
                snprintf(whybuf, sizeof whybuf, "|difference| = %.6g",
                         fabs(x.num - y.num));
                why = whybuf;
            }
            break;
        }
        if (r->kind == MPC_REL_EQ) {
            ok = op_eq(&x, &y);
        } else if (r->kind == MPC_REL_NE) {
            ok = !op_eq(&x, &y);
        } else {
            int cok;
            int c = op_cmp(&x, &y, &cok);
            ok = cok && (r->kind == MPC_REL_LT   ? c < 0
                         : r->kind == MPC_REL_LE ? c <= 0
                         : r->kind == MPC_REL_GT ? c > 0
                                                 : c >= 0);
        }
        break;
    }
    case MPC_REL_IN:
        for (size_t i = 0; i < na && ok; i++) {
            operand_t x = op_cap(va[i]);
            int found = 0;
            for (size_t j = 0; j < r->vals.n && !found; j++) {
                operand_t y = op_lit(r->vals.v[j], x.numeric);
                found = op_eq(&x, &y);
            }
            if (!found) {
                ok = 0;
                snprintf(whybuf, sizeof whybuf, "%.60s is not listed",
                         va[i]->text);
                why = whybuf;
            }
        }
        break;
    case MPC_REL_SET:
    case MPC_REL_LIST:
        if (r->range) {
            size_t want = (size_t)(r->hi - r->lo + 1);
            if (na != want) {
                ok = 0;
                snprintf(whybuf, sizeof whybuf, "%zu values, expected %zu", na,
                         want);
                why = whybuf;
                break;
            }
            long long *iv = mpc_xmalloc((na + 1) * sizeof *iv);
            for (size_t i = 0; i < na && ok; i++) {
                if (!valid_int(va[i]->text, strlen(va[i]->text))) {
                    ok = 0;
                    snprintf(whybuf, sizeof whybuf, "%.60s is not an integer",
                             va[i]->text);
                    why = whybuf;
                }
                iv[i] = strtoll(va[i]->text, NULL, 10);
            }
            if (ok && r->kind == MPC_REL_SET)
                qsort(iv, na, sizeof *iv, cmp_ll);
            for (size_t i = 0; i < na && ok; i++)
                if (iv[i] != r->lo + (long long)i) {
                    ok = 0;
                    snprintf(whybuf, sizeof whybuf,
                             r->kind == MPC_REL_LIST
                                 ? "value %zu is %lld, expected %lld"
                                 : "value %zu of the sorted values is %lld, "
                                   "expected %lld",
                             i + 1, iv[i], r->lo + (long long)i);
                    why = whybuf;
                }
            free(iv);
            break;
        }
        if (na != r->vals.n) {
            ok = 0;
            snprintf(whybuf, sizeof whybuf, "%zu values, expected %zu", na,
                     r->vals.n);
            why = whybuf;
            break;
        }
        if (r->kind == MPC_REL_LIST) {
            for (size_t i = 0; i < na && ok; i++) {
                operand_t x = op_cap(va[i]);
                operand_t y = op_lit(r->vals.v[i], x.numeric);
                if (!op_eq(&x, &y)) {
                    ok = 0;
                    snprintf(whybuf, sizeof whybuf,
                             "value %zu is %.40s, expected %.40s", i + 1,
                             va[i]->text, r->vals.v[i]);
                    why = whybuf;
                }
            }
        } else {
            unsigned char *used = mpc_xcalloc(r->vals.n + 1, 1);
            for (size_t i = 0; i < na && ok; i++) {
                operand_t x = op_cap(va[i]);
                int found = 0;
                for (size_t j = 0; j < r->vals.n && !found; j++) {
                    if (used[j])
                        continue;
                    operand_t y = op_lit(r->vals.v[j], x.numeric);
                    if (op_eq(&x, &y))
                        used[j] = 1, found = 1;
                }
                if (!found) {
                    ok = 0;
                    snprintf(whybuf, sizeof whybuf,
                             "%.60s is not (or no longer) expected",
                             va[i]->text);
                    why = whybuf;
                }
            }
            free(used);
        }
        break;
    case MPC_REL_COUNT:
        ok = (long long)na == r->count;
        if (!ok) {
            snprintf(whybuf, sizeof whybuf, "%zu values", na);
            why = whybuf;
        }
        break;
    case MPC_REL_DISTINCT:
        for (size_t i = 0; i < na && ok; i++)
            for (size_t j = i + 1; j < na && ok; j++) {
                operand_t x = op_cap(va[i]), y = op_cap(va[j]);
                if (op_eq(&x, &y)) {
                    ok = 0;
                    snprintf(whybuf, sizeof whybuf,
                             "values %zu and %zu are both %.60s", i + 1, j + 1,
                             va[i]->text);
                    why = whybuf;
                }
            }
        break;
    case MPC_REL_SORTED:
        for (size_t i = 1; i < na && ok; i++) {
            operand_t x = op_cap(va[i - 1]), y = op_cap(va[i]);
            int cok;
            if (op_cmp(&x, &y, &cok) > 0 || !cok) {
                ok = 0;
                snprintf(whybuf, sizeof whybuf,
                         "value %zu (%.30s) > value %zu (%.30s)", i,
                         va[i - 1]->text, i + 1, va[i]->text);
                why = whybuf;
            }
        }
        break;
    }
    if (!ok) {
        mpc_buf_t b;
        mpc_buf_init(&b);
        describe_values(&b, r->a, va, na);
        if (r->b)
            describe_values(&b, r->b, vb, nb);
        if (why)
            mpc_buf_printf(&b, " (%s)", why);
        *mm = mpc_mismatch_new("checks", na ? va[0]->line : 0, "", "", r->src,
                               b.s);
        mpc_buf_free(&b);
    }
    free(va);
    free(vb);
    return ok ? MPC_M_PASS : MPC_M_FAIL;
}

/* --------------------------------------------------------------- oracle */

void mpc_oracle_vals_free(mpc_oracle_vals_t *o)
{
    mpc_strv_free(&o->names);
    mpc_strv_free(&o->values);
}

int mpc_oracle_read(const char *path, const char *method, mpc_oracle_vals_t *o,
                    size_t *found)
{
    memset(o, 0, sizeof *o);
    *found = 0;
    char *text = mpc_read_file(path, NULL);
    if (!text)
        return -1;
    size_t ml = strlen(method);
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, method, ml) != 0 || line[ml] != ' ')
            continue;
        char *name = line + ml + 1;
        char *sp = strchr(name, ' ');
        mpc_strv_push(&o->names, sp ? mpc_xstrndup(name, (size_t)(sp - name))
                                    : mpc_xstrdup(name));
        mpc_strv_pushdup(&o->values, sp ? sp + 1 : "");
        (*found)++;
    }
    free(text);
    return 0;
}

/* ---------------------------------------------------------------- judge */

static char *last_line(const char *s, size_t n)
{
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    size_t b = n;
    while (b && s[b - 1] != '\n')
        b--;
    if (n - b > 200)
        n = b + 200;
    return mpc_xstrndup(s + b, n - b);
}

static char *status_text(int st)
{
    if (st < 0)
        return mpc_xasprintf("killed by signal %d", -st);
    return mpc_xasprintf("exit %d", st);
}

int mpc_judge(const mpc_case_t *c, const mpc_run_output_t *run,
              const mpc_oracle_vals_t *oracle, mpc_captures_t *caps,
              mpc_mismatch_t **mm, char **detail)
{
    char *err = NULL;
    *mm = NULL;
    *detail = NULL;
    if (run->exit_status != c->exit_status) {
        char *want = status_text(c->exit_status),
             *got = status_text(run->exit_status);
        char *last = last_line(run->err, run->errlen);
        *mm = mpc_mismatch_new("exit", 0, want, got, "", "");
        *detail = *last ? mpc_xasprintf("%s, expected %s; stderr: %s", got,
                                        want, last)
                        : mpc_xasprintf("%s, expected %s", got, want);
        free(want);
        free(got);
        free(last);
        return MPC_M_FAIL;
    }
    int r = mpc_match_stream(&c->out, "stdout", run->out, run->outlen, caps, mm,
                             &err);
    if (r == MPC_M_PASS && c->has_stderr)
        r = mpc_match_stream(&c->err, "stderr", run->err, run->errlen, caps, mm,
                             &err);
    if (r == MPC_M_ERROR) {
        *detail = err;
        return r;
    }
    if (r == MPC_M_FAIL) {
        *detail = mpc_mismatch_describe(*mm);
        return r;
    }
    for (size_t i = 0; i < c->nchecks; i++) {
        if (mpc_check_relation(&c->checks[i], caps, mm) != MPC_M_PASS) {
            *detail = mpc_mismatch_describe(*mm);
            return MPC_M_FAIL;
        }
    }
    if (c->has_wall) {
        double bound = c->wall_d * run->time_scale + c->wall_s;
        if (run->wall > bound) {
            char want[64], got[64];
            snprintf(want, sizeof want, "<= %.3f s", bound);
            snprintf(got, sizeof got, "%.3f s", run->wall);
            *mm = mpc_mismatch_new("wall", 0, want, got, "", "");
            *detail = mpc_xasprintf(
                "wall time %.3f s exceeds the bound %g * %g + %g = %.3f s",
                run->wall, c->wall_d, run->time_scale, c->wall_s, bound);
            return MPC_M_FAIL;
        }
    }
    if (oracle) {
        for (size_t k = 0; k < c->oracle.n; k++) {
            const char *name = c->oracle.v[k];
            mpc_buf_t want, got;
            mpc_buf_init(&want);
            mpc_buf_init(&got);
            size_t nw = 0, ng = 0;
            for (size_t i = 0; i < oracle->names.n; i++)
                if (strcmp(oracle->names.v[i], name) == 0)
                    mpc_buf_printf(&want, "%s%s", nw++ ? ", " : "",
                                   oracle->values.v[i]);
            for (size_t i = 0; i < caps->n; i++)
                if (strcmp(caps->v[i].name, name) == 0)
                    mpc_buf_printf(&got, "%s%s", ng++ ? ", " : "",
                                   caps->v[i].text);
            int same = nw == ng &&
                       strcmp(want.s ? want.s : "", got.s ? got.s : "") == 0;
            if (same) {
                /* compare value by value (a value may hold ", ") */
                size_t wi = 0, gi = 0;
                while (same) {
                    while (wi < oracle->names.n &&
                           strcmp(oracle->names.v[wi], name))
                        wi++;
                    while (gi < caps->n && strcmp(caps->v[gi].name, name))
                        gi++;
                    if (wi >= oracle->names.n || gi >= caps->n)
                        break;
                    same = strcmp(oracle->values.v[wi], caps->v[gi].text) == 0;
                    wi++;
                    gi++;
                }
            }
            if (!same) {
                char *rel = mpc_xasprintf("oracle: %s", name);
                char *vals =
                    mpc_xasprintf("%s=[%s] (oracle: [%s])", name,
                                  got.s ? got.s : "", want.s ? want.s : "");
                *mm = mpc_mismatch_new("oracle", 0, want.s ? want.s : "",
                                       got.s ? got.s : "", rel, vals);
                *detail = mpc_mismatch_describe(*mm);
                free(rel);
                free(vals);
            }
            mpc_buf_free(&want);
            mpc_buf_free(&got);
            if (!same)
                return MPC_M_FAIL;
        }
    }
    return MPC_M_PASS;
}
