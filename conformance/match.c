/* match.c - the line matcher, relations and the judge of a run. */
#include "match.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
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

/*
 * Each capture type as a deterministic automaton over the bytes of a
 * candidate: cap_step() is the state after one more byte (-1: no value of
 * the type starts so), cap_accepts() whether the bytes read so far are a
 * whole value.  State 0 is the start.  The line matcher runs them all at
 * once (pattern_line), so a capture never rescans its candidates.
 */
#define TS_FORMAT "dddd-dd-dd dd:dd:dd.dddddd"

static int ishex(int c)
{
    return isdig((char)c) || (c >= 'a' && c <= 'f');
}

/* float: -?D+(.D+)?(e[+-]?D+)? | inf | -inf | nan, states:
 * 0 start, 1 '-', 2 D+, 3 D+., 4 D+.D+, 5 ...e, 6 ...e+, 7 ...e+D+,
 * 8 'i', 9 'in', 10 'inf', 11 'n', 12 'na', 13 'nan' */
static int float_step(int q, int c)
{
    int d = isdig((char)c);
    switch (q) {
    case 0:
    case 1:
        return d                    ? 2
               : c == 'i'           ? 8
               : q == 0 && c == '-' ? 1
               : q == 0 && c == 'n' ? 11
                                    : -1;
    case 2:
        return d ? 2 : c == '.' ? 3 : c == 'e' ? 5 : -1;
    case 3:
    case 4:
        return d ? 4 : q == 4 && c == 'e' ? 5 : -1;
    case 5:
        return d ? 7 : c == '+' || c == '-' ? 6 : -1;
    case 6:
    case 7:
        return d ? 7 : -1;
    case 8:
        return c == 'n' ? 9 : -1;
    case 9:
        return c == 'f' ? 10 : -1;
    case 11:
        return c == 'a' ? 12 : -1;
    case 12:
        return c == 'n' ? 13 : -1;
    }
    return -1;
}

static int cap_step(mpc_captype_t t, int q, unsigned char c)
{
    switch (t) {
    case MPC_CAP_INT: /* 0 start, 1 '-', 2 digits */
        return isdig((char)c) ? 2 : q == 0 && c == '-' ? 1 : -1;
    case MPC_CAP_PID:
        return isdig((char)c) ? 2 : -1;
    case MPC_CAP_FLOAT:
        return float_step(q, c);
    case MPC_CAP_HEX: /* 0 start, 1 '0', 2 '0x', 3 '0x' hex digits */
        return q == 0   ? (c == '0' ? 1 : -1)
               : q == 1 ? (c == 'x' ? 2 : -1)
                        : (ishex(c) ? 3 : -1);
    case MPC_CAP_TS: /* the number of bytes read */
        if (q >= (int)sizeof TS_FORMAT - 1)
            return -1;
        return (TS_FORMAT[q] == 'd' ? isdig((char)c) : c == TS_FORMAT[q])
                   ? q + 1
                   : -1;
    case MPC_CAP_WORD:
        return c != ' ' && c != '\t' ? 1 : -1;
    case MPC_CAP_TEXT:
        return 0;
    }
    return -1;
}

static int cap_accepts(mpc_captype_t t, int q)
{
    switch (t) {
    case MPC_CAP_INT:
    case MPC_CAP_PID:
        return q == 2;
    case MPC_CAP_FLOAT:
        return q == 2 || q == 4 || q == 7 || q == 10 || q == 13;
    case MPC_CAP_HEX:
        return q == 3;
    case MPC_CAP_TS:
        return q == 19 || q == 26;
    case MPC_CAP_WORD:
        return q == 1;
    case MPC_CAP_TEXT:
        return 1;
    }
    return 0;
}

