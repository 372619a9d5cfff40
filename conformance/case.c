/* case.c - the case.exp parser (CASE-FORMAT.md). */
#include "case.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- lines */

typedef struct {
    int no;     /* 1-based */
    char *text; /* the raw line, without LF (CR kept out) */
} line_t;

typedef struct {
    const char *path;
    line_t *lines;
    size_t nlines;
    char *err; /* first error */
    mpc_case_t *c;
    int pyver; /* the version blocks and qualified lines resolve at */
} parser_t;

static int perr(parser_t *p, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int perr(parser_t *p, int line, const char *fmt, ...)
{
    if (p->err)
        return -1;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    p->err = mpc_xasprintf("%s:%d: %s", p->path, line, msg);
    return -1;
}

static void split_lines(parser_t *p, const char *text)
{
    size_t cap = 64, n = 0;
    line_t *v = mpc_xmalloc(cap * sizeof *v);
    const char *s = text;
    int no = 1;
    while (*s) {
        const char *e = strchr(s, '\n');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        size_t tl = len;
        if (tl && s[tl - 1] == '\r')
            tl--;
        if (n == cap) {
            cap *= 2;
            v = mpc_xrealloc(v, cap * sizeof *v);
        }
        v[n].no = no++;
        v[n].text = mpc_xstrndup(s, tl);
        n++;
        s += len;
        if (*s == '\n')
            s++;
    }
    p->lines = v;
    p->nlines = n;
}

static const char *skip_blanks(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

static int is_blank_or_comment(const char *s)
{
    s = skip_blanks(s);
    return *s == '\0' || *s == '#';
}

/* ------------------------------------------------------------- versions */

int mpc_pyver_parse(const char *s, const char **end)
{
    int major = 0, minor = 0, nd = 0;
    while (isdigit((unsigned char)*s) && nd < 3) {
        major = major * 10 + (*s++ - '0');
        nd++;
    }
    if (nd == 0 || nd > 2 || major < 1 || *s != '.')
        return 0;
    s++;
    nd = 0;
    while (isdigit((unsigned char)*s) && nd < 3) {
        minor = minor * 10 + (*s++ - '0');
        nd++;
    }
    if (nd == 0 || nd > 2 || isdigit((unsigned char)*s))
        return 0;
    if (end)
        *end = s;
    return MPC_PYVER(major, minor);
}

const char *mpc_pyver_str(int v, char *buf)
{
    if (v <= 0)
        snprintf(buf, 16, "?");
    else
        snprintf(buf, 16, "%d.%d", v / 100, v % 100);
    return buf;
}

int mpc_vqual_parse(const char *s, mpc_vqual_t *q, const char **rest)
{
    static const struct {
        const char *word;
        mpc_vq_kind_t kind;
    } words[] = {
        {"since ", MPC_VQ_SINCE},
        {"until ", MPC_VQ_UNTIL},
        {"python ", MPC_VQ_EXACT},
    };
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        size_t n = strlen(words[i].word);
        if (strncmp(s, words[i].word, n) != 0)
            continue;
        const char *e;
        int v = mpc_pyver_parse(skip_blanks(s + n), &e);
        if (!v)
            return 0;
        q->kind = words[i].kind;
        q->ver = v;
        if (rest)
            *rest = e;
        return 1;
    }
    return 0;
}

int mpc_vqual_holds(const mpc_vqual_t *q, int ver)
{
    switch (q->kind) {
    case MPC_VQ_SINCE:
        return ver >= q->ver;
    case MPC_VQ_UNTIL:
        return ver <= q->ver;
    case MPC_VQ_EXACT:
        return ver == q->ver;
    }
    return 0;
}

/* `QUALIFIER: REST` at s (a qualified header or checks line): returns 1
 * with *rest after the colon and blanks, 0 when s is not one. */
static int qualified_line(const char *s, mpc_vqual_t *q, const char **rest)
{
    const char *e;
    if (!mpc_vqual_parse(s, q, &e) || *e != ':')
        return 0;
    *rest = skip_blanks(e + 1);
    return 1;
}

/* ------------------------------------------------------------- captypes */

static const char *const captype_names[] = {
    "int", "float", "pid", "hex", "ts", "word", "text",
};

const char *mpc_captype_name(mpc_captype_t t)
{
    return (unsigned)t < sizeof captype_names / sizeof *captype_names
               ? captype_names[t]
               : "?";
}

int mpc_captype_numeric(mpc_captype_t t)
{
    return t == MPC_CAP_INT || t == MPC_CAP_FLOAT || t == MPC_CAP_PID ||
           t == MPC_CAP_TS;
}

static int valid_name(const char *s, size_t n)
{
    if (n == 0 || !(islower((unsigned char)s[0]) || s[0] == '_'))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) ||
              s[i] == '_'))
            return 0;
    return 1;
}

/* -------------------------------------------------------------- pattern */

static void pat_push(mpc_pattern_t *p, mpc_seg_t seg)
{
    p->segs = mpc_xrealloc(p->segs, (p->nsegs + 1) * sizeof *p->segs);
    p->segs[p->nsegs++] = seg;
}

static void pat_flush(mpc_pattern_t *p, mpc_buf_t *lit)
{
    if (lit->len) {
        mpc_seg_t seg = {mpc_buf_take(lit), NULL, MPC_CAP_TEXT};
        pat_push(p, seg);
    }
}

int mpc_pattern_compile(const char *src, mpc_pattern_t *p, char **err)
{
    mpc_buf_t lit;
    mpc_buf_init(&lit);
    p->segs = NULL;
    p->nsegs = 0;
    const char *s = src;
    while (*s) {
        if (s[0] == '{' && s[1] == '{') {
            mpc_buf_addc(&lit, '{');
            s += 2;
        } else if (s[0] == '}' && s[1] == '}') {
            mpc_buf_addc(&lit, '}');
            s += 2;
        } else if (s[0] == '{') {
            const char *e = strchr(s, '}');
            const char *colon = e ? memchr(s, ':', (size_t)(e - s)) : NULL;
            if (!e || !colon) {
                *err =
                    mpc_xasprintf("bad capture at '%.20s' (write {NAME:TYPE}, "
                                  "or {{ for a literal {)",
                                  s);
                goto fail;
            }
            const char *name = s + 1;
            size_t nlen = (size_t)(colon - name);
            const char *type = colon + 1;
            size_t tlen = (size_t)(e - type);
            if (!valid_name(name, nlen)) {
                *err = mpc_xasprintf(
                    "bad capture name '%.*s' (want [a-z_][a-z0-9_]*)",
                    (int)nlen, name);
                goto fail;
            }
            int t = -1;
            for (size_t i = 0; i < sizeof captype_names / sizeof *captype_names;
                 i++)
                if (strlen(captype_names[i]) == tlen &&
                    memcmp(captype_names[i], type, tlen) == 0)
                    t = (int)i;
            if (t < 0) {
                *err = mpc_xasprintf(
                    "unknown capture type '%.*s' (int, float, pid, "
                    "hex, ts, word, text)",
                    (int)tlen, type);
                goto fail;
            }
            pat_flush(p, &lit);
            mpc_seg_t seg = {
                NULL,
                (nlen == 1 && name[0] == '_') ? NULL : mpc_xstrndup(name, nlen),
                (mpc_captype_t)t};
            pat_push(p, seg);
            s = e + 1;
        } else {
            /* A lone `}` is literal: it cannot open anything. */
            mpc_buf_addc(&lit, *s++);
        }
    }
    pat_flush(p, &lit);
    mpc_buf_free(&lit);
    return 0;
fail:
    mpc_buf_free(&lit);
    mpc_pattern_free(p);
    return -1;
}

void mpc_pattern_free(mpc_pattern_t *p)
{
    for (size_t i = 0; i < p->nsegs; i++) {
        free(p->segs[i].lit);
        free(p->segs[i].name);
    }
    free(p->segs);
    p->segs = NULL;
    p->nsegs = 0;
}

/* ---------------------------------------------------------------- items */

static void items_free(mpc_items_t *it);

