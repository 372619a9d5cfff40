/*
 * obj_repr.c - repr() of mpr_obj_t, byte for byte as CPython 3.11 prints
 * it: float_repr's shortest round-trip digits ('r' mode of
 * PyOS_double_to_string), unicode_repr's quoting and escapes with
 * str.isprintable()'s table, bytes_repr, and the container reprs.
 */
#include "mpr/obj.h"
#include "base/buf.h"
#include "base/internal.h"
#include "obj/objimpl.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "obj/obj_printable.h"

/* ---- float ------------------------------------------------------------ */

/* Adds one unit in the last place to an n-digit decimal string, or takes
 * one away (dir -1).  Returns 0, or -1 when the digit count would change
 * (the caller then just skips that candidate). */
static int digits_step(char *d, int n, int dir)
{
    for (int i = n - 1; i >= 0; i--) {
        if (dir > 0 && d[i] != '9') {
            d[i]++;
            return 0;
        }
        if (dir < 0 && d[i] != '0') {
            d[i]--;
            return i == 0 && d[0] == '0' ? -1 : 0;
        }
        d[i] = dir > 0 ? '0' : '9';
    }
    return -1;
}

static int digits_roundtrip(const char *d, int n, int exp10, double v)
{
    char tmp[48];
    snprintf(tmp, sizeof(tmp), "%s%c.%se%d", v < 0 ? "-" : "", d[0], d + 1,
             exp10);
    (void)n;
    return strtod(tmp, NULL) == v;
}

/*
 * The shortest digit string that reads back as v, the closest to v among
 * the shortest (what David Gay's dtoa mode 0 returns).  The correctly
 * rounded p-digit string is the closest p-digit candidate; at a power of
 * two the rounding interval is lopsided, so its neighbours get a chance.
 * Writes the digits (no trailing zeros) and returns the decimal exponent
 * of the first digit.
 */
static int shortest_digits(double v, char *d)
{
    char tmp[48], cand[24];
    int exp10 = 0;

    for (int p = 1; p <= 17; p++) {
        snprintf(tmp, sizeof(tmp), "%.*e", p - 1, fabs(v));
        cand[0] = tmp[0];
        memcpy(cand + 1, tmp + 2, (size_t)(p - 1));
        cand[p] = '\0';
        exp10 = atoi(strchr(tmp, 'e') + 1);
        if (digits_roundtrip(cand, p, exp10, v))
            break;
        strcpy(d, cand);
        if (digits_step(d, p, 1) == 0 && digits_roundtrip(d, p, exp10, v)) {
            strcpy(cand, d);
            break;
        }
        strcpy(d, cand);
        if (digits_step(d, p, -1) == 0 && digits_roundtrip(d, p, exp10, v)) {
            strcpy(cand, d);
            break;
        }
    }
    strcpy(d, cand);
    for (size_t n = strlen(d); n > 1 && d[n - 1] == '0'; n--)
        d[n - 1] = '\0';
    return exp10;
}

/* float.__repr__: fixed notation for 1e-4 <= |v| < 1e16, else d.ddde+XX. */
static void float_repr(double v, char *out)
{
    char d[24];
    int decpt, n;

    if (isnan(v)) {
        strcpy(out, "nan");
        return;
    }
    if (isinf(v)) {
        strcpy(out, v > 0 ? "inf" : "-inf");
        return;
    }
    if (v == 0) {
        strcpy(out, signbit(v) ? "-0.0" : "0.0");
        return;
    }
    decpt = shortest_digits(v, d) + 1;
    n = (int)strlen(d);
    if (v < 0)
        *out++ = '-';
    if (decpt <= -4 || decpt > 16) {
        *out++ = d[0];
        if (n > 1)
            out += snprintf(out, 32, ".%s", d + 1);
        snprintf(out, 16, "e%c%02d", decpt - 1 < 0 ? '-' : '+', abs(decpt - 1));
    } else if (decpt <= 0) {
        snprintf(out, 64, "0.%.*s%s", -decpt, "0000", d);
    } else if (decpt >= n) {
        snprintf(out, 64, "%s%.*s.0", d, decpt - n, "0000000000000000");
    } else {
        snprintf(out, 64, "%.*s.%s", decpt, d, d + decpt);
    }
}