static int cap_nstates(mpc_captype_t t)
{
    switch (t) {
    case MPC_CAP_INT:
    case MPC_CAP_PID:
        return 3;
    case MPC_CAP_FLOAT:
        return 14;
    case MPC_CAP_HEX:
        return 4;
    case MPC_CAP_TS:
        return (int)sizeof TS_FORMAT;
    case MPC_CAP_WORD:
        return 2;
    case MPC_CAP_TEXT:
        return 1;
    }
    return 1;
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
    long work;             /* bytes x threads of the line matcher */
    int aborted;           /* 1: too many steps, 2: too deep, 3: too much
                            * work */
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

/*
 * One line against one pattern, in one pass over the line (a Pike VM, as
 * RE2's and Thompson's): every way the pattern can have read the line so
 * far is a thread (segment, state within it, where each segment started
 * and ended), kept in priority order; each byte advances all threads at
 * once, and two threads in the same state keep only the first, since they
 * can only continue alike.  The priority is the order the documented
 * backtracking would try them in: inside a capture, reading one more byte
 * comes before ending the capture (longest first), except `text` (shortest
 * first).  So the captures are those of the first match in that order,
 * and the work is at most (bytes x states of the pattern), never a
 * rescan per candidate length.
 */
typedef struct {
    size_t si; /* segment; si == nsegs: the whole pattern read */
    int q;     /* offset in a literal, or state of a capture's automaton */
} vm_state_t;

typedef struct {
    vm_state_t *st;
    size_t *caps; /* per thread: 2 x nsegs (start, end of each segment) */
    size_t n, cap;
} vm_list_t;

typedef struct {
    const mpc_pattern_t *pat;
    size_t ncaps;   /* 2 x nsegs */
    size_t *base;   /* first state id of each segment (nsegs + 1) */
    unsigned *seen; /* per state id: the generation that added it */
    unsigned gen;
    size_t *work;  /* the caps of the thread being added */
    size_t *texts; /* vm_add's `text` segments (nsegs) */
    long steps;    /* threads advanced, threads added */
} vm_t;

static size_t seg_states(const mpc_seg_t *seg)
{
    return seg->lit ? strlen(seg->lit) : (size_t)cap_nstates(seg->type);
}

static void vm_push(vm_t *vm, vm_list_t *l, size_t si, int q)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->st = mpc_xrealloc(l->st, l->cap * sizeof *l->st);
        l->caps =
            mpc_xrealloc(l->caps, l->cap * (vm->ncaps + 1) * sizeof *l->caps);
    }
    l->st[l->n] = (vm_state_t){si, q};
    memcpy(l->caps + l->n * (vm->ncaps + 1), vm->work,
           vm->ncaps * sizeof *vm->work);
    l->n++;
}

/* Add the thread (si, q) at pos, with vm->work as its captures, and every
 * thread it reaches without reading a byte (ending a capture that
 * accepts, entering the next segment), in priority order. */
static void vm_add(vm_t *vm, vm_list_t *l, size_t si, int q, size_t pos)
{
    const mpc_pattern_t *pat = vm->pat;
    size_t ntexts = 0;
    for (;;) {
        size_t id = vm->base[si] + (size_t)q;
        vm->steps++;
        if (vm->seen[id] == vm->gen)
            break;
        vm->seen[id] = vm->gen;
        if (si == pat->nsegs) {
            vm_push(vm, l, si, 0);
            break;
        }
        const mpc_seg_t *seg = &pat->segs[si];
        if (seg->lit) {
            if (seg->lit[q] != '\0') {
                vm_push(vm, l, si, q);
                break;
            }
        } else if (seg->type == MPC_CAP_TEXT) {
            vm->texts[ntexts++] = si; /* shortest first: end it first */
        } else {
            vm_push(vm, l, si, q); /* longest first: read on first */
            if (!cap_accepts(seg->type, q))
                break;
        }
        vm->work[2 * si + 1] = pos; /* the segment ends here */
        si++;
        q = 0;
        if (si < pat->nsegs)
            vm->work[2 * si] = pos;
    }
    /* the `text` captures that read on, the innermost last */
    while (ntexts)
        vm_push(vm, l, vm->texts[--ntexts], 0);
}

/* The state after byte c, or -1. */
static int vm_step(const mpc_seg_t *seg, int q, unsigned char c)
{
    if (seg->lit)
        return (unsigned char)seg->lit[q] == c ? q + 1 : -1;
    return cap_step(seg->type, q, c);
}

/* 1 when the line s (n bytes) matches; starts/ends of each segment in
 * *caps_out (2 x nsegs, malloc'd).  *steps grows by the work done. */