static void item_free(mpc_item_t *item)
{
    free(item->src);
    free(item->text);
    mpc_pattern_free(&item->pat);
    items_free(&item->body);
    for (size_t i = 0; i < item->nalts; i++)
        items_free(&item->alts[i]);
    free(item->alts);
}

static void items_free(mpc_items_t *it)
{
    for (size_t i = 0; i < it->n; i++)
        item_free(&it->v[i]);
    free(it->v);
    it->v = NULL;
    it->n = 0;
}

static mpc_item_t *items_push(mpc_items_t *it)
{
    it->v = mpc_xrealloc(it->v, (it->n + 1) * sizeof *it->v);
    mpc_item_t *item = &it->v[it->n++];
    memset(item, 0, sizeof *item);
    return item;
}

static void note_capture(parser_t *p, int line, const mpc_pattern_t *pat)
{
    mpc_case_t *c = p->c;
    for (size_t i = 0; i < pat->nsegs; i++) {
        const mpc_seg_t *s = &pat->segs[i];
        if (s->lit || !s->name)
            continue;
        size_t k;
        for (k = 0; k < c->capnames.n; k++)
            if (strcmp(c->capnames.v[k], s->name) == 0)
                break;
        if (k < c->capnames.n) {
            if (c->captypes[k] != s->type)
                perr(p, line, "capture '%s' is %s here but %s elsewhere",
                     s->name, mpc_captype_name(s->type),
                     mpc_captype_name(c->captypes[k]));
            continue;
        }
        mpc_strv_pushdup(&c->capnames, s->name);
        c->captypes =
            mpc_xrealloc(c->captypes, c->capnames.n * sizeof *c->captypes);
        c->captypes[c->capnames.n - 1] = s->type;
    }
}

/* What ended a block. */
enum { END_EOF, END_CLOSE, END_OR, END_ELSE };

/* Lines [*i, end) of a section; parse items into out until `}`. */
static int parse_items(parser_t *p, size_t *i, size_t end, mpc_items_t *out,
                       int depth, int *ended, int in_stream);

static int parse_single(parser_t *p, int no, const char *s, mpc_item_t *item)
{
    int opt = 0;
    if (s[0] == '?' && (s[1] == ' ' || s[1] == '\0')) {
        opt = 1;
        s = skip_blanks(s + 1);
    }
    item->optional = opt;
    if (s[0] == '=' && (s[1] == ' ' || s[1] == '\0')) {
        item->kind = MPC_IT_EQ;
        item->text = mpc_xstrdup(s[1] ? s + 2 : "");
        return 0;
    }
    if (s[0] == '~' && (s[1] == ' ' || s[1] == '\0')) {
        item->kind = MPC_IT_PAT;
        char *e = NULL;
        if (mpc_pattern_compile(s[1] ? s + 2 : "", &item->pat, &e) < 0) {
            perr(p, no, "%s", e);
            free(e);
            return -1;
        }
        note_capture(p, no, &item->pat);
        return 0;
    }
    if (opt)
        return perr(p, no, "'?' must be followed by '= TEXT' or '~ PATTERN'");
    return 1; /* not a single-line item */
}

static int parse_block_items(parser_t *p, size_t *i, size_t end,
                             mpc_items_t *out, int depth, int in_stream, int no,
                             const char *what)
{
    int ended = END_EOF;
    if (parse_items(p, i, end, out, depth + 1, &ended, in_stream) < 0)
        return -1;
    if (ended == END_EOF)
        return perr(p, no, "'%s {' is never closed with '}'", what);
    return ended;
}

/* One more (empty) alternative of an 'either' or 'interleave' item. */
static mpc_items_t *alt_push(mpc_item_t *item)
{
    item->alts =
        mpc_xrealloc(item->alts, (item->nalts + 1) * sizeof *item->alts);
    mpc_items_t *alt = &item->alts[item->nalts++];
    alt->v = NULL;
    alt->n = 0;
    return alt;
}

/* `repeat N {` or `repeat N..M {` (HEAD without the brace), its body read
 * up to the closing `}`. */
static int parse_repeat(parser_t *p, size_t *i, size_t end, int depth,
                        int in_stream, int no, const char *t, const char *head,
                        mpc_item_t *item)
{
    const char *a = skip_blanks(head + 7);
    char *e1, *e2;
    int rc = 0;

    item->kind = MPC_IT_REPEAT;
    errno = 0;
    long lo = strtol(a, &e1, 10), hi = lo;
    if (e1 == a || lo < 0 || errno) {
        rc = perr(p, no, "bad repeat count in '%s' (want N or N..M)", t);
    } else if (strncmp(e1, "..", 2) == 0) {
        hi = strtol(e1 + 2, &e2, 10);
        if (e2 == e1 + 2 || *skip_blanks(e2) || hi < lo)
            rc = perr(p, no, "bad repeat range in '%s' (want N..M, N <= M)", t);
    } else if (*skip_blanks(e1)) {
        rc = perr(p, no, "bad repeat count in '%s' (want N or N..M)", t);
    }
    if (rc == 0 && hi > 100000)
        rc = perr(p, no, "repeat count %ld too large", hi);
    item->min = (int)lo;
    item->max = (int)hi;
    if (rc == 0 && parse_block_items(p, i, end, &item->body, depth, in_stream,
                                     no, "repeat") != END_CLOSE)
        rc = perr(p, no, "'repeat' block must end with '}'");
    if (rc == 0 && item->body.n == 0)
        rc = perr(p, no, "empty 'repeat' block");
    return rc;
}

/* `unordered {`: single-line items only, at most 4096. */
static int parse_unordered(parser_t *p, size_t *i, size_t end, int depth,
                           int in_stream, int no, mpc_item_t *item)
{
    int rc = 0;

    item->kind = MPC_IT_UNORDERED;
    if (parse_block_items(p, i, end, &item->body, depth, in_stream, no,
                          "unordered") != END_CLOSE)
        rc = perr(p, no, "'unordered' block must end with '}'");
    for (size_t k = 0; rc == 0 && k < item->body.n; k++)
        if (item->body.v[k].kind != MPC_IT_EQ &&
            item->body.v[k].kind != MPC_IT_PAT)
            rc = perr(p, item->body.v[k].line,
                      "only single-line items ('=', '~', '?') may be "
                      "in 'unordered'");
    if (rc == 0 && item->body.n > 4096)
        rc = perr(p, no, "'unordered' block too large");
    return rc;
}

/* `either { ... } or { ... }`: two alternatives at least. */
static int parse_either(parser_t *p, size_t *i, size_t end, int depth,
                        int in_stream, int no, mpc_item_t *item)
{
    item->kind = MPC_IT_EITHER;
    for (;;) {
        int e = parse_block_items(p, i, end, alt_push(item), depth, in_stream,
                                  no, "either");
        if (e < 0)
            return -1;
        if (e == END_ELSE)
            return perr(p, no, "'} else {' in an 'either' (write '} or {')");
        if (e == END_CLOSE)
            break;
    }
    if (item->nalts < 2)
        return perr(p, no, "'either' needs at least one '} or {' alternative");
    return 0;
}

/* The next line of an `interleave {` block: a `stream {` block, read into a
 * new alternative (returns 1), or the closing `}` (returns 0). */
static int interleave_next(parser_t *p, size_t *i, size_t end, int depth,
                           int no, mpc_item_t *item)
{
    while (*i < end && is_blank_or_comment(p->lines[*i].text))
        (*i)++;
    if (*i >= end)
        return perr(p, no, "'interleave {' is never closed with '}'");
    line_t *sl = &p->lines[*i];
    char *st = mpc_trim(mpc_xstrdup(sl->text));
    (*i)++;
    int close = strcmp(st, "}") == 0, stream = strcmp(st, "stream {") == 0;
    int rc = 0;
    if (!close && !stream)
        rc = perr(p, sl->no,
                  "'interleave' holds only 'stream {' blocks, not '%s'", st);
    free(st);
    if (close || rc < 0)
        return rc;
    if (item->nalts == 16)
        return perr(p, sl->no, "at most 16 streams in an 'interleave'");
    int e = parse_block_items(p, i, end, alt_push(item), depth + 1, 1, sl->no,
                              "stream");
    if (e < 0)
        return -1;
    if (e != END_CLOSE)
        return perr(p, sl->no, "'stream' block must end with '}'");
    return 1;
}