/* ---- str and bytes ---------------------------------------------------- */

static int is_printable(unsigned c)
{
    size_t lo = 0, hi = sizeof(printable_ranges) / sizeof(printable_ranges[0]);

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c < printable_ranges[mid][0])
            hi = mid;
        else if (c > printable_ranges[mid][1])
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}

/* Decodes one code point of (already checked) UTF-8. */
static unsigned next_cp(const unsigned char *s, size_t *i)
{
    unsigned c = s[*i];

    if (c < 0x80) {
        (*i)++;
        return c;
    }
    if (c < 0xE0) {
        c = (c & 0x1F) << 6 | (s[*i + 1] & 0x3F);
        *i += 2;
    } else if (c < 0xF0) {
        c = (c & 0x0F) << 12 | (s[*i + 1] & 0x3F) << 6 | (s[*i + 2] & 0x3F);
        *i += 3;
    } else {
        c = (c & 0x07) << 18 | (s[*i + 1] & 0x3F) << 12 |
            (s[*i + 2] & 0x3F) << 6 | (s[*i + 3] & 0x3F);
        *i += 4;
    }
    return c;
}

static char pick_quote(const char *s, size_t len)
{
    int single = memchr(s, '\'', len) != NULL;
    int dbl = memchr(s, '"', len) != NULL;
    return single && !dbl ? '"' : '\'';
}

/* The escapes str and bytes share; returns 1 if c was written. */
static int put_common_escape(mpr__buf_t *b, unsigned c, char quote)
{
    char tmp[8];

    if (c == (unsigned char)quote || c == '\\') {
        tmp[0] = '\\';
        tmp[1] = (char)c;
        mpr__buf_put(b, tmp, 2);
    } else if (c == '\t') {
        mpr__buf_puts(b, "\\t");
    } else if (c == '\n') {
        mpr__buf_puts(b, "\\n");
    } else if (c == '\r') {
        mpr__buf_puts(b, "\\r");
    } else if (c < ' ' || c == 0x7f) {
        snprintf(tmp, sizeof(tmp), "\\x%02x", c);
        mpr__buf_puts(b, tmp);
    } else {
        return 0;
    }
    return 1;
}

static void str_repr(mpr__buf_t *b, const mpr_obj_t *o)
{
    const unsigned char *s = (const unsigned char *)o->u.s.data;
    char quote = pick_quote(o->u.s.data, o->u.s.len), tmp[12];
    size_t i = 0;

    mpr__buf_putc(b, quote);
    while (i < o->u.s.len) {
        size_t start = i;
        unsigned c = next_cp(s, &i);
        if (put_common_escape(b, c, quote))
            continue;
        if (c < 0x7f || is_printable(c)) {
            mpr__buf_put(b, s + start, i - start);
            continue;
        }
        if (c <= 0xff)
            snprintf(tmp, sizeof(tmp), "\\x%02x", c);
        else if (c <= 0xffff)
            snprintf(tmp, sizeof(tmp), "\\u%04x", c);
        else
            snprintf(tmp, sizeof(tmp), "\\U%08x", c);
        mpr__buf_puts(b, tmp);
    }
    mpr__buf_putc(b, quote);
}

static void bytes_repr(mpr__buf_t *b, const mpr_obj_t *o)
{
    const unsigned char *s = (const unsigned char *)o->u.s.data;
    char quote = pick_quote(o->u.s.data, o->u.s.len), tmp[8];

    mpr__buf_putc(b, 'b');
    mpr__buf_putc(b, quote);
    for (size_t i = 0; i < o->u.s.len; i++) {
        if (put_common_escape(b, s[i], quote))
            continue;
        if (s[i] >= 0x80) {
            snprintf(tmp, sizeof(tmp), "\\x%02x", s[i]);
            mpr__buf_puts(b, tmp);
        } else {
            mpr__buf_putc(b, s[i]);
        }
    }
    mpr__buf_putc(b, quote);
}