static int vm_run(const mpc_pattern_t *pat, const char *s, size_t n,
                  size_t **caps_out, long *steps, long budget)
{
    vm_t vm = {.pat = pat, .ncaps = 2 * pat->nsegs};
    vm_list_t lists[2] = {{0}, {0}};
    vm_list_t *cur = &lists[0], *next = &lists[1];
    vm.base = mpc_xmalloc((pat->nsegs + 1) * sizeof *vm.base);
    size_t nstates = 0;
    for (size_t i = 0; i < pat->nsegs; i++) {
        vm.base[i] = nstates;
        nstates += seg_states(&pat->segs[i]) + 1;
    }
    vm.base[pat->nsegs] = nstates;
    vm.seen = mpc_xcalloc(nstates + 1, sizeof *vm.seen);
    vm.work = mpc_xcalloc(vm.ncaps + 1, sizeof *vm.work);
    vm.texts = mpc_xmalloc((pat->nsegs + 1) * sizeof *vm.texts);
    vm.gen = 1;
    vm_add(&vm, cur, 0, 0, 0);
    int ok = 0;
    for (size_t pos = 0; cur->n && vm.steps <= budget; pos++) {
        if (pos == n) {
            for (size_t t = 0; t < cur->n && !ok; t++)
                if (cur->st[t].si == pat->nsegs) {
                    ok = 1;
                    *caps_out = mpc_xmalloc((vm.ncaps + 1) * sizeof **caps_out);
                    memcpy(*caps_out, cur->caps + t * (vm.ncaps + 1),
                           (vm.ncaps + 1) * sizeof **caps_out);
                }
            break;
        }
        vm.gen++;
        next->n = 0;
        for (size_t t = 0; t < cur->n; t++) {
            vm_state_t st = cur->st[t];
            vm.steps++;
            if (st.si == pat->nsegs)
                continue; /* the pattern ended before the line */
            int q = vm_step(&pat->segs[st.si], st.q, (unsigned char)s[pos]);
            if (q < 0)
                continue;
            memcpy(vm.work, cur->caps + t * (vm.ncaps + 1),
                   vm.ncaps * sizeof *vm.work);
            vm_add(&vm, next, st.si, q, pos + 1);
        }
        vm_list_t *tmp = cur;
        cur = next;
        next = tmp;
    }
    *steps += vm.steps;
    for (size_t i = 0; i < 2; i++) {
        free(lists[i].st);
        free(lists[i].caps);
    }
    free(vm.base);
    free(vm.seen);
    free(vm.work);
    free(vm.texts);
    return ok;
}