/* `interleave { stream { ... } ... }`: streams that may interleave. */
static int parse_interleave(parser_t *p, size_t *i, size_t end, int depth,
                            int in_stream, int no, mpc_item_t *item)
{
    int r;

    item->kind = MPC_IT_INTERLEAVE;
    if (in_stream)
        return perr(p, no, "'interleave' cannot be nested in a stream");
    while ((r = interleave_next(p, i, end, depth, no, item)) > 0)
        ;
    if (r < 0)
        return -1;
    if (item->nalts < 1)
        return perr(p, no, "'interleave' needs at least one 'stream {'");
    return 0;
}

/* A block item (T ends in " {"), its body read from the lines at *i. */
static int parse_block(parser_t *p, size_t *i, size_t end, int depth,
                       int in_stream, int no, const char *t, mpc_item_t *item)
{
    size_t tl = strlen(t);
    if (tl < 2 || t[tl - 1] != '{' || t[tl - 2] != ' ')
        return perr(p, no,
                    "unknown item '%s' (expected '= TEXT', '~ PATTERN', "
                    "'? ...', '...', 'repeat N {', 'unordered {', "
                    "'interleave {', 'either {', '}')",
                    t);
    char *head = mpc_trim(mpc_xstrndup(t, tl - 1));
    int rc;
    if (strncmp(head, "repeat ", 7) == 0)
        rc = parse_repeat(p, i, end, depth, in_stream, no, t, head, item);
    else if (strcmp(head, "unordered") == 0)
        rc = parse_unordered(p, i, end, depth, in_stream, no, item);
    else if (strcmp(head, "either") == 0)
        rc = parse_either(p, i, end, depth, in_stream, no, item);
    else if (strcmp(head, "interleave") == 0)
        rc = parse_interleave(p, i, end, depth, in_stream, no, item);
    else if (strcmp(head, "stream") == 0)
        rc = perr(p, no, "'stream {' only inside 'interleave {'");
    else
        rc = perr(p, no, "unknown block '%s'", t);
    free(head);
    return rc;
}

/* Move the items of from to the end of out (from is left empty). */
static void items_splice(mpc_items_t *out, mpc_items_t *from)
{
    for (size_t k = 0; k < from->n; k++)
        *items_push(out) = from->v[k];
    free(from->v);
    from->v = NULL;
    from->n = 0;
}

/* A version block `since X.Y {` (or `until`, `python`), with an optional
 * `} else {` part, at the item T of line NO: both parts are parsed (and so
 * checked) and the one that holds at p->pyver is spliced into out, as if
 * its items were written there.  Returns 1 when T was one, 0 when T is not
 * a version block, -1 on error. */
static int version_block(parser_t *p, size_t *i, size_t end, mpc_items_t *out,
                         int depth, int in_stream, int no, const char *t,
                         mpc_vqual_t *q)
{
    const char *rest;
    if (!mpc_vqual_parse(t, q, &rest))
        return 0;
    if (strcmp(rest, " {") != 0)
        return perr(p, no,
                    "bad version block '%s' (want 'since X.Y {', "
                    "'until X.Y {' or 'python X.Y {')",
                    t);
    mpc_items_t yes = {0}, no_ = {0};
    int rc = 1;
    int e = parse_block_items(p, i, end, &yes, depth, in_stream, no, t);
    if (e == END_ELSE)
        e = parse_block_items(p, i, end, &no_, depth, in_stream, no, t);
    if (e >= 0 && e != END_CLOSE)
        rc = perr(p, no,
                  "'%s' block must end with '}' (one '} else {' "
                  "at most)",
                  t);
    if (e < 0)
        rc = -1;
    if (rc > 0)
        items_splice(out, mpc_vqual_holds(q, p->pyver) ? &yes : &no_);
    items_free(&yes);
    items_free(&no_);
    return rc;
}

static int parse_items(parser_t *p, size_t *i, size_t end, mpc_items_t *out,
                       int depth, int *ended, int in_stream)
{
    if (depth > 32)
        return perr(p, p->lines[*i ? *i - 1 : 0].no,
                    "blocks nested too deeply");
    while (*i < end) {
        line_t *ln = &p->lines[*i];
        (*i)++;
        if (is_blank_or_comment(ln->text))
            continue;
        const char *s = skip_blanks(ln->text);
        /* Blank trailing characters matter only for = and ~ text. */
        char *t = mpc_trim(mpc_xstrdup(s));
        if (strcmp(t, "}") == 0 || strcmp(t, "} or {") == 0 ||
            strcmp(t, "} else {") == 0) {
            int how = t[1] == '\0'  ? END_CLOSE
                      : t[2] == 'o' ? END_OR
                                    : END_ELSE;
            free(t);
            if (depth == 0)
                return perr(p, ln->no,
                            how == END_CLOSE ? "'}' without an open block"
                            : how == END_OR
                                ? "'} or {' without an open 'either'"
                                : "'} else {' without an open 'since', "
                                  "'until' or 'python' block");
            *ended = how;
            return 0;
        }
        mpc_vqual_t q;
        int vr = version_block(p, i, end, out, depth, in_stream, ln->no, t, &q);
        if (vr != 0) {
            free(t);
            if (vr < 0)
                return -1;
            continue;
        }
        mpc_item_t *item = items_push(out);
        item->line = ln->no;
        item->src = t;
        int r = parse_single(p, ln->no, s, item);
        if (r < 0)
            return -1;
        if (r == 0)
            continue;
        if (strcmp(t, "...") == 0) {
            item->kind = MPC_IT_ANY;
            continue;
        }
        if (parse_block(p, i, end, depth, in_stream, ln->no, t, item) < 0)
            return -1;
    }
    *ended = END_EOF;
    return 0;
}

/* --------------------------------------------------------------- checks */

static int cap_known(const mpc_case_t *c, const char *name)
{
    return mpc_strv_has(&c->capnames, name);
}

static char *unquote(const char *s)
{
    size_t n = strlen(s);
    if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0])
        return mpc_xstrndup(s + 1, n - 2);
    return mpc_xstrdup(s);
}

/* Split "V1, V2, ..." (inside the brackets) into values; quotes protect commas.
 */
static int split_values(const char *s, mpc_strv_t *out)
{
    mpc_buf_t cur;
    mpc_buf_init(&cur);
    char q = 0;
    int any = 0;
    for (;; s++) {
        if (q) {
            if (*s == '\0') {
                mpc_buf_free(&cur);
                return -1;
            }
            mpc_buf_addc(&cur, *s);
            if (*s == q)
                q = 0;
            continue;
        }
        if (*s == '"' || *s == '\'') {
            q = *s;
            mpc_buf_addc(&cur, *s);
            continue;
        }
        if (*s == ',' || *s == '\0') {
            char *v = mpc_trim(mpc_buf_take(&cur));
            if (*v || *s == ',' || any) {
                if (!*v) {
                    free(v);
                    return -1;
                }
                mpc_strv_push(out, unquote(v));
                free(v);
                any = 1;
            } else {
                free(v);
            }
            if (*s == '\0')
                break;
            continue;
        }
        mpc_buf_addc(&cur, *s);
    }
    mpc_buf_free(&cur);
    return 0;
}

static int parse_range(const char *s, long long *lo, long long *hi)
{
    char *e;
    errno = 0;
    *lo = strtoll(s, &e, 10);
    if (e == s || strncmp(e, "..", 2) != 0)
        return -1;
    const char *t = e + 2;
    *hi = strtoll(t, &e, 10);
    if (e == t || *skip_blanks(e) || errno || *hi < *lo || *hi - *lo > 1000000)
        return -1;
    return 0;
}

