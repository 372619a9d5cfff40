/*
 * json.c - a small, strict recursive-descent JSON reader (see json.h).
 *
 * Recursion depth is bounded by JSON_MAX_DEPTH; every read checks the end
 * of the buffer first, so truncated input is an error, never an overrun.
 */
#include "json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

typedef struct {
    const unsigned char *s;
    size_t len, pos;
    char *err;
    size_t errlen;
    int failed;
} parser_t;

static int fail(parser_t *p, const char *fmt, ...)
{
    if (p->failed)
        return -1; /* keep the first, innermost message */
    size_t line = 1, col = 1;
    for (size_t i = 0; i < p->pos && i < p->len; i++) {
        if (p->s[i] == '\n')
            line++, col = 1;
        else
            col++;
    }
    int n = snprintf(p->err, p->errlen, "line %zu, column %zu: ", line, col);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < p->errlen)
        vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    p->failed = 1;
    return -1;
}

static void skip_ws(parser_t *p)
{
    while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
                               p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
        p->pos++;
}

static int value(parser_t *p, jv_t *v, int depth);

static int literal(parser_t *p, const char *word)
{
    size_t n = strlen(word);
    if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
        return fail(p, "invalid literal (expected %s)", word);
    p->pos += n;
    return 0;
}

static size_t digits(parser_t *p)
{
    size_t start = p->pos;
    while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
        p->pos++;
    return p->pos - start;
}

/* The RFC 8259 number grammar, checked before strtod (which would accept
 * hex, "inf", leading '+', ...). */
static int number(parser_t *p, jv_t *v)
{
    size_t start = p->pos;
    char buf[64];
    if (p->pos < p->len && p->s[p->pos] == '-')
        p->pos++;
    if (p->pos < p->len && p->s[p->pos] == '0')
        p->pos++;
    else if (digits(p) == 0)
        return fail(p, "invalid number");
    if (p->pos < p->len && p->s[p->pos] == '.') {
        p->pos++;
        if (digits(p) == 0)
            return fail(p, "invalid number: digits expected after '.'");
    }
    if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
        p->pos++;
        if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
            p->pos++;
        if (digits(p) == 0)
            return fail(p, "invalid number: digits expected in exponent");
    }
    if (p->pos - start >= sizeof buf)
        return fail(p, "number too long");
    memcpy(buf, p->s + start, p->pos - start);
    buf[p->pos - start] = '\0';
    v->type = J_NUM;
    v->num = strtod(buf, NULL);
    return 0;
}

static int hex4(parser_t *p, unsigned *out)
{
    unsigned c = 0;
    if (p->len - p->pos < 4)
        return fail(p, "truncated \\u escape");
    for (int i = 0; i < 4; i++) {
        unsigned char h = p->s[p->pos++];
        c <<= 4;
        if (h >= '0' && h <= '9')
            c |= h - '0';
        else if (h >= 'a' && h <= 'f')
            c |= h - 'a' + 10;
        else if (h >= 'A' && h <= 'F')
            c |= h - 'A' + 10;
        else
            return fail(p, "invalid hex digit in \\u escape");
    }
    *out = c;
    return 0;
}

static size_t put_utf8(char *o, unsigned c)
{
    if (c < 0x80)
        return o[0] = (char)c, 1;
    if (c < 0x800) {
        o[0] = (char)(0xc0 | (c >> 6));
        o[1] = (char)(0x80 | (c & 0x3f));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (char)(0xe0 | (c >> 12));
        o[1] = (char)(0x80 | ((c >> 6) & 0x3f));
        o[2] = (char)(0x80 | (c & 0x3f));
        return 3;
    }
    o[0] = (char)(0xf0 | (c >> 18));
    o[1] = (char)(0x80 | ((c >> 12) & 0x3f));
    o[2] = (char)(0x80 | ((c >> 6) & 0x3f));
    o[3] = (char)(0x80 | (c & 0x3f));
    return 4;
}