static int pattern_line(matcher_t *m, const mpc_pattern_t *pat, const char *s,
                        size_t n, int lineno, mpc_captures_t *caps)
{
    size_t *seg = NULL;
    long work = 0;
    long budget = m ? MPC_MATCH_WORK - m->work : MPC_MATCH_WORK;
    int ok = vm_run(pat, s, n, &seg, &work, budget);
    if (m) {
        m->steps++;
        m->work += work;
        if (m->work > MPC_MATCH_WORK)
            m->aborted = 3;
    }
    for (size_t i = 0; ok && caps && i < pat->nsegs; i++) {
        const mpc_seg_t *sg = &pat->segs[i];
        if (sg->lit || !sg->name)
            continue;
        size_t start = seg[2 * i], len = seg[2 * i + 1] - start;
        mpc_capture_t c;
        c.name = sg->name;
        c.type = sg->type;
        c.text = mpc_xstrndup(s + start, len);
        c.num = mpc_captype_numeric(sg->type)
                    ? cap_number(sg->type, s + start, len)
                    : 0;
        c.stream = m ? m->stream : "";
        c.line = lineno;
        caps_push(caps, &c);
    }
    free(seg);
    return ok && !(m && m->aborted);
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

/* The end of a sequence: the next iteration of its repeat, or what
 * follows it. */
static int run_seq_end(matcher_t *m, const frame_t *k, size_t pos)
{
    if (!k->rep)
        return run(m, k->next, pos);
    int done = k->count + 1;
    if (done < k->rep->max) {
        frame_t f = {F_SEQ, &k->rep->body, 0,    k->rep,
                     done,  NULL,          NULL, k->next};
        if (run(m, &f, pos))
            return 1;
    }
    return done >= k->rep->min ? run(m, k->next, pos) : 0;
}

/* `=` and `~` (and their `?` forms): one line. */
static int run_line(matcher_t *m, const mpc_item_t *it, const frame_t *kn,
                    size_t pos)
{
    size_t mark = m->caps->n;
    if (pos < m->n && line_item(m, it, pos)) {
        if (consumed(m, kn, pos + 1))
            return 1;
    } else {
        note_fail(m, pos, it);
    }
    caps_truncate(m->caps, mark);
    return it->optional && !m->aborted ? run(m, kn, pos) : 0;
}

/* interleave: every stream from its start, the lines dealt out by
 * schedule().  Not inlined: its frames would weigh on every level of the
 * recursion. */
__attribute__((noinline)) static int run_interleave(matcher_t *m,
                                                    const mpc_item_t *it,
                                                    const frame_t *kn,
                                                    size_t pos)
{
    frame_t starts[MAX_STREAMS], ends[MAX_STREAMS];
    ictx_t ic;
    memset(&ic, 0, sizeof ic);
    ic.n = it->nalts;
    ic.active = -1;
    ic.after = kn;
    ic.outer = m->ic;
    for (size_t s = 0; s < it->nalts; s++) {
        frame_t e = {F_STREAM_END, NULL, s, NULL, 0, NULL, NULL, NULL};
        ends[s] = e;
        frame_t f = {F_SEQ, &it->alts[s], 0, NULL, 0, NULL, NULL, &ends[s]};
        starts[s] = f;
        ic.cur[s] = &starts[s];
    }
    return schedule(m, &ic, pos);
}

/* The item at k, then the rest. */
static int run_item(matcher_t *m, const frame_t *k, size_t pos)
{
    const mpc_item_t *it = &k->seq->v[k->idx];
    frame_t kn = *k;
    int r = 0;
    kn.idx++;
    switch (it->kind) {
    case MPC_IT_EQ:
    case MPC_IT_PAT:
        return run_line(m, it, &kn, pos);
    case MPC_IT_ANY:
        r = run(m, &kn, pos);
        if (!r && !m->aborted && pos < m->n)
            r = consumed(m, k, pos + 1);
        return r;
    case MPC_IT_REPEAT:
        if (it->max > 0) {
            frame_t f = {F_SEQ, &it->body, 0, it, 0, NULL, NULL, &kn};
            r = run(m, &f, pos);
        }
        if (!r && !m->aborted && it->min == 0)
            r = run(m, &kn, pos);
        return r;
    case MPC_IT_EITHER:
        for (size_t a = 0; a < it->nalts && !r && !m->aborted; a++) {
            frame_t f = {F_SEQ, &it->alts[a], 0, NULL, 0, NULL, NULL, &kn};
            r = run(m, &f, pos);
        }
        return r;
    case MPC_IT_UNORDERED: {
        unsigned char *used = mpc_xcalloc(it->body.n, 1);
        frame_t f = {F_UNORD, NULL, 0, NULL, 0, it, used, &kn};
        r = run(m, &f, pos);
        free(used);
        return r;
    }
    case MPC_IT_INTERLEAVE:
        return run_interleave(m, it, &kn, pos);
    }
    return 0;
}

/* Match the lines from pos with the continuation k; 1 on success. */
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
    if (!k) {
        if (pos == m->n)
            return 1;
        note_fail(m, pos, NULL);
        return 0;
    }
    if (k->kind == F_STREAM_END) {
        ictx_t ic2 = *m->ic;
        ic2.cur[ic2.active] = NULL;
        return schedule(m, &ic2, pos);
    }
    if (k->kind == F_UNORD)
        return run_unord(m, k, pos);
    if (k->idx == k->seq->n)
        return run_seq_end(m, k, pos);
    return run_item(m, k, pos);
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
    return mpc_match_stream_cost(items, stream, text, len, caps, mm, err, NULL);
}

int mpc_match_stream_cost(const mpc_items_t *items, const char *stream,
                          const char *text, size_t len, mpc_captures_t *caps,
                          mpc_mismatch_t **mm, char **err,
                          mpc_match_cost_t *cost)
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
    if (cost) {
        cost->steps = m.steps;
        cost->work = m.work;
    }
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
               : m.aborted == 3
                   ? mpc_xasprintf(
                         "%s: the matcher gave up after %ld byte steps "
                         "(%zu lines, %zu bytes: too many patterns tried "
                         "on long lines)",
                         stream, (long)MPC_MATCH_WORK, n, len)
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