static const struct {
    const char *op;
    mpc_rel_kind_t k;
} rel_ops[] = {
    {"==", MPC_REL_EQ},
    {"!=", MPC_REL_NE},
    {"<", MPC_REL_LT},
    {"<=", MPC_REL_LE},
    {">", MPC_REL_GT},
    {">=", MPC_REL_GE},
    {"in", MPC_REL_IN},
    {"set", MPC_REL_SET},
    {"list", MPC_REL_LIST},
    {"count", MPC_REL_COUNT},
    {"distinct", MPC_REL_DISTINCT},
    {"sorted", MPC_REL_SORTED},
};

/* `abs(a - b) <= TOL`, the relation S. */
static int parse_absdiff(parser_t *p, int no, const char *s, mpc_rel_t *r)
{
    char a[64], b[64], op[4];
    double tol;
    int n = 0;
    if (sscanf(s, "abs(%63[a-z0-9_] - %63[a-z0-9_]) %3[<=] %lf %n", a, b, op,
               &tol, &n) != 4 ||
        s[n] != '\0' || strcmp(op, "<=") != 0 || !(tol >= 0))
        return perr(p, no, "bad relation '%s' (want abs(a - b) <= TOL)", s);
    r->kind = MPC_REL_ABSDIFF;
    r->a = mpc_xstrdup(a);
    r->b = mpc_xstrdup(b);
    r->tol = tol;
    return 0;
}

/* The right side of `a in {...}`, `a set {...}|N..M|b`, `a list
 * [...]|N..M|b`. */
static int parse_rel_values(parser_t *p, int no, const char *s, const char *arg,
                            mpc_rel_t *r)
{
    char open = r->kind == MPC_REL_LIST ? '[' : '{';
    char close = r->kind == MPC_REL_LIST ? ']' : '}';
    size_t al = strlen(arg);
    /* `a list b` / `a set b`: the values of two captures (consumed items
     * against produced ones) */
    if (r->kind != MPC_REL_IN && cap_known(p->c, arg)) {
        r->b = mpc_xstrdup(arg);
        return 0;
    }
    if (r->kind != MPC_REL_IN && parse_range(arg, &r->lo, &r->hi) == 0) {
        r->range = 1;
        return 0;
    }
    if (al < 2 || arg[0] != open || arg[al - 1] != close)
        return perr(p, no, "relation '%s': want %c V1, V2, ... %c%s", s, open,
                    close, r->kind == MPC_REL_IN ? "" : " or N..M");
    char *inner = mpc_xstrndup(arg + 1, al - 2);
    int bad = split_values(inner, &r->vals);
    free(inner);
    if (bad)
        return perr(p, no, "relation '%s': empty or unterminated value", s);
    return 0;
}

/* The right side ARG of relation S, whose kind is set. */
static int parse_rel_arg(parser_t *p, int no, const char *s, const char *arg,
                         mpc_rel_t *r)
{
    char *e;

    switch (r->kind) {
    case MPC_REL_EQ:
    case MPC_REL_NE:
    case MPC_REL_LT:
    case MPC_REL_LE:
    case MPC_REL_GT:
    case MPC_REL_GE:
        if (!*arg)
            return perr(p, no, "relation '%s' lacks its right side", s);
        if (cap_known(p->c, arg))
            r->b = mpc_xstrdup(arg);
        else
            r->lit = unquote(arg);
        return 0;
    case MPC_REL_IN:
    case MPC_REL_SET:
    case MPC_REL_LIST:
        return parse_rel_values(p, no, s, arg, r);
    case MPC_REL_COUNT:
        r->count = strtoll(arg, &e, 10);
        if (e == arg || *skip_blanks(e) || r->count < 0)
            return perr(p, no, "relation '%s': want 'NAME count N'", s);
        return 0;
    case MPC_REL_DISTINCT:
    case MPC_REL_SORTED:
        if (*arg)
            return perr(p, no, "relation '%s' takes no argument", s);
        return 0;
    default:
        return 0;
    }
}

/* `NAME OP [VALUE]`, the relation S. */
static int parse_rel_op(parser_t *p, int no, const char *s, mpc_rel_t *r)
{
    const char *sp = strchr(s, ' ');
    if (!sp)
        return perr(p, no,
                    "bad relation '%s' (want 'NAME OP VALUE', e.g. 'a == b', "
                    "'a in {1, 2}', 'a distinct')",
                    s);
    r->a = mpc_xstrndup(s, (size_t)(sp - s));
    const char *rest = skip_blanks(sp);
    const char *opend = rest;
    while (*opend && *opend != ' ')
        opend++;
    size_t oplen = (size_t)(opend - rest);
    int k = -1;
    for (size_t i = 0; i < sizeof rel_ops / sizeof *rel_ops; i++)
        if (strlen(rel_ops[i].op) == oplen &&
            memcmp(rel_ops[i].op, rest, oplen) == 0)
            k = (int)i;
    if (k < 0)
        return perr(p, no,
                    "unknown relation '%.*s' in '%s' (==, !=, <, <=, >, >=, "
                    "in, set, list, count, distinct, sorted, abs(a - b) <= "
                    "TOL)",
                    (int)oplen, rest, s);
    r->kind = rel_ops[k].k;
    return parse_rel_arg(p, no, s, skip_blanks(opend), r);
}

/* The relation S names captures that exist, of a type it can compare. */
static int check_rel_names(parser_t *p, int no, const char *s,
                           const mpc_rel_t *r)
{
    const mpc_case_t *c = p->c;
    const char *missing = !cap_known(c, r->a)           ? r->a
                          : r->b && !cap_known(c, r->b) ? r->b
                                                        : NULL;
    if (missing)
        return perr(p, no,
                    "relation '%s' names '%s', which no pattern captures", s,
                    missing);
    if (r->kind != MPC_REL_ABSDIFF && r->kind != MPC_REL_LT &&
        r->kind != MPC_REL_LE && r->kind != MPC_REL_GT &&
        r->kind != MPC_REL_GE && r->kind != MPC_REL_SORTED)
        return 0;
    for (size_t i = 0; i < c->capnames.n; i++)
        if ((strcmp(c->capnames.v[i], r->a) == 0 ||
             (r->b && strcmp(c->capnames.v[i], r->b) == 0)) &&
            !mpc_captype_numeric(c->captypes[i]))
            return perr(p, no,
                        "relation '%s' needs numbers but '%s' is a %s capture",
                        s, c->capnames.v[i], mpc_captype_name(c->captypes[i]));
    if (r->lit) {
        char *e;
        strtod(r->lit, &e);
        if (e == r->lit || *e)
            return perr(p, no, "relation '%s' needs a number on its right", s);
    }
    return 0;
}

static int parse_check(parser_t *p, int no, const char *line, mpc_rel_t *r)
{
    char *s = mpc_trim(mpc_xstrdup(line));
    r->src = s;
    r->line = no;
    int rc = strncmp(s, "abs(", 4) == 0 ? parse_absdiff(p, no, s, r)
                                        : parse_rel_op(p, no, s, r);
    return rc < 0 ? rc : check_rel_names(p, no, s, r);
}

/* --------------------------------------------------------------- header */

static const char *const header_keys[] = {
    "id",         "title",     "source", "ref",     "primitives",
    "methods",    "buffering", "exit",   "timeout", "wall",
    "time-scale", "oracle",    "tags",   "covers",  "not-applicable",
    "shm-size",   "since",     "until",
};

/* The header fields a qualified line (`since 3.12: exit: 1`) may set. */
static const char *const versioned_keys[] = {
    "exit", "methods", "timeout", "wall", "time-scale", "oracle", "buffering",
};

static const char *const section_names[] = {
    "document", "erratum", "change", "stdout", "stderr", "checks",
};

static int is_section(const char *s, const char **name)
{
    for (size_t i = 0; i < sizeof section_names / sizeof *section_names; i++) {
        size_t n = strlen(section_names[i]);
        if (strncmp(s, section_names[i], n) == 0 && s[n] == ':') {
            *name = section_names[i];
            return 1;
        }
    }
    return 0;
}