/* After "\u": one code point, joining a surrogate pair when one follows. */
static int unicode_escape(parser_t *p, unsigned *cp)
{
    unsigned c = 0, lo = 0;
    if (hex4(p, &c) < 0)
        return -1;
    if (c >= 0xd800 && c <= 0xdbff && p->len - p->pos >= 6 &&
        p->s[p->pos] == '\\' && p->s[p->pos + 1] == 'u') {
        size_t save = p->pos;
        p->pos += 2;
        if (hex4(p, &lo) < 0)
            return -1;
        if (lo >= 0xdc00 && lo <= 0xdfff)
            c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        else
            p->pos = save; /* not a pair: the next escape stands alone */
    }
    if (c >= 0xd800 && c <= 0xdfff)
        c = 0xfffd; /* lone surrogate: not representable in UTF-8 */
    *cp = c;
    return 0;
}

static int escape(parser_t *p, char *o, size_t *olen)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    if (p->pos >= p->len)
        return fail(p, "truncated escape");
    unsigned char e = p->s[p->pos++];
    const char *k = e ? strchr(from, e) : NULL;
    if (k != NULL) {
        o[(*olen)++] = to[k - from];
        return 0;
    }
    if (e != 'u') {
        p->pos--;
        return fail(p, "invalid escape \\%c", e >= 0x20 && e < 0x7f ? e : '?');
    }
    unsigned cp = 0;
    if (unicode_escape(p, &cp) < 0)
        return -1;
    *olen += put_utf8(o + *olen, cp);
    return 0;
}

/* A string at p->pos (just after the opening quote).  The decoded form is
 * never longer than the source (an escape of 6 or 12 bytes yields at most
 * 4), so one buffer of the remaining length is enough. */
static int string(parser_t *p, char **out, size_t *outlen)
{
    size_t end = p->pos;
    while (end < p->len && p->s[end] != '"')
        end += (p->s[end] == '\\') ? 2 : 1;
    if (end >= p->len)
        return fail(p, "unterminated string");
    char *o = malloc(end - p->pos + 1);
    if (o == NULL)
        return fail(p, "out of memory");
    size_t olen = 0;
    while (p->s[p->pos] != '"') {
        unsigned char c = p->s[p->pos];
        unsigned cp = 0;
        int n;
        if (c == '\\') {
            p->pos++;
            if (escape(p, o, &olen) < 0)
                return free(o), -1;
        } else if (c < 0x20) {
            free(o);
            return fail(p, "control character 0x%02x in string", c);
        } else if ((n = mdl_utf8_decode(p->s + p->pos, end - p->pos, &cp)) ==
                   0) {
            free(o);
            return fail(p, "invalid UTF-8 in string");
        } else {
            memcpy(o + olen, p->s + p->pos, (size_t)n);
            olen += (size_t)n, p->pos += (size_t)n;
        }
    }
    p->pos++;
    o[olen] = '\0';
    *out = o;
    if (outlen != NULL)
        *outlen = olen;
    return 0;
}

/* Append a zeroed slot to v->items (and v->keys for objects). */
static jv_t *grow(parser_t *p, jv_t *v, size_t *cap)
{
    if (v->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        jv_t *ni = realloc(v->items, nc * sizeof *ni);
        if (ni == NULL)
            return fail(p, "out of memory"), NULL;
        v->items = ni;
        if (v->type == J_OBJ) {
            char **nk = realloc(v->keys, nc * sizeof *nk);
            if (nk == NULL)
                return fail(p, "out of memory"), NULL;
            v->keys = nk;
        }
        *cap = nc;
    }
    memset(&v->items[v->n], 0, sizeof v->items[0]);
    if (v->type == J_OBJ)
        v->keys[v->n] = NULL;
    return &v->items[v->n++];
}

/* Elements of an array or members of an object, after the opening
 * bracket; v->type is already set so json_free can clean up on error. */