/* One relation being checked: its values, and why it does not hold. */
typedef struct {
    const mpc_rel_t *r;
    const mpc_capture_t **va, **vb; /* the values of r->a, r->b */
    size_t na, nb;
    char why[160]; /* "" while it holds */
} rel_ctx_t;

/* The relation does not hold; the reason.  Returns 0 (does not hold). */
static int rel_fail(rel_ctx_t *x, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int rel_fail(rel_ctx_t *x, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->why, sizeof x->why, fmt, ap);
    va_end(ap);
    return 0;
}

/* Does x OP y hold for an ordering or equality relation kind? */
static int compare_holds(mpc_rel_kind_t kind, const operand_t *x,
                         const operand_t *y)
{
    int ok, c;
    switch (kind) {
    case MPC_REL_EQ:
        return op_eq(x, y);
    case MPC_REL_NE:
        return !op_eq(x, y);
    default:
        c = op_cmp(x, y, &ok);
        return ok && (kind == MPC_REL_LT   ? c < 0
                      : kind == MPC_REL_LE ? c <= 0
                      : kind == MPC_REL_GT ? c > 0
                                           : c >= 0);
    }
}

/* == != < <= > >=: against a literal, every value of a (at least one);
 * between two captures, exactly one value each. */
static int rel_compare(rel_ctx_t *x)
{
    const mpc_rel_t *r = x->r;
    if (r->b && (x->na != 1 || x->nb != 1))
        return rel_fail(x, "a relation between two captures needs exactly "
                           "one value on each side");
    if (!r->b && x->na == 0)
        return rel_fail(x, "no value");
    for (size_t i = 0; i < x->na; i++) {
        operand_t a = op_cap(x->va[i]);
        operand_t b = r->b ? op_cap(x->vb[0]) : op_lit(r->lit, a.numeric);
        if (!compare_holds(r->kind, &a, &b))
            return x->na > 1 ? rel_fail(x, "value %zu (%.40s) breaks it", i + 1,
                                        x->va[i]->text)
                             : 0;
    }
    return 1;
}

/* abs(a - b) <= tol, one value on each side (b a literal or a capture). */
static int rel_absdiff(rel_ctx_t *x)
{
    const mpc_rel_t *r = x->r;
    if ((r->b && (x->na != 1 || x->nb != 1)) || (!r->b && x->na == 0))
        return rel_fail(x, r->b ? "a relation between two captures needs "
                                  "exactly one value on each side"
                                : "no value");
    if (!r->b && x->na > 1)
        return 1; /* as before: only one value is compared */
    operand_t a = op_cap(x->va[0]);
    operand_t b = r->b ? op_cap(x->vb[0]) : op_lit(r->lit, a.numeric);
    double d = fabs(a.num - b.num);
    return d <= r->tol ? 1 : rel_fail(x, "|difference| = %.6g", d);
}

/* Is the literal list holding a value equal to v (an unused one, when
 * used is given; it is then used)? */
static int listed(const mpc_strv_t *vals, const mpc_capture_t *v,
                  unsigned char *used)
{
    operand_t a = op_cap(v);
    for (size_t j = 0; j < vals->n; j++) {
        if (used && used[j])
            continue;
        operand_t b = op_lit(vals->v[j], a.numeric);
        if (op_eq(&a, &b)) {
            if (used)
                used[j] = 1;
            return 1;
        }
    }
    return 0;
}

static int rel_in(rel_ctx_t *x)
{
    for (size_t i = 0; i < x->na; i++)
        if (!listed(&x->r->vals, x->va[i], NULL))
            return rel_fail(x, "%.60s is not listed", x->va[i]->text);
    return 1;
}

/* set N..M / list N..M: the integers of the range, each once (set) or in
 * order (list). */