/* A column-0 `key: value` line whose key is a header field. */
static int is_header_line(const char *s)
{
    for (size_t i = 0; i < sizeof header_keys / sizeof *header_keys; i++) {
        size_t n = strlen(header_keys[i]);
        if (strncmp(s, header_keys[i], n) == 0 && s[n] == ':' &&
            (s[n + 1] == ' ' || !s[n + 1]))
            return 1;
    }
    return 0;
}

static int parse_double(const char *s, double *out)
{
    char *e;
    errno = 0;
    *out = strtod(s, &e);
    return (e == s || *skip_blanks(e) || errno || !isfinite(*out)) ? -1 : 0;
}

static int header_field(parser_t *p, int no, const char *key, const char *val)
{
    mpc_case_t *c = p->c;
    if (!*val && strcmp(key, "tags") != 0)
        return perr(p, no, "empty '%s:' field", key);
    if (strcmp(key, "id") == 0) {
        const char *slash = strchr(val, '/');
        if (!slash || slash == val || !slash[1] || strchr(slash + 1, '/') ||
            strchr(val, ' '))
            return perr(p, no, "bad id '%s' (want area/name)", val);
        c->id = mpc_xstrdup(val);
    } else if (strcmp(key, "title") == 0) {
        c->title = mpc_xstrdup(val);
    } else if (strcmp(key, "source") == 0) {
        c->source = mpc_xstrdup(val);
    } else if (strcmp(key, "ref") == 0) {
        c->ref = mpc_xstrdup(val);
    } else if (strcmp(key, "primitives") == 0) {
        mpc_strv_split(&c->primitives, val, ",");
        for (size_t i = 0; i < c->primitives.n; i++)
            mpc_trim(c->primitives.v[i]);
    } else if (strcmp(key, "methods") == 0) {
        mpc_strv_free(&c->methods);
        mpc_strv_split(&c->methods, val, " \t,");
        for (size_t i = 0; i < c->methods.n; i++)
            if (strcmp(c->methods.v[i], "fork") &&
                strcmp(c->methods.v[i], "spawn") &&
                strcmp(c->methods.v[i], "forkserver"))
                return perr(
                    p, no,
                    "unknown start method '%s' (fork, spawn, forkserver)",
                    c->methods.v[i]);
    } else if (strcmp(key, "buffering") == 0) {
        if (strcmp(val, "pipe") == 0)
            c->unbuffered = 0;
        else if (strcmp(val, "unbuffered") == 0)
            c->unbuffered = 1;
        else if (strcmp(val, "tty") == 0)
            c->tty = 1;
        else
            return perr(p, no, "bad buffering '%s' (pipe, unbuffered or tty)",
                        val);
    } else if (strcmp(key, "exit") == 0) {
        char *e;
        long v = strtol(val, &e, 10);
        if (e == val || *skip_blanks(e) || v < -64 || v > 255)
            return perr(p, no,
                        "bad exit status '%s' (0..255, or -N for signal N)",
                        val);
        c->exit_status = (int)v;
    } else if (strcmp(key, "timeout") == 0) {
        if (parse_double(val, &c->timeout) < 0 || c->timeout <= 0)
            return perr(p, no, "bad timeout '%s' (seconds > 0)", val);
    } else if (strcmp(key, "wall") == 0) {
        double d, s;
        int n = 0;
        if (sscanf(val, "%lf + %lf %n", &d, &s, &n) != 2 || val[n] || d < 0 ||
            s < 0)
            return perr(p, no,
                        "bad wall bound '%s' (want 'D + S', e.g. '4 + 1.5')",
                        val);
        c->has_wall = 1;
        c->wall_d = d;
        c->wall_s = s;
    } else if (strcmp(key, "shm-size") == 0) {
        if (mpc_parse_size(val, &c->shm_size) < 0)
            return perr(
                p, no, "bad shm-size '%s' (bytes, or with K, M, G: 512M)", val);
    } else if (strcmp(key, "time-scale") == 0) {
        if (parse_double(val, &c->time_scale) < 0 || c->time_scale <= 0)
            return perr(p, no, "bad time-scale '%s' (a number > 0)", val);
        c->has_time_scale = 1;
    } else if (strcmp(key, "oracle") == 0) {
        mpc_strv_free(&c->oracle); /* a qualified line replaces it */
        mpc_strv_split(&c->oracle, val, " \t,");
    } else if (strcmp(key, "since") == 0 || strcmp(key, "until") == 0) {
        const char *e;
        int v = mpc_pyver_parse(val, &e);
        if (!v || *skip_blanks(e))
            return perr(p, no, "bad version '%s' (want X.Y, e.g. 3.12)", val);
        *(key[0] == 's' ? &c->since : &c->until) = v;
        if (c->since && c->until && c->since > c->until)
            return perr(p, no,
                        "'since:' is newer than 'until:': the case "
                        "applies to no version");
    } else if (strcmp(key, "tags") == 0) {
        mpc_strv_split(&c->tags, val, " \t,");
    } else if (strcmp(key, "covers") == 0) {
        mpc_strv_split(&c->covers, val, " \t,");
        for (size_t i = 0; i < c->covers.n; i++) {
            if (!mpc_covers_name_ok(c->covers.v[i]))
                return perr(p, no,
                            "bad covers name '%s' (want Class.test_method, "
                            "as in conformance/cpython-suite.txt)",
                            c->covers.v[i]);
            for (size_t j = 0; j < i; j++)
                if (strcmp(c->covers.v[i], c->covers.v[j]) == 0)
                    return perr(p, no, "'%s' is named twice in covers:",
                                c->covers.v[i]);
        }
    } else if (strcmp(key, "not-applicable") == 0) {
        size_t n = strcspn(val, " \t");
        const char *reason = skip_blanks(val + n);
        if (!*reason)
            return perr(p, no,
                        "not-applicable: wants an implementation and a "
                        "reason ('not-applicable: ref REASON')");
        c->na_impl = mpc_xstrndup(val, n);
        c->na_reason = mpc_xstrdup(reason);
    }
    return 0;
}

int mpc_covers_name_ok(const char *name)
{
    const char *dot = strchr(name, '.');
    if (!dot || dot == name || strchr(dot + 1, '.') ||
        strncmp(dot + 1, "test", 4) != 0)
        return 0;
    for (const char *s = name; *s; s++)
        if (s != dot && !(isalnum((unsigned char)*s) || *s == '_'))
            return 0;
    return !isdigit((unsigned char)name[0]);
}

const char *mpc_case_not_applicable(const mpc_case_t *c, const char *impl)
{
    return c->na_impl && strcmp(c->na_impl, impl) == 0 ? c->na_reason : NULL;
}

/* Verbatim `| ` text of lines [a, b); NULL and error on a non-verbatim line. */
static int verbatim(parser_t *p, size_t a, size_t b, mpc_strv_t *out,
                    mpc_strv_t *nos)
{
    for (size_t i = a; i < b; i++) {
        const char *s = p->lines[i].text;
        const char *t = skip_blanks(s);
        if (*t == '|') {
            if (t[1] != '\0' && t[1] != ' ')
                return perr(p, p->lines[i].no,
                            "verbatim line needs '| ' (a space after '|')");
            mpc_strv_pushdup(out, t[1] ? t + 2 : "");
            if (nos)
                mpc_strv_push(nos, mpc_xasprintf("%d", p->lines[i].no));
            continue;
        }
        if (is_blank_or_comment(s))
            continue;
        return perr(p, p->lines[i].no,
                    "expected a verbatim '| ' line, got '%s'", t);
    }
    return 0;
}

static char *join_lines(const mpc_strv_t *sv, size_t a, size_t b)
{
    mpc_buf_t buf;
    mpc_buf_init(&buf);
    for (size_t i = a; i < b; i++) {
        if (i > a)
            mpc_buf_addc(&buf, '\n');
        mpc_buf_adds(&buf, sv->v[i]);
    }
    return mpc_buf_take(&buf);
}