static int members(parser_t *p, jv_t *v, int depth)
{
    size_t cap = 0;
    char close = v->type == J_OBJ ? '}' : ']';
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == close)
        return p->pos++, 0;
    for (;;) {
        jv_t *item = grow(p, v, &cap);
        if (item == NULL)
            return -1;
        if (v->type == J_OBJ) {
            skip_ws(p);
            if (p->pos >= p->len || p->s[p->pos] != '"')
                return fail(p, "object key (a string) expected");
            p->pos++;
            if (string(p, &v->keys[v->n - 1], NULL) < 0)
                return -1;
            /* a repeated key would make the file mean two things */
            for (size_t i = 0; i + 1 < v->n; i++)
                if (strcmp(v->keys[i], v->keys[v->n - 1]) == 0)
                    return fail(p, "duplicate key \"%s\"", v->keys[i]);
            skip_ws(p);
            if (p->pos >= p->len || p->s[p->pos] != ':')
                return fail(p, "':' expected after object key");
            p->pos++;
        }
        if (value(p, item, depth + 1) < 0)
            return -1;
        skip_ws(p);
        if (p->pos >= p->len)
            return fail(p, "unexpected end of input (missing '%c')", close);
        char c = (char)p->s[p->pos++];
        if (c == close)
            return 0;
        if (c != ',')
            return p->pos--, fail(p, "',' or '%c' expected", close);
    }
}

static int value(parser_t *p, jv_t *v, int depth)
{
    if (depth > JSON_MAX_DEPTH)
        return fail(p, "nesting deeper than %d levels", JSON_MAX_DEPTH);
    skip_ws(p);
    if (p->pos >= p->len)
        return fail(p, "unexpected end of input (value expected)");
    switch (p->s[p->pos]) {
    case '{':
    case '[':
        v->type = p->s[p->pos++] == '{' ? J_OBJ : J_ARR;
        return members(p, v, depth);
    case '"':
        p->pos++;
        v->type = J_STR;
        return string(p, &v->str, &v->len);
    case 't':
        v->type = J_BOOL, v->b = 1;
        return literal(p, "true");
    case 'f':
        v->type = J_BOOL, v->b = 0;
        return literal(p, "false");
    case 'n':
        v->type = J_NULL;
        return literal(p, "null");
    default:
        if (p->s[p->pos] == '-' || (p->s[p->pos] >= '0' && p->s[p->pos] <= '9'))
            return number(p, v);
        return fail(p, "unexpected character '%c'",
                    p->s[p->pos] >= 0x20 && p->s[p->pos] < 0x7f ? p->s[p->pos]
                                                                : '?');
    }
}

int json_parse(const char *text, size_t len, jv_t *out, char *err,
               size_t errlen)
{
    parser_t p = {(const unsigned char *)text, len, 0, err, errlen, 0};
    memset(out, 0, sizeof *out);
    if (errlen > 0)
        err[0] = '\0';
    int rc = value(&p, out, 1);
    if (rc == 0) {
        skip_ws(&p);
        if (p.pos < p.len)
            rc = fail(&p, "trailing data after the JSON value");
    }
    if (rc < 0)
        json_free(out);
    return rc;
}

void json_free(jv_t *v)
{
    if (v == NULL)
        return;
    free(v->str);
    for (size_t i = 0; i < v->n; i++) {
        json_free(&v->items[i]);
        if (v->keys != NULL)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    memset(v, 0, sizeof *v);
}

const jv_t *json_get(const jv_t *v, const char *key)
{
    if (v == NULL || v->type != J_OBJ)
        return NULL;
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->keys[i], key) == 0)
            return &v->items[i];
    return NULL;
}

const char *json_type_name(jtype_t t)
{
    static const char *const names[] = {"null",   "boolean", "number",
                                        "string", "array",   "object"};
    return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : "?";
}