static int rel_range(rel_ctx_t *x)
{
    const mpc_rel_t *r = x->r;
    size_t want = (size_t)(r->hi - r->lo + 1);
    if (x->na != want)
        return rel_fail(x, "%zu values, expected %zu", x->na, want);
    long long *iv = mpc_xmalloc((x->na + 1) * sizeof *iv);
    int ok = 1;
    for (size_t i = 0; i < x->na && ok; i++) {
        if (!valid_int(x->va[i]->text, strlen(x->va[i]->text)))
            ok = rel_fail(x, "%.60s is not an integer", x->va[i]->text);
        iv[i] = strtoll(x->va[i]->text, NULL, 10);
    }
    if (ok && r->kind == MPC_REL_SET)
        qsort(iv, x->na, sizeof *iv, cmp_ll);
    for (size_t i = 0; i < x->na && ok; i++)
        if (iv[i] != r->lo + (long long)i)
            ok = rel_fail(x,
                          r->kind == MPC_REL_LIST
                              ? "value %zu is %lld, expected %lld"
                              : "value %zu of the sorted values is %lld, "
                                "expected %lld",
                          i + 1, iv[i], r->lo + (long long)i);
    free(iv);
    return ok;
}

/* list b / set b: the values of two captures (the items a consumer got
 * against those a producer put), in the same order or as multisets. */
static int rel_pair(rel_ctx_t *x)
{
    int list = x->r->kind == MPC_REL_LIST;
    if (x->na != x->nb)
        return rel_fail(x, "%zu values against %zu", x->na, x->nb);
    unsigned char *used = mpc_xcalloc(x->nb + 1, 1);
    int ok = 1;
    for (size_t i = 0; i < x->na && ok; i++) {
        operand_t a = op_cap(x->va[i]);
        int found = 0;
        for (size_t j = list ? i : 0; j < (list ? i + 1 : x->nb) && !found;
             j++) {
            operand_t b = op_cap(x->vb[j]);
            if (!used[j] && op_eq(&a, &b))
                used[j] = 1, found = 1;
        }
        if (!found)
            ok = rel_fail(x,
                          list ? "value %zu (%.40s) differs"
                               : "value %zu (%.40s) has no partner",
                          i + 1, x->va[i]->text);
    }
    free(used);
    return ok;
}

/* list [V1, ...]: exactly these values in output order. */
static int rel_list(rel_ctx_t *x)
{
    const mpc_strv_t *vals = &x->r->vals;
    if (x->r->b)
        return rel_pair(x);
    if (x->r->range)
        return rel_range(x);
    if (x->na != vals->n)
        return rel_fail(x, "%zu values, expected %zu", x->na, vals->n);
    for (size_t i = 0; i < x->na; i++) {
        operand_t a = op_cap(x->va[i]);
        operand_t b = op_lit(vals->v[i], a.numeric);
        if (!op_eq(&a, &b))
            return rel_fail(x, "value %zu is %.40s, expected %.40s", i + 1,
                            x->va[i]->text, vals->v[i]);
    }
    return 1;
}

/* set {V1, ...}: exactly these values as a multiset. */
static int rel_set(rel_ctx_t *x)
{
    const mpc_strv_t *vals = &x->r->vals;
    if (x->r->b)
        return rel_pair(x);
    if (x->r->range)
        return rel_range(x);
    if (x->na != vals->n)
        return rel_fail(x, "%zu values, expected %zu", x->na, vals->n);
    unsigned char *used = mpc_xcalloc(vals->n + 1, 1);
    int ok = 1;
    for (size_t i = 0; i < x->na && ok; i++)
        if (!listed(vals, x->va[i], used))
            ok = rel_fail(x, "%.60s is not (or no longer) expected",
                          x->va[i]->text);
    free(used);
    return ok;
}

static int rel_count(rel_ctx_t *x)
{
    return (long long)x->na == x->r->count ? 1
                                           : rel_fail(x, "%zu values", x->na);
}

static int rel_distinct(rel_ctx_t *x)
{
    for (size_t i = 0; i < x->na; i++)
        for (size_t j = i + 1; j < x->na; j++) {
            operand_t a = op_cap(x->va[i]), b = op_cap(x->va[j]);
            if (op_eq(&a, &b))
                return rel_fail(x, "values %zu and %zu are both %.60s", i + 1,
                                j + 1, x->va[i]->text);
        }
    return 1;
}