/* The verbatim lines [a, b) of a section WHAT (`erratum`, `change`) as NK
 * keyed parts, in the order of keys (each may continue on further lines);
 * the text of part k goes to *dst[k]. */
static int keyed_parts(parser_t *p, int no, const char *what, const char *title,
                       size_t a, size_t b, const char *const *keys, size_t nk,
                       char ***dst)
{
    mpc_strv_t lines = {0}, nos = {0};
    if (verbatim(p, a, b, &lines, &nos) < 0) {
        mpc_strv_free(&lines);
        mpc_strv_free(&nos);
        return -1;
    }
    size_t start[8] = {0};
    size_t k = 0;
    int rc = 0;
    for (size_t i = 0; i < lines.n && rc == 0; i++) {
        if (k < nk && strncmp(lines.v[i], keys[k], strlen(keys[k])) == 0) {
            start[k++] = i;
        } else if (i == 0) {
            mpc_buf_t want;
            mpc_buf_init(&want);
            for (size_t j = 0; j < nk; j++)
                mpc_buf_printf(&want, "%s'| %s'", j ? ", then " : "", keys[j]);
            rc =
                perr(p, atoi(nos.v[i]), "%s lines start with %s", what, want.s);
            mpc_buf_free(&want);
        }
    }
    if (rc == 0 && k < nk)
        rc = perr(p, no, "%s '%s' lacks its '| %s' line", what, title, keys[k]);
    start[nk] = lines.n;
    for (k = 0; rc == 0 && k < nk; k++) {
        char *first = lines.v[start[k]];
        lines.v[start[k]] = mpc_xstrdup(first + strlen(keys[k]));
        free(first);
        *dst[k] = join_lines(&lines, start[k], start[k + 1]);
    }
    mpc_strv_free(&lines);
    mpc_strv_free(&nos);
    return rc;
}

static int parse_erratum(parser_t *p, int no, const char *title, size_t a,
                         size_t b)
{
    mpc_case_t *c = p->c;
    static const char *const keys[] = {"doc: ", "cpython: ", "why: "};
    mpc_erratum_t e = {0};
    char **dst[3] = {&e.doc, &e.cpython, &e.why};
    if (keyed_parts(p, no, "erratum", title, a, b, keys, 3, dst) < 0)
        return -1;
    e.title = mpc_xstrdup(title);
    e.line = no;
    c->errata = mpc_xrealloc(c->errata, (c->nerrata + 1) * sizeof *c->errata);
    c->errata[c->nerrata++] = e;
    return 0;
}

/* change: TITLE -- `| version: X.Y`, `| before: `, `| after: `, `| why: `. */
static int parse_change(parser_t *p, int no, const char *title, size_t a,
                        size_t b)
{
    mpc_case_t *c = p->c;
    static const char *const keys[] = {
        "version: ", "before: ", "after: ", "why: "};
    mpc_change_t ch = {0};
    char *ver = NULL;
    char **dst[4] = {&ver, &ch.before, &ch.after, &ch.why};
    int rc = keyed_parts(p, no, "change", title, a, b, keys, 4, dst);
    const char *e = NULL;
    if (rc == 0) {
        ch.version = mpc_pyver_parse(ver, &e);
        if (!ch.version || *e)
            rc = perr(p, no,
                      "change '%s': bad '| version: %s' (want X.Y, the "
                      "first CPython with the new behaviour)",
                      title, ver);
    }
    free(ver);
    if (rc < 0) {
        free(ch.before);
        free(ch.after);
        free(ch.why);
        return -1;
    }
    ch.title = mpc_xstrdup(title);
    ch.line = no;
    c->changes =
        mpc_xrealloc(c->changes, (c->nchanges + 1) * sizeof *c->changes);
    c->changes[c->nchanges++] = ch;
    return 0;
}

static int is_header_key(const char *key)
{
    for (size_t j = 0; j < sizeof header_keys / sizeof *header_keys; j++)
        if (strcmp(header_keys[j], key) == 0)
            return (int)j;
    return -1;
}

/* A qualified header line `since 3.12: KEY: VALUE` (REST is `KEY: VALUE`):
 * checked always, applied when it holds at p->pyver.  It is applied now,
 * over the plain line whether that comes before or after it: parse_header
 * applies the plain lines first (qualified lines are kept for last). */
static void header_qualified_apply(parser_t *p, int no, const char *rest,
                                   int apply)
{
    const char *colon = strchr(rest, ':');
    char *key = colon ? mpc_xstrndup(rest, (size_t)(colon - rest)) : NULL;
    int ok = 0;
    for (size_t k = 0;
         key && k < sizeof versioned_keys / sizeof *versioned_keys; k++)
        ok |= strcmp(key, versioned_keys[k]) == 0;
    if (!ok || (colon[1] != ' ' && colon[1] != '\0')) {
        perr(p, no,
             "a qualified header line is 'since X.Y: KEY: VALUE' with KEY "
             "one of exit, methods, timeout, wall, time-scale, oracle, "
             "buffering; got '%s'",
             rest);
        free(key);
        return;
    }
    char *val = mpc_trim(mpc_xstrdup(colon + 1));
    if (apply) {
        header_field(p, no, key, val);
    } else {
        /* checked on a scratch case, so a line that never applies here is
         * still a valid line */
        mpc_case_t scratch, *real = p->c;
        memset(&scratch, 0, sizeof scratch);
        p->c = &scratch;
        header_field(p, no, key, val);
        p->c = real;
        mpc_case_free(&scratch);
    }
    free(key);
    free(val);
}

/* Every qualified header line, in order, after the plain ones. */
static void header_qualified_all(parser_t *p, size_t end)
{
    for (size_t i = 0; i < end && !p->err; i++) {
        const char *s = p->lines[i].text, *rest;
        mpc_vqual_t q;
        if (qualified_line(s, &q, &rest))
            header_qualified_apply(p, p->lines[i].no, rest,
                                   mpc_vqual_holds(&q, p->pyver));
    }
}

/* The header: `key: value` lines up to the first section line. */
static void parse_header(parser_t *p, size_t *i)
{
    int seen[sizeof header_keys / sizeof *header_keys] = {0};
    for (; *i < p->nlines && !p->err; (*i)++) {
        const char *s = p->lines[*i].text, *sec;
        int no = p->lines[*i].no;
        if (is_blank_or_comment(s))
            continue;
        if (is_section(s, &sec))
            break;
        if (s[0] == ' ' || s[0] == '\t') {
            perr(p, no, "indented line in the header");
            break;
        }
        mpc_vqual_t q;
        const char *qrest;
        if (qualified_line(s, &q, &qrest))
            continue; /* header_qualified_all, once the plain lines are in */
        const char *colon = strchr(s, ':');
        if (!colon || (colon[1] != ' ' && colon[1] != '\0')) {
            perr(p, no, "expected 'key: value' in the header, got '%s'", s);
            break;
        }
        char *key = mpc_xstrndup(s, (size_t)(colon - s));
        char *val = mpc_trim(mpc_xstrdup(colon + 1));
        int k = is_header_key(key);
        if (k < 0)
            perr(p, no, "unknown header field '%s'", key);
        else if (seen[k]++)
            perr(p, no, "duplicate header field '%s'", key);
        else
            header_field(p, no, key, val);
        free(key);
        free(val);
    }
}

/* Where the checks section is: parsed last, since its relations name the
 * captures of both streams. */
typedef struct {
    int have_doc, have_checks;
    size_t checks_a, checks_b;
} sections_t;