/* ---- containers ------------------------------------------------------- */

static int repr_depth(mpr__buf_t *b, const mpr_obj_t *o, int depth);

static int seq_repr(mpr__buf_t *b, const mpr_obj_t *o, int depth)
{
    int tuple = o->type == MPR_OBJ_TUPLE || o->type == MPR_OBJ_SLICE;

    if (o->type == MPR_OBJ_SLICE) /* slice(1, None, None): never (x,) */
        mpr__buf_puts(b, "slice");
    mpr__buf_putc(b, tuple ? '(' : '[');
    for (size_t i = 0; i < o->u.seq.len; i++) {
        int rc;
        if (i > 0)
            mpr__buf_puts(b, ", ");
        if ((rc = repr_depth(b, o->u.seq.items[i], depth + 1)) < 0)
            return rc;
    }
    if (o->type == MPR_OBJ_TUPLE && o->u.seq.len == 1)
        mpr__buf_putc(b, ',');
    mpr__buf_putc(b, tuple ? ')' : ']');
    return 0;
}

static int dict_repr(mpr__buf_t *b, const mpr_obj_t *o, int depth)
{
    size_t pos = 0;
    mpr_obj_t *k, *v;
    int rc, first = 1;

    mpr__buf_putc(b, '{');
    while (mpr_obj_dict_next(o, &pos, &k, &v)) {
        if (!first)
            mpr__buf_puts(b, ", ");
        first = 0;
        if ((rc = repr_depth(b, k, depth + 1)) < 0)
            return rc;
        mpr__buf_puts(b, ": ");
        if ((rc = repr_depth(b, v, depth + 1)) < 0)
            return rc;
    }
    mpr__buf_putc(b, '}');
    return 0;
}

static int repr_depth(mpr__buf_t *b, const mpr_obj_t *o, int depth)
{
    char tmp[80];

    switch (o->type) {
    case MPR_OBJ_NONE:
        return mpr__buf_puts(b, "None");
    case MPR_OBJ_BOOL:
        return mpr__buf_puts(b, o->u.i ? "True" : "False");
    case MPR_OBJ_INT:
        snprintf(tmp, sizeof(tmp), "%lld", (long long)o->u.i);
        return mpr__buf_puts(b, tmp);
    case MPR_OBJ_FLOAT:
        float_repr(o->u.f, tmp);
        return mpr__buf_puts(b, tmp);
    case MPR_OBJ_STR:
        str_repr(b, o);
        return 0;
    case MPR_OBJ_BYTES:
        bytes_repr(b, o);
        return 0;
    case MPR_OBJ_HANDLE:
        return mpr__handle_repr(b, o);
    default:
        break;
    }
    /* CPython's Py_EnterRecursiveCall in PyObject_Repr: a value nested
     * deeper than the recursion limit is a RecursionError, not a crash.
     * Measured on 3.11 at module level (one frame in use): 998 nested
     * lists print, 999 raise. */
    if (depth >= MPR_OBJ_MAX_DEPTH - 2)
        return mpr__error(MPR_ERECURSION, "maximum recursion depth exceeded "
                                          "while getting the repr of an "
                                          "object");
    if (o->type == MPR_OBJ_DICT)
        return dict_repr(b, o, depth);
    return seq_repr(b, o, depth);
}

int mpr_obj_repr(const mpr_obj_t *o, char **out, size_t *len)
{
    mpr__buf_t b = {0};
    int rc = repr_depth(&b, o, 0);

    if (rc < 0) {
        free(b.data);
        *out = NULL;
        return rc;
    }
    return mpr__buf_finish(&b, out, len);
}