static int rel_sorted(rel_ctx_t *x)
{
    for (size_t i = 1; i < x->na; i++) {
        operand_t a = op_cap(x->va[i - 1]), b = op_cap(x->va[i]);
        int ok;
        if (op_cmp(&a, &b, &ok) > 0 || !ok)
            return rel_fail(x, "value %zu (%.30s) > value %zu (%.30s)", i,
                            x->va[i - 1]->text, i + 1, x->va[i]->text);
    }
    return 1;
}

/* The check of each relation kind. */
static int (*const rel_checks[])(rel_ctx_t *) = {
    [MPC_REL_EQ] = rel_compare,      [MPC_REL_NE] = rel_compare,
    [MPC_REL_LT] = rel_compare,      [MPC_REL_LE] = rel_compare,
    [MPC_REL_GT] = rel_compare,      [MPC_REL_GE] = rel_compare,
    [MPC_REL_ABSDIFF] = rel_absdiff, [MPC_REL_IN] = rel_in,
    [MPC_REL_SET] = rel_set,         [MPC_REL_LIST] = rel_list,
    [MPC_REL_COUNT] = rel_count,     [MPC_REL_DISTINCT] = rel_distinct,
    [MPC_REL_SORTED] = rel_sorted,
};

int mpc_check_relation(const mpc_rel_t *r, const mpc_captures_t *caps,
                       mpc_mismatch_t **mm)
{
    rel_ctx_t x = {.r = r};
    x.na = values_of(caps, r->a, &x.va);
    if (r->b)
        x.nb = values_of(caps, r->b, &x.vb);
    /* a kind added to case.h without its check here fails, loudly */
    int known = (size_t)r->kind < sizeof rel_checks / sizeof *rel_checks &&
                rel_checks[r->kind];
    int ok = known ? rel_checks[r->kind](&x)
                   : rel_fail(&x, "the runner has no check for this relation");
    if (!ok) {
        mpc_buf_t b;
        mpc_buf_init(&b);
        describe_values(&b, r->a, x.va, x.na);
        if (r->b)
            describe_values(&b, r->b, x.vb, x.nb);
        if (x.why[0])
            mpc_buf_printf(&b, " (%s)", x.why);
        *mm = mpc_mismatch_new("checks", x.na ? x.va[0]->line : 0, "", "",
                               r->src, b.s);
        mpc_buf_free(&b);
    }
    free(x.va);
    free(x.vb);
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

/* The values of the oracle capture name against the oracle's own. */
static int judge_oracle(const char *name, const mpc_oracle_vals_t *oracle,
                        const mpc_captures_t *caps, mpc_mismatch_t **mm,
                        char **detail)
{
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
            mpc_buf_printf(&got, "%s%s", ng++ ? ", " : "", caps->v[i].text);
    int same =
        nw == ng && strcmp(want.s ? want.s : "", got.s ? got.s : "") == 0;
    /* compare value by value (a value may hold ", ") */
    size_t wi = 0, gi = 0;
    while (same) {
        while (wi < oracle->names.n && strcmp(oracle->names.v[wi], name))
            wi++;
        while (gi < caps->n && strcmp(caps->v[gi].name, name))
            gi++;
        if (wi >= oracle->names.n || gi >= caps->n)
            break;
        same = strcmp(oracle->values.v[wi], caps->v[gi].text) == 0;
        wi++;
        gi++;
    }
    if (!same) {
        char *rel = mpc_xasprintf("oracle: %s", name);
        char *vals = mpc_xasprintf("%s=[%s] (oracle: [%s])", name,
                                   got.s ? got.s : "", want.s ? want.s : "");
        *mm = mpc_mismatch_new("oracle", 0, want.s ? want.s : "",
                               got.s ? got.s : "", rel, vals);
        *detail = mpc_mismatch_describe(*mm);
        free(rel);
        free(vals);
    }
    mpc_buf_free(&want);
    mpc_buf_free(&got);
    return same ? MPC_M_PASS : MPC_M_FAIL;
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
    for (size_t k = 0; oracle && k < c->oracle.n; k++)
        if (judge_oracle(c->oracle.v[k], oracle, caps, mm, detail) !=
            MPC_M_PASS)
            return MPC_M_FAIL;
    return MPC_M_PASS;
}