/* One section SEC (its line NO, REST after the colon) over lines [a, b). */
static void parse_section(parser_t *p, sections_t *st, const char *sec, int no,
                          const char *rest, size_t a, size_t b)
{
    mpc_case_t *c = p->c;
    if (strcmp(sec, "erratum") != 0 && strcmp(sec, "change") != 0 && *rest) {
        perr(p, no, "section line '%s:' takes nothing after the colon", sec);
    } else if (strcmp(sec, "change") == 0) {
        if (!*rest)
            perr(p, no, "'change:' needs a title");
        else
            parse_change(p, no, rest, a, b);
    } else if (strcmp(sec, "document") == 0) {
        if (st->have_doc++)
            perr(p, no, "duplicate 'document:' section");
        mpc_strv_t lines = {0};
        if (verbatim(p, a, b, &lines, NULL) == 0) {
            free(c->document);
            c->document = join_lines(&lines, 0, lines.n);
        }
        mpc_strv_free(&lines);
    } else if (strcmp(sec, "erratum") == 0) {
        if (!*rest)
            perr(p, no, "'erratum:' needs a title");
        else
            parse_erratum(p, no, rest, a, b);
    } else if (strcmp(sec, "stdout") == 0 || strcmp(sec, "stderr") == 0) {
        int is_out = sec[3] == 'o';
        int *has = is_out ? &c->has_stdout : &c->has_stderr;
        if ((*has)++) {
            perr(p, no, "duplicate '%s:' section", sec);
        } else {
            size_t j = a;
            int ended = END_EOF;
            parse_items(p, &j, b, is_out ? &c->out : &c->err, 0, &ended, 0);
        }
    } else if (strcmp(sec, "checks") == 0) {
        if (st->have_checks++)
            perr(p, no, "duplicate 'checks:' section");
        st->checks_a = a;
        st->checks_b = b;
    }
}

/* A line where a section line was expected: say what it is. */
static void not_a_section(parser_t *p, const char *s, int no)
{
    const char *colon = strchr(s, ':');
    if (s[0] != ' ' && colon) {
        char *key = mpc_xstrndup(s, (size_t)(colon - s));
        if (is_header_key(key) >= 0)
            perr(p, no, "header field '%s' after the first section", key);
        free(key);
    }
    perr(p, no,
         "expected a section line (document:, erratum: TITLE, change: "
         "TITLE, stdout:, stderr:, checks:), got '%s'",
         s);
}

/* The sections, from line *i to the end. */
static void parse_sections(parser_t *p, size_t *i, sections_t *st)
{
    while (*i < p->nlines && !p->err) {
        const char *s = p->lines[*i].text;
        const char *sec = NULL;
        int no = p->lines[*i].no;
        if (is_blank_or_comment(s)) {
            (*i)++;
            continue;
        }
        if (!is_section(s, &sec)) {
            not_a_section(p, s, no);
            break;
        }
        char *rest = mpc_trim(mpc_xstrdup(s + strlen(sec) + 1));
        size_t a = ++*i;
        while (*i < p->nlines) {
            const char *t = p->lines[*i].text, *sec2;
            if (t[0] != ' ' && t[0] != '\t' &&
                (is_section(t, &sec2) || is_header_line(t)))
                break;
            (*i)++;
        }
        parse_section(p, st, sec, no, rest, a, *i);
        free(rest);
    }
}

static void rel_free(mpc_rel_t *r)
{
    free(r->src);
    free(r->a);
    free(r->b);
    free(r->lit);
    mpc_strv_free(&r->vals);
}

static void parse_checks(parser_t *p, const sections_t *st)
{
    mpc_case_t *c = p->c;
    for (size_t j = st->checks_a;
         st->have_checks && j < st->checks_b && !p->err; j++) {
        if (is_blank_or_comment(p->lines[j].text))
            continue;
        const char *text = skip_blanks(p->lines[j].text), *rest;
        mpc_vqual_t q;
        if (qualified_line(text, &q, &rest)) {
            text = rest;
            if (!mpc_vqual_holds(&q, p->pyver)) {
                /* checked, then dropped: it does not hold here */
                mpc_rel_t r = {0};
                parse_check(p, p->lines[j].no, text, &r);
                rel_free(&r);
                continue;
            }
        }
        c->checks =
            mpc_xrealloc(c->checks, (c->nchecks + 1) * sizeof *c->checks);
        mpc_rel_t *r = &c->checks[c->nchecks++];
        memset(r, 0, sizeof *r);
        parse_check(p, p->lines[j].no, text, r);
    }
}

/* The fields every case must have, and oracle captures that exist. */
static void check_required(parser_t *p)
{
    const mpc_case_t *c = p->c;
    if (!c->id)
        perr(p, 1, "missing header field 'id:'");
    else if (!c->title)
        perr(p, 1, "missing header field 'title:'");
    else if (!c->source)
        perr(p, 1,
             "missing header field 'source:' (a seed file § section, or "
             "'spec')");
    else if (!c->primitives.n)
        perr(p, 1, "missing header field 'primitives:'");
    else if (!c->methods.n)
        perr(p, 1, "'methods:' lists no start method");
    for (size_t k = 0; k < c->oracle.n && !p->err; k++)
        if (!cap_known(c, c->oracle.v[k]))
            perr(p, 1, "oracle capture '%s' is not captured by any pattern",
                 c->oracle.v[k]);
}

int mpc_case_parse(const char *path, const char *text, mpc_case_t *c,
                   char **err)
{
    return mpc_case_parse_at(path, text, MPC_PYVER_HOST, c, err);
}

int mpc_case_parse_at(const char *path, const char *text, int pyver,
                      mpc_case_t *c, char **err)
{
    memset(c, 0, sizeof *c);
    c->pyver = pyver;
    c->path = mpc_xstrdup(path);
    const char *slash = strrchr(path, '/');
    c->dir =
        slash ? mpc_xstrndup(path, (size_t)(slash - path)) : mpc_xstrdup(".");
    c->timeout = 60;
    c->document = mpc_xstrdup("");
    mpc_strv_pushdup(&c->methods, "fork");
    mpc_strv_pushdup(&c->methods, "spawn");
    mpc_strv_pushdup(&c->methods, "forkserver");

    parser_t p = {path, NULL, 0, NULL, c, pyver};
    sections_t st = {0};
    size_t i = 0;
    split_lines(&p, text);
    parse_header(&p, &i);
    header_qualified_all(&p, i);
    parse_sections(&p, &i, &st);
    parse_checks(&p, &st);
    if (!p.err)
        check_required(&p);
    for (size_t k = 0; k < p.nlines; k++)
        free(p.lines[k].text);
    free(p.lines);
    if (p.err) {
        mpc_case_free(c);
        *err = p.err;
        return -1;
    }
    return 0;
}

int mpc_case_load(const char *path, const char *cases_root, mpc_case_t *c,
                  char **err)
{
    return mpc_case_load_at(path, cases_root, MPC_PYVER_HOST, c, err);
}

int mpc_case_load_at(const char *path, const char *cases_root, int pyver,
                     mpc_case_t *c, char **err)
{
    size_t len;
    char *text = mpc_read_file(path, &len);
    if (!text) {
        *err = mpc_xasprintf("%s:0: cannot read: %s", path, strerror(errno));
        memset(c, 0, sizeof *c);
        return -1;
    }
    if (strlen(text) != len) {
        free(text);
        *err = mpc_xasprintf("%s:0: the file holds a NUL byte", path);
        memset(c, 0, sizeof *c);
        return -1;
    }
    int r = mpc_case_parse_at(path, text, pyver, c, err);
    free(text);
    if (r == 0 && cases_root) {
        size_t rl = strlen(cases_root);
        const char *dir = c->dir;
        if (strncmp(dir, cases_root, rl) == 0 && dir[rl] == '/' &&
            strcmp(dir + rl + 1, c->id) != 0) {
            *err = mpc_xasprintf("%s:1: id '%s' does not match the folder '%s'",
                                 path, c->id, dir + rl + 1);
            mpc_case_free(c);
            return -1;
        }
    }
    return r;
}

void mpc_case_free(mpc_case_t *c)
{
    free(c->path);
    free(c->dir);
    free(c->id);
    free(c->title);
    free(c->source);
    free(c->ref);
    mpc_strv_free(&c->primitives);
    mpc_strv_free(&c->methods);
    mpc_strv_free(&c->tags);
    mpc_strv_free(&c->oracle);
    mpc_strv_free(&c->covers);
    free(c->na_impl);
    free(c->na_reason);
    free(c->document);
    for (size_t i = 0; i < c->nerrata; i++) {
        free(c->errata[i].title);
        free(c->errata[i].doc);
        free(c->errata[i].cpython);
        free(c->errata[i].why);
    }
    free(c->errata);
    for (size_t i = 0; i < c->nchanges; i++) {
        free(c->changes[i].title);
        free(c->changes[i].before);
        free(c->changes[i].after);
        free(c->changes[i].why);
    }
    free(c->changes);
    items_free(&c->out);
    items_free(&c->err);
    for (size_t i = 0; i < c->nchecks; i++)
        rel_free(&c->checks[i]);
    free(c->checks);
    mpc_strv_free(&c->capnames);
    free(c->captypes);
    memset(c, 0, sizeof *c);
}

char *mpc_case_version_skip(const mpc_case_t *c)
{
    char a[16], b[16], v[16];
    mpc_pyver_str(c->pyver, v);
    if (c->since && c->pyver < c->since) {
        if (c->until)
            return mpc_xasprintf("the case applies to Python %s to %s, not "
                                 "%s (since:, until:)",
                                 mpc_pyver_str(c->since, a),
                                 mpc_pyver_str(c->until, b), v);
        return mpc_xasprintf("the case applies to Python %s and newer, not "
                             "%s (since:)",
                             mpc_pyver_str(c->since, a), v);
    }
    if (c->until && c->pyver > c->until) {
        if (c->since)
            return mpc_xasprintf("the case applies to Python %s to %s, not "
                                 "%s (since:, until:)",
                                 mpc_pyver_str(c->since, a),
                                 mpc_pyver_str(c->until, b), v);
        return mpc_xasprintf("the case applies to Python %s and older, not "
                             "%s (until:)",
                             mpc_pyver_str(c->until, a), v);
    }
    return NULL;
}

char *mpc_oracle_rec_path(const char *dir, int pyver)
{
    char v[16];
    if (pyver == MPC_PYVER_HOST || pyver <= 0)
        return mpc_xasprintf("%s/oracle.rec", dir);
    return mpc_xasprintf("%s/oracle-%s.rec", dir, mpc_pyver_str(pyver, v));
}

int mpc_case_has_method(const mpc_case_t *c, const char *method)
{
    return mpc_strv_has(&c->methods, method);
}

/* ---------------------------------------------------------------- print */

static void print_items(const mpc_items_t *it, int indent, FILE *f)
{
    for (size_t i = 0; i < it->n; i++) {
        const mpc_item_t *item = &it->v[i];
        fprintf(f, "%*s", indent, "");
        switch (item->kind) {
        case MPC_IT_EQ:
            fprintf(f, "%s= %s\n", item->optional ? "? " : "", item->text);
            break;
        case MPC_IT_PAT:
            fprintf(f, "%s\n", item->src);
            break;
        case MPC_IT_ANY:
            fputs("...\n", f);
            break;
        case MPC_IT_REPEAT:
            if (item->min == item->max)
                fprintf(f, "repeat %d {\n", item->min);
            else
                fprintf(f, "repeat %d..%d {\n", item->min, item->max);
            print_items(&item->body, indent + 2, f);
            fprintf(f, "%*s}\n", indent, "");
            break;
        case MPC_IT_UNORDERED:
            fputs("unordered {\n", f);
            print_items(&item->body, indent + 2, f);
            fprintf(f, "%*s}\n", indent, "");
            break;
        case MPC_IT_EITHER:
            fputs("either {\n", f);
            for (size_t k = 0; k < item->nalts; k++) {
                if (k)
                    fprintf(f, "%*s} or {\n", indent, "");
                print_items(&item->alts[k], indent + 2, f);
            }
            fprintf(f, "%*s}\n", indent, "");
            break;
        case MPC_IT_INTERLEAVE:
            fputs("interleave {\n", f);
            for (size_t k = 0; k < item->nalts; k++) {
                fprintf(f, "%*sstream {\n", indent + 2, "");
                print_items(&item->alts[k], indent + 4, f);
                fprintf(f, "%*s}\n", indent + 2, "");
            }
            fprintf(f, "%*s}\n", indent, "");
            break;
        }
    }
}

static void print_list(const char *key, const mpc_strv_t *sv, FILE *f)
{
    fprintf(f, "%s:", key);
    for (size_t i = 0; i < sv->n; i++)
        fprintf(f, "%s%s", i ? ", " : " ", sv->v[i]);
    fputc('\n', f);
}

static void print_verbatim(const char *text, FILE *f)
{
    const char *s = text;
    if (!*s)
        return;
    for (;;) {
        const char *e = strchr(s, '\n');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        fprintf(f, "  | %.*s\n", (int)n, s);
        if (!e)
            break;
        s = e + 1;
    }
}

void mpc_case_print(const mpc_case_t *c, FILE *f)
{
    fprintf(f, "id: %s\ntitle: %s\nsource: %s\n", c->id, c->title, c->source);
    if (c->ref)
        fprintf(f, "ref: %s\n", c->ref);
    fprintf(f, "file: %s\n", c->path);
    print_list("primitives", &c->primitives, f);
    print_list("methods", &c->methods, f);
    fprintf(f, "buffering: %s\nexit: %d\ntimeout: %g s\n",
            c->unbuffered ? "unbuffered"
            : c->tty      ? "tty"
                          : "pipe",
            c->exit_status, c->timeout);
    if (c->has_wall)
        fprintf(f, "wall: <= %g * MP_TIME_SCALE + %g s\n", c->wall_d,
                c->wall_s);
    if (c->has_time_scale)
        fprintf(f, "time-scale: %g\n", c->time_scale);
    if (c->shm_size)
        fprintf(f, "shm-size: %zu\n", c->shm_size);
    if (c->oracle.n)
        print_list("oracle", &c->oracle, f);
    if (c->tags.n)
        print_list("tags", &c->tags, f);
    if (c->covers.n)
        print_list("covers", &c->covers, f);
    if (c->na_impl)
        fprintf(f, "not-applicable: %s: %s\n", c->na_impl, c->na_reason);
    char vb[16];
    fprintf(f, "python: %s (the version blocks resolved at it)\n",
            mpc_pyver_str(c->pyver, vb));
    if (c->since)
        fprintf(f, "since: %s\n", mpc_pyver_str(c->since, vb));
    if (c->until)
        fprintf(f, "until: %s\n", mpc_pyver_str(c->until, vb));
    fprintf(f, "captures:");
    for (size_t i = 0; i < c->capnames.n; i++)
        fprintf(f, " %s:%s", c->capnames.v[i],
                mpc_captype_name(c->captypes[i]));
    fprintf(f, "\n\ndocument output:\n");
    print_verbatim(c->document, f);
    for (size_t i = 0; i < c->nerrata; i++) {
        fprintf(f, "\nerratum: %s\n  doc:\n", c->errata[i].title);
        print_verbatim(c->errata[i].doc, f);
        fprintf(f, "  cpython:\n");
        print_verbatim(c->errata[i].cpython, f);
        fprintf(f, "  why:\n");
        print_verbatim(c->errata[i].why, f);
    }
    for (size_t i = 0; i < c->nchanges; i++) {
        fprintf(f, "\nchange: %s\n  version: %s\n  before:\n",
                c->changes[i].title, mpc_pyver_str(c->changes[i].version, vb));
        print_verbatim(c->changes[i].before, f);
        fprintf(f, "  after:\n");
        print_verbatim(c->changes[i].after, f);
        fprintf(f, "  why:\n");
        print_verbatim(c->changes[i].why, f);
    }
    fprintf(f, "\nstdout:%s\n", c->has_stdout ? "" : " (must be empty)");
    print_items(&c->out, 2, f);
    fprintf(f, "\nstderr:%s\n",
            c->has_stderr ? (c->err.n ? "" : " (must be empty)")
                          : " (not checked)");
    print_items(&c->err, 2, f);
    if (c->nchecks) {
        fprintf(f, "\nchecks:\n");
        for (size_t i = 0; i < c->nchecks; i++)
            fprintf(f, "  %s\n", c->checks[i].src);
    }
}
