/*
 * pickle_load.c - pickle.loads() for data only: the opcodes of protocols 0
 * to 5 that build None, bool, int, float, str, bytes, tuple, list and dict,
 * as CPython 3.11's C unpickler (Modules/_pickle.c) reads them, with its
 * error messages.  Every opcode that would import or call something is
 * refused, never executed.  Hostile input cannot crash it: every length is
 * checked against the bytes left before anything is allocated, the stack
 * machine does not recurse, and reference cycles a pickle could build
 * (which reference counting cannot free) are detected and broken.
 */
#include "mpr/obj.h"
#include "mpr/pickle.h"
#include "base/internal.h"
#include "obj/objimpl.h"
#include "pickle/handles.h"

#include <errno.h>
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

typedef struct {
    uint64_t key;
    mpr_obj_t *obj; /* NULL: free slot */
} memo_entry_t;

typedef struct {
    const unsigned char *p, *end;
    mpr_obj_t **stack;
    size_t len, cap;
    size_t *marks;
    size_t nmarks, marks_cap;
    size_t fence;        /* items below it belong to an outer MARK */
    memo_entry_t *memo;  /* open addressing on the memo key */
    size_t memo_size;    /* slots, power of two */
    size_t memo_len;     /* live entries (MEMOIZE's next key) */
    uint64_t memo_seed;  /* mixed into every key's hash (memo_seed()) */
    mpr_obj_t **created; /* every list/dict made here (cycle breaking) */
    size_t n_created, cap_created;
    int shared; /* a container was fetched twice (GET, DUP) */
    const mpr__pickle_handles_t *hooks; /* NULL: GLOBAL, REDUCE refused */
    /* A small pickle needs no allocation beyond its values. */
    mpr_obj_t *inline_stack[32];
    size_t inline_marks[8];
    memo_entry_t inline_memo[32];
    mpr_obj_t *inline_created[8];
} unpickler_t;

/* Doubles an array that starts in the unpickler itself (inline). */
static void *grow(void *arr, const void *inline_arr, size_t *cap, size_t elem)
{
    size_t ncap = *cap * 2;
    void *n;

    if (arr == inline_arr) {
        if ((n = mpr__sys.malloc(ncap * elem)) != NULL)
            memcpy(n, arr, *cap * elem);
    } else {
        n = ncap < SIZE_MAX / elem ? mpr__sys.realloc(arr, ncap * elem) : NULL;
    }
    if (n != NULL)
        *cap = ncap;
    return n;
}

static int truncated(void)
{
    return mpr__error(MPR_EUNPICKLE, "pickle data was truncated");
}

static int underflow(const unpickler_t *u)
{
    return mpr__error(MPR_EUNPICKLE, u->nmarks > 0
                                         ? "unexpected MARK found"
                                         : "unpickling stack underflow");
}

/* ---- input ------------------------------------------------------------ */

static int take(unpickler_t *u, size_t n, const unsigned char **out)
{
    if ((size_t)(u->end - u->p) < n)
        return truncated();
    *out = u->p;
    u->p += n;
    return 0;
}

static uint64_t get_le(const unsigned char *s, int n)
{
    uint64_t v = 0;

    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | s[i];
    return v;
}

/* A text argument up to '\n' (protocol 0 opcodes), NUL-terminated in a
 * caller buffer; longer lines than the buffer are refused as invalid. */
static int take_line(unpickler_t *u, char *buf, size_t size, size_t *len)
{
    const unsigned char *nl = memchr(u->p, '\n', (size_t)(u->end - u->p));
    size_t n;

    if (nl == NULL)
        return truncated();
    n = (size_t)(nl - u->p) + 1;
    if (n >= size)
        return mpr__error(MPR_EUNPICKLE, "libmpref: text argument too long");
    memcpy(buf, u->p, n);
    buf[n] = '\0';
    u->p += n;
    *len = n;
    return 0;
}

/* ---- stack ------------------------------------------------------------ */

/* Pushes a new reference (stolen; NULL means the constructor failed). */
static int push(unpickler_t *u, mpr_obj_t *o)
{
    if (o == NULL)
        return mpr_last_error() < 0 ? mpr_last_error() : MPR__ERR(ENOMEM);
    if (u->len == u->cap) {
        mpr_obj_t **s = grow(u->stack, u->inline_stack, &u->cap, sizeof(*s));
        if (s == NULL) {
            mpr_obj_decref(o);
            return mpr__error(MPR__ERR(ENOMEM), NULL);
        }
        u->stack = s;
    }
    u->stack[u->len++] = o;
    return 0;
}

/* Pops the top item (the reference moves to *out). */
static int pop(unpickler_t *u, mpr_obj_t **out)
{
    if (u->len <= u->fence)
        return underflow(u);
    *out = u->stack[--u->len];
    return 0;
}

static int top(unpickler_t *u, mpr_obj_t **out)
{
    if (u->len <= u->fence)
        return underflow(u);
    *out = u->stack[u->len - 1];
    return 0;
}

static int push_mark(unpickler_t *u)
{
    if (u->nmarks == u->marks_cap) {
        size_t *m = grow(u->marks, u->inline_marks, &u->marks_cap, sizeof(*m));
        if (m == NULL)
            return mpr__error(MPR__ERR(ENOMEM), NULL);
        u->marks = m;
    }
    u->marks[u->nmarks++] = u->len;
    u->fence = u->len;
    return 0;
}

/* marker(): pops the last MARK and returns where its items start. */
static int pop_mark(unpickler_t *u, size_t *start)
{
    if (u->nmarks == 0)
        return mpr__error(MPR_EUNPICKLE, "could not find MARK");
    *start = u->marks[--u->nmarks];
    u->fence = u->nmarks ? u->marks[u->nmarks - 1] : 0;
    return 0;
}

static void drop_from(unpickler_t *u, size_t start)
{
    while (u->len > start)
        mpr_obj_decref(u->stack[--u->len]);
}

/* ---- memo ------------------------------------------------------------- */

/* Slots inspected by this thread (the unit test bounds it). */
_Thread_local unsigned long long mpr__pickle_memo_probes;

/* The peer chooses the memo keys.  A slot taken from the low bits of
 * key * G depends only on the key's low bits: 150 000 keys that share
 * them land in one run that every put and get walks (quadratic, tens of
 * seconds for a 3 MB pickle).  So the key goes through splitmix64's
 * finaliser, where every input bit reaches every output bit, after
 * being mixed with a random per-process seed: no set of keys can be
 * chosen to collide without knowing the seed. */
static uint64_t memo_seed(void)
{
    static _Atomic uint64_t seed;
    uint64_t s = atomic_load(&seed), zero = 0;

    if (s != 0)
        return s;
    if (getrandom(&s, sizeof(s), 0) != (ssize_t)sizeof(s))
        s = (uint64_t)(uintptr_t)&s ^ (uint64_t)getpid() << 32;
    s |= 1; /* never 0, which means "not drawn yet" */
    /* Threads that race keep the first seed drawn. */
    if (!atomic_compare_exchange_strong(&seed, &zero, s))
        s = zero;
    return s;
}

static size_t memo_slot(const unpickler_t *u, uint64_t key)
{
    uint64_t h = key ^ u->memo_seed;
    size_t i;

    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9u;
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBu;
    h ^= h >> 31;
    i = (size_t)h & (u->memo_size - 1);
    mpr__pickle_memo_probes++;
    while (u->memo[i].obj != NULL && u->memo[i].key != key) {
        i = (i + 1) & (u->memo_size - 1);
        mpr__pickle_memo_probes++;
    }
    return i;
}

static int memo_put(unpickler_t *u, uint64_t key)
{
    mpr_obj_t *o = NULL;
    size_t i;
    int rc;

    if ((rc = top(u, &o)) < 0)
        return rc;
    if ((u->memo_len + 1) * 2 > u->memo_size) {
        memo_entry_t *old = u->memo;
        size_t n = u->memo_size;
        u->memo_size = n ? n * 2 : sizeof(u->inline_memo) / sizeof(*old);
        u->memo = n ? mpr__sys.calloc(u->memo_size, sizeof(*u->memo))
                    : u->inline_memo;
        if (u->memo == NULL) {
            u->memo = old;
            u->memo_size = n;
            return mpr__error(MPR__ERR(ENOMEM), NULL);
        }
        for (size_t j = 0; j < n; j++)
            if (old[j].obj != NULL)
                u->memo[memo_slot(u, old[j].key)] = old[j];
        if (old != u->inline_memo)
            free(old);
    }
    i = memo_slot(u, key);
    if (u->memo[i].obj == NULL)
        u->memo_len++;
    mpr_obj_decref(u->memo[i].obj);
    u->memo[i] = (memo_entry_t){key, mpr_obj_incref(o)};
    return 0;
}

static int is_container(const mpr_obj_t *o)
{
    return o->type == MPR_OBJ_TUPLE || o->type == MPR_OBJ_LIST ||
           o->type == MPR_OBJ_DICT;
}

/* A second reference to a container is what a cycle needs. */
static int push_again(unpickler_t *u, mpr_obj_t *o)
{
    if (is_container(o))
        u->shared = 1;
    return push(u, mpr_obj_incref(o));
}

static int memo_get(unpickler_t *u, uint64_t key)
{
    size_t i;

    if (u->memo_size == 0 || u->memo[i = memo_slot(u, key)].obj == NULL)
        return mpr__error(MPR_EUNPICKLE, "Memo value not found at index %llu",
                          (unsigned long long)key);
    return push_again(u, u->memo[i].obj);
}

/* ---- values ----------------------------------------------------------- */

static int push_str(unpickler_t *u, size_t n)
{
    const unsigned char *s = NULL;
    size_t nchars;
    int rc;

    if ((rc = take(u, n, &s)) < 0)
        return rc;
    if ((rc = mpr__utf8_check((const char *)s, n, 1, &nchars)) < 0)
        return rc;
    return push(u, mpr__obj_str_checked((const char *)s, n, nchars));
}

/* Python 2 str (BINSTRING, SHORT_BINSTRING) with the default 'ASCII'. */
static int push_ascii(unpickler_t *u, size_t n)
{
    const unsigned char *s = NULL;
    int rc;

    if ((rc = take(u, n, &s)) < 0)
        return rc;
    for (size_t i = 0; i < n; i++)
        if (s[i] >= 0x80)
            return mpr__error(MPR_EUNICODE,
                              "'ascii' codec can't decode byte 0x%02x in "
                              "position %zu: ordinal not in range(128)",
                              s[i], i);
    return push(u, mpr__obj_str_checked((const char *)s, n, n));
}

static int push_bytes(unpickler_t *u, size_t n)
{
    const unsigned char *s = NULL;
    int rc;

    if ((rc = take(u, n, &s)) < 0)
        return rc;
    return push(u, mpr_obj_bytes(s, n));
}

static int overflow(void)
{
    return mpr__error(MPR_EOVERFLOW,
                      "Python int too large to convert to C int64_t");
}

/* LONG1/LONG4: little-endian two's complement of n bytes. */
static int push_long(unpickler_t *u, size_t n)
{
    const unsigned char *s = NULL;
    uint64_t v;
    int rc;

    if ((rc = take(u, n, &s)) < 0)
        return rc;
    if (n == 0)
        return push(u, mpr_obj_int(0));
    /* Bytes beyond the eighth must be pure sign extension. */
    for (size_t i = 8; i < n; i++)
        if (s[i] != ((s[7] & 0x80) ? 0xff : 0))
            return overflow();
    v = get_le(s, n < 8 ? (int)n : 8);
    if (n < 8 && (s[n - 1] & 0x80))
        v |= ~(uint64_t)0 << (8 * n);
    return push(u, mpr_obj_int((int64_t)v));
}

static int text_int(unpickler_t *u, int is_long)
{
    char buf[128], *end;
    size_t n;
    long long v;
    int rc;

    if ((rc = take_line(u, buf, sizeof(buf), &n)) < 0)
        return rc;
    if (!is_long && n == 3 && buf[0] == '0' && (buf[1] == '0' || buf[1] == '1'))
        return push(u, mpr_obj_bool(buf[1] == '1')); /* I00, I01 */
    if (is_long && n >= 2 && buf[n - 2] == 'L')
        buf[n - 2] = '\n';
    errno = 0;
    v = strtoll(buf, &end, is_long ? 10 : 0);
    if (end == buf || (*end != '\n' && *end != '\0'))
        return mpr__error(MPR_EVALUE, "could not convert string to int");
    if (errno == ERANGE)
        return overflow();
    return push(u, mpr_obj_int(v));
}

static int text_float(unpickler_t *u)
{
    char buf[128], *end;
    size_t n;
    double d;
    int rc;

    if ((rc = take_line(u, buf, sizeof(buf), &n)) < 0)
        return rc;
    buf[n - 1] = '\0';
    if (strpbrk(buf, "xXpP") != NULL) /* no hex floats in Python */
        return mpr__error(MPR_EVALUE, "could not convert string to float");
    errno = 0;
    d = strtod(buf, &end);
    if (end == buf)
        return mpr__error(MPR_EVALUE,
                          "could not convert string to float: '%s\\n'", buf);
    if (*end != '\0')
        return mpr__error(MPR_EVALUE, "could not convert string to float");
    if (errno == ERANGE && isinf(d))
        return mpr__error(MPR_EOVERFLOW,
                          "value too large to convert to float: '%s\\n'", buf);
    return push(u, mpr_obj_float(d));
}

/* Appends code point c as UTF-8 (a surrogate as "surrogatepass" does). */
static size_t put_utf8(unsigned char *o, unsigned c)
{
    if (c < 0x80) {
        o[0] = (unsigned char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (unsigned char)(0xC0 | c >> 6);
        o[1] = (unsigned char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (unsigned char)(0xE0 | c >> 12);
        o[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
        o[2] = (unsigned char)(0x80 | (c & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | c >> 18);
    o[1] = (unsigned char)(0x80 | (c >> 12 & 0x3F));
    o[2] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
    o[3] = (unsigned char)(0x80 | (c & 0x3F));
    return 4;
}

static int hex_digit(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/*
 * UNICODE (protocol 0): a line in "raw-unicode-escape": bytes are Latin-1
 * code points except \uXXXX and \UXXXXXXXX (a backslash before anything
 * else stays, with that character), as CPython 3.11's decoder reads it.
 */
static int text_unicode(unpickler_t *u)
{
    const unsigned char *line = u->p, *s = u->p, *nl, *end;
    unsigned char *out, *o;
    size_t nchars = 0;
    mpr_obj_t *str;

    if ((nl = memchr(s, '\n', (size_t)(u->end - s))) == NULL)
        return truncated();
    end = nl;
    u->p = nl + 1;
    if ((out = mpr__sys.malloc((size_t)(end - s) * 4 + 1)) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    o = out;
    while (s < end) {
        const unsigned char *start = s;
        unsigned ch = 0;
        int count;
        const char *why;

        nchars++;
        if (*s != '\\' || s + 1 >= end || (s[1] != 'u' && s[1] != 'U')) {
            if (*s == '\\' && s + 1 < end) { /* "\\" + other: both stay */
                o += put_utf8(o, *s++);
                nchars++;
            }
            o += put_utf8(o, *s++);
            continue;
        }
        count = s[1] == 'u' ? 4 : 8;
        why = count == 4 ? "truncated \\uXXXX escape"
                         : "truncated \\UXXXXXXXX escape";
        for (s += 2; count > 0; s++, count--) {
            int d = s < end ? hex_digit(*s) : -1;
            if (d < 0)
                break;
            ch = ch << 4 | (unsigned)d;
        }
        if (count == 0 && ch > 0x10FFFF)
            why = "\\Uxxxxxxxx out of range";
        else if (count == 0) {
            o += put_utf8(o, ch);
            continue;
        }
        free(out);
        return mpr__error(MPR_EUNICODE,
                          "'rawunicodeescape' codec can't decode bytes in "
                          "position %zu-%zu: %s",
                          (size_t)(start - line), (size_t)(s - line) - 1, why);
    }
    str = mpr__obj_str_checked((const char *)out, (size_t)(o - out), nchars);
    free(out);
    return push(u, str);
}

static int text_memo(unpickler_t *u, int put)
{
    char buf[64], *end;
    size_t n;
    long long v;
    int rc;

    if ((rc = take_line(u, buf, sizeof(buf), &n)) < 0)
        return rc;
    errno = 0;
    v = strtoll(buf, &end, 10);
    if (end == buf || *end != '\n' || errno == ERANGE)
        return mpr__error(MPR_EVALUE, "invalid literal for int() with base "
                                      "10");
    if (v < 0)
        return put ? mpr__error(MPR_EVALUE, "negative PUT argument")
                   : mpr__error(MPR_EUNPICKLE,
                                "Memo value not found at index %lld", v);
    return put ? memo_put(u, (uint64_t)v) : memo_get(u, (uint64_t)v);
}

/* ---- containers ------------------------------------------------------- */

static int new_container(unpickler_t *u, mpr_obj_t *o)
{
    if (o == NULL)
        return push(u, o);
    if (u->n_created == u->cap_created) {
        mpr_obj_t **c =
            grow(u->created, u->inline_created, &u->cap_created, sizeof(*c));
        if (c == NULL) {
            mpr_obj_decref(o);
            return mpr__error(MPR__ERR(ENOMEM), NULL);
        }
        u->created = c;
    }
    u->created[u->n_created++] = mpr_obj_incref(o);
    return push(u, o);
}

/* TUPLE and LIST: the items above the last MARK (or the top n). */
static int build_seq(unpickler_t *u, size_t start, int list)
{
    size_t n = u->len - start;
    mpr_obj_t *o = list ? mpr_obj_list() : mpr_obj_tuple_new(n);
    int rc;

    if (o == NULL)
        return mpr_last_error();
    for (size_t i = 0; i < n; i++) {
        rc = list ? mpr_obj_list_append(o, u->stack[start + i])
                  : mpr_obj_tuple_set_steal(
                        o, i, mpr_obj_incref(u->stack[start + i]));
        if (rc < 0) {
            mpr_obj_decref(o);
            return rc;
        }
    }
    drop_from(u, start);
    return list ? new_container(u, o) : push(u, o);
}

static int tuple_n(unpickler_t *u, size_t n)
{
    if (u->len - u->fence < n)
        return underflow(u);
    return build_seq(u, u->len - n, 0);
}

/* APPEND/APPENDS: items from start onto the list just below them. */
static int do_append(unpickler_t *u, size_t start)
{
    mpr_obj_t *l;
    int rc;

    if (start == 0 || start <= u->fence)
        return underflow(u);
    l = u->stack[start - 1];
    if (l->type != MPR_OBJ_LIST)
        return mpr__error(MPR_EATTR, "'%s' object has no attribute 'append'",
                          mpr_obj_type_name(l));
    for (size_t i = start; i < u->len; i++)
        if ((rc = mpr_obj_list_append(l, u->stack[i])) < 0)
            return rc;
    drop_from(u, start);
    return 0;
}

/* obj[key] = value for a list target (PyObject_SetItem), as CPython. */
static int list_setitem(mpr_obj_t *l, mpr_obj_t *k, mpr_obj_t *v)
{
    int64_t i;
    size_t n = mpr_obj_len(l);

    if (mpr_obj_as_int64(k, &i) < 0)
        return mpr__error(MPR_ETYPE,
                          "list indices must be integers or slices, not %s",
                          mpr_obj_type_name(k));
    if (i < 0)
        i += (int64_t)n;
    if (i < 0 || (uint64_t)i >= n)
        return mpr__error(MPR_EINDEX, "list assignment index out of range");
    return mpr_obj_list_set(l, (size_t)i, v);
}

/* SETITEM/SETITEMS/DICT: key, value pairs from start into target. */
static int do_setitems(unpickler_t *u, mpr_obj_t *target, size_t start,
                       const char *op)
{
    int rc;

    if ((u->len - start) % 2 != 0)
        return mpr__error(MPR_EUNPICKLE, "odd number of items for %s", op);
    for (size_t i = start; i < u->len; i += 2) {
        mpr_obj_t *k = u->stack[i], *v = u->stack[i + 1];
        if (target->type == MPR_OBJ_DICT)
            rc = mpr_obj_dict_set(target, k, v);
        else if (target->type == MPR_OBJ_LIST)
            rc = list_setitem(target, k, v);
        else
            rc = mpr__error(MPR_ETYPE,
                            "'%s' object does not support item assignment",
                            mpr_obj_type_name(target));
        if (rc < 0)
            return rc;
    }
    drop_from(u, start);
    return 0;
}

static int setitems_at(unpickler_t *u, size_t start, const char *op)
{
    if (start == 0 || start <= u->fence)
        return underflow(u);
    return do_setitems(u, u->stack[start - 1], start, op);
}

static int build_dict(unpickler_t *u, size_t start)
{
    mpr_obj_t *d = mpr_obj_dict();
    int rc;

    if (d == NULL)
        return mpr_last_error();
    if ((rc = do_setitems(u, d, start, "DICT")) < 0) {
        mpr_obj_decref(d);
        return rc;
    }
    return new_container(u, d);
}

/* ---- slices: the one global a data pickle may name ------------------- */

/*
 * builtins.slice, what GLOBAL or STACK_GLOBAL push for it: CPython
 * pickles a slice as a call of that class (pickle_dump.c's save_slice),
 * and a slice is data (three values, no code runs to build it), so it is
 * the one class these opcodes may load.  REDUCE calls it by identity; a
 * hostile pickle that never calls it gets the str 'slice' where CPython
 * would give the class, since no value can stand for a class.
 */
static char slice_name[] = "slice";
static mpr_obj_t slice_class = {
    .refcnt = SIZE_MAX,
    .type = MPR_OBJ_STR,
    .u.s = {.data = slice_name, .len = 5, .nchars = 5},
};

/* module.name names the slice class (__builtin__: protocol 2's name of
 * builtins, which fix_imports maps back). */
static int is_slice_class(const char *mod, const char *name)
{
    return (strcmp(mod, "builtins") == 0 || strcmp(mod, "__builtin__") == 0) &&
           strcmp(name, "slice") == 0;
}

/* REDUCE of the slice class: slice(*args), 1 to 3 arguments. */
static int call_slice(unpickler_t *u)
{
    mpr_obj_t *args = u->stack[u->len - 1], *fn = NULL, *s;
    mpr_obj_t *const *v;
    size_t n;

    if (args->type != MPR_OBJ_TUPLE)
        return mpr__error(MPR_EUNPICKLE, "REDUCE: the arguments of slice "
                                         "are not a tuple");
    n = args->u.seq.len;
    v = args->u.seq.items;
    if (n == 0)
        return mpr__error(MPR_ETYPE, "slice expected at least 1 argument, "
                                     "got 0");
    if (n > 3)
        return mpr__error(MPR_ETYPE,
                          "slice expected at most 3 arguments, got %zu", n);
    /* slice(stop), slice(start, stop), slice(start, stop, step) */
    s = n == 1 ? mpr_obj_slice(NULL, v[0], NULL)
               : mpr_obj_slice(v[0], v[1], n == 3 ? v[2] : NULL);
    if (s == NULL)
        return mpr_last_error();
    pop(u, &args);
    pop(u, &fn);
    mpr_obj_decref(args);
    mpr_obj_decref(fn);
    return push(u, s);
}

/* ---- refused opcodes -------------------------------------------------- */

/* The hooks' class for module.name (handles.h). */
static int find_class(unpickler_t *u, const char *mod, const char *name)
{
    mpr_obj_t *cls = NULL;
    int rc = u->hooks->find_class(u->hooks->ctx, mod, name, &cls);

    return rc < 0 ? rc : push(u, cls);
}

/* GLOBAL: refused, except a handle's kind when the process layer reads
 * its own description (handles.h), which pushes an unbuilt handle for
 * the REDUCE that follows. */
static int refuse_global(unpickler_t *u)
{
    char mod[256], name[256];
    size_t n1, n2;
    int rc, kind;

    if ((rc = take_line(u, mod, sizeof(mod), &n1)) < 0 ||
        (rc = take_line(u, name, sizeof(name), &n2)) < 0)
        return rc;
    mod[n1 - 1] = name[n2 - 1] = '\0';
    if (is_slice_class(mod, name))
        return push(u, &slice_class);
    /* a handle's kind only where handles are rebuilt: a manager's reply
     * names it as any class, which it then refuses */
    if (u->hooks != NULL && u->hooks->find_class != NULL &&
        (u->hooks->rebuild == NULL || strcmp(mod, "mpr.handle") != 0))
        return find_class(u, mod, name);
    if (u->hooks == NULL || strcmp(mod, "mpr.handle") != 0)
        return mpr__error(MPR_EUNPICKLE, "global '%s.%s' is forbidden", mod,
                          name);
    if ((kind = mpr__handle_kind_named(name)) == 0)
        return mpr__error(MPR_EUNPICKLE, "unknown handle kind '%s'", name);
    return push(u, mpr__obj_handle_owned(kind, NULL));
}

/* REDUCE of an unbuilt handle and its 1-tuple: the kind's rebuild; of
 * anything else, the hooks' call when they have one. */
static int rebuild_handle(unpickler_t *u)
{
    mpr_obj_t *args = NULL, *fn = NULL, *h = NULL;
    int rc;

    if (u->len < u->fence + 2)
        return underflow(u);
    fn = u->stack[u->len - 2];
    args = u->stack[u->len - 1];
    if (fn->type != MPR_OBJ_HANDLE && u->hooks->call != NULL)
        rc = u->hooks->call(u->hooks->ctx, fn, args, &h);
    else if (fn->type != MPR_OBJ_HANDLE || fn->u.h.ptr != NULL ||
             u->hooks->rebuild == NULL || args->type != MPR_OBJ_TUPLE ||
             args->u.seq.len != 1)
        return mpr__error(MPR_EUNPICKLE, "opcode REDUCE is forbidden: "
                                         "libmpref unpickles data only");
    else
        rc = u->hooks->rebuild(u->hooks->ctx, fn->u.h.kind,
                               args->u.seq.items[0], &h);
    if (rc < 0)
        return rc;
    pop(u, &args);
    pop(u, &fn);
    mpr_obj_decref(args);
    mpr_obj_decref(fn);
    return push(u, h);
}

/* BUILD: the state is popped and given to the hooks' build; the object
 * stays. */
static int build(unpickler_t *u)
{
    mpr_obj_t *state = NULL, *obj;
    int rc;

    if (u->len < u->fence + 2)
        return underflow(u);
    pop(u, &state);
    obj = u->stack[u->len - 1];
    rc = u->hooks->build(u->hooks->ctx, obj, state);
    mpr_obj_decref(state);
    return rc < 0 ? rc : 0;
}

static int refuse_stack_global(unpickler_t *u)
{
    mpr_obj_t *name = NULL, *mod = NULL;

    if (pop(u, &name) < 0)
        return underflow(u);
    if (pop(u, &mod) < 0) {
        mpr_obj_decref(name);
        return underflow(u);
    }
    if (name->type != MPR_OBJ_STR || mod->type != MPR_OBJ_STR) {
        mpr_obj_decref(name);
        mpr_obj_decref(mod);
        return mpr__error(MPR_EUNPICKLE, "STACK_GLOBAL requires str");
    }
    if (mpr_obj_len(mod) == 8 && mpr_obj_len(name) == 5 &&
        is_slice_class(mpr_obj_str_utf8(mod, NULL),
                       mpr_obj_str_utf8(name, NULL))) {
        mpr_obj_decref(name);
        mpr_obj_decref(mod);
        return push(u, &slice_class);
    }
    if (u->hooks != NULL && u->hooks->find_class != NULL) {
        int rc = find_class(u, mpr_obj_str_utf8(mod, NULL),
                            mpr_obj_str_utf8(name, NULL));
        mpr_obj_decref(name);
        mpr_obj_decref(mod);
        return rc;
    }
    mpr__error(MPR_EUNPICKLE, "global '%s.%s' is forbidden",
               mpr_obj_str_utf8(mod, NULL), mpr_obj_str_utf8(name, NULL));
    mpr_obj_decref(name);
    mpr_obj_decref(mod);
    return MPR_EUNPICKLE;
}

static const char *refused_name(unsigned op)
{
    switch (op) {
    case 'R':
        return "REDUCE";
    case 'b':
        return "BUILD";
    case 'i':
        return "INST";
    case 'o':
        return "OBJ";
    case 0x81:
        return "NEWOBJ";
    case 0x92:
        return "NEWOBJ_EX";
    case 0x82:
        return "EXT1";
    case 0x83:
        return "EXT2";
    case 0x84:
        return "EXT4";
    case 'P':
        return "PERSID";
    case 'Q':
        return "BINPERSID";
    case 0x8f:
        return "EMPTY_SET";
    case 0x90:
        return "ADDITEMS";
    case 0x91:
        return "FROZENSET";
    case 0x96:
        return "BYTEARRAY8";
    case 0x97:
        return "NEXT_BUFFER";
    case 0x98:
        return "READONLY_BUFFER";
    case 'S':
        return "STRING";
    default:
        return NULL;
    }
}

/* ---- the machine ------------------------------------------------------ */

/* Mark-delimited opcodes: TUPLE, LIST, DICT, APPENDS, SETITEMS, POP_MARK. */
static int op_marked(unpickler_t *u, unsigned op)
{
    size_t start = 0;
    int rc;

    if ((rc = pop_mark(u, &start)) < 0)
        return rc;
    switch (op) {
    case 't':
        return build_seq(u, start, 0);
    case 'l':
        return build_seq(u, start, 1);
    case 'd':
        return build_dict(u, start);
    case 'e':
        return do_append(u, start);
    case 'u':
        return setitems_at(u, start, "SETITEMS");
    default: /* '1' POP_MARK */
        drop_from(u, start);
        return 0;
    }
}

/* POP: an item, or a MARK standing right at the top (load_pop). */
static int op_pop(unpickler_t *u)
{
    mpr_obj_t *o = NULL;

    if (u->len <= u->fence && u->nmarks > 0 &&
        u->marks[u->nmarks - 1] == u->len) {
        size_t start = 0;
        return pop_mark(u, &start);
    }
    if (pop(u, &o) < 0)
        return underflow(u);
    mpr_obj_decref(o);
    return 0;
}

/* Opcodes with a binary length or value argument of n bytes. */
static int op_sized(unpickler_t *u, unsigned op, int n)
{
    const unsigned char *s = NULL;
    uint64_t v;
    int rc;

    if ((rc = take(u, (size_t)n, &s)) < 0)
        return rc;
    v = get_le(s, n);
    switch (op) {
    case 'K':
    case 'M':
        return push(u, mpr_obj_int((int64_t)v));
    case 'J':
        return push(u, mpr_obj_int((int32_t)(uint32_t)v));
    case 0x8a:
        return push_long(u, (size_t)v);
    case 0x8b:
        if ((int32_t)(uint32_t)v < 0)
            return mpr__error(MPR_EUNPICKLE,
                              "LONG pickle has negative byte count");
        return push_long(u, (size_t)v);
    case 'X':
    case 0x8c:
    case 0x8d:
        return push_str(u, v > SIZE_MAX ? SIZE_MAX : (size_t)v);
    case 'B':
    case 'C':
    case 0x8e:
        return push_bytes(u, v > SIZE_MAX ? SIZE_MAX : (size_t)v);
    case 'T':
    case 'U':
        return push_ascii(u, (size_t)v);
    case 'q':
    case 'r':
        return memo_put(u, v);
    default: /* 'h', 'j' */
        return memo_get(u, v);
    }
}

static int op_frame(unpickler_t *u)
{
    const unsigned char *s = NULL;
    uint64_t n;
    int rc;

    if ((rc = take(u, 8, &s)) < 0)
        return rc;
    n = get_le(s, 8);
    if (n > INT64_MAX)
        return mpr__error(MPR_EOVERFLOW,
                          "FRAME length exceeds system's maximum of "
                          "9223372036854775807 bytes");
    /* The frame must be all there; its contents are read as usual. */
    if ((uint64_t)(u->end - u->p) < n)
        return truncated();
    return 0;
}

static int op_proto(unpickler_t *u)
{
    const unsigned char *s = NULL;
    int rc;

    if ((rc = take(u, 1, &s)) < 0)
        return rc;
    if (s[0] > 5)
        return mpr__error(MPR_EVALUE, "unsupported pickle protocol: %d", s[0]);
    return 0;
}

static int invalid_key(unsigned c)
{
    if (c >= 0x20 && c <= 0x7e && c != '\'' && c != '\\')
        return mpr__error(MPR_EUNPICKLE, "invalid load key, '%c'.", c);
    return mpr__error(MPR_EUNPICKLE, "invalid load key, '\\x%02x'.", c);
}

/* One opcode.  Returns 1 at STOP, 0 to go on, or an error. */
static int step(unpickler_t *u)
{
    static const signed char sizes[256] = {
        ['K'] = 1,  ['M'] = 2,  ['J'] = 4, [0x8a] = 1, [0x8b] = 4, ['X'] = 4,
        [0x8c] = 1, [0x8d] = 8, ['B'] = 4, ['C'] = 1,  [0x8e] = 8, ['T'] = 4,
        ['U'] = 1,  ['q'] = 1,  ['r'] = 4, ['h'] = 1,  ['j'] = 4,
    };
    unsigned op;
    mpr_obj_t *o = NULL;
    int rc;

    if (u->p == u->end)
        return mpr__error(MPR_EEOF, "Ran out of input");
    op = *u->p++;
    if (sizes[op])
        return op_sized(u, op, sizes[op]);
    switch (op) {
    case 0x80:
        return op_proto(u);
    case 0x95:
        return op_frame(u);
    case '.':
        return 1;
    case '(':
        return push_mark(u);
    case 't':
    case 'l':
    case 'd':
    case 'e':
    case 'u':
    case '1':
        return op_marked(u, op);
    case '0':
        return op_pop(u);
    case '2':
        if ((rc = top(u, &o)) < 0)
            return rc;
        return push_again(u, o);
    case 'N':
        return push(u, mpr_obj_none());
    case 0x88:
        return push(u, mpr_obj_bool(1));
    case 0x89:
        return push(u, mpr_obj_bool(0));
    case 'I':
        return text_int(u, 0);
    case 'L':
        return text_int(u, 1);
    case 'F':
        return text_float(u);
    case 'V':
        return text_unicode(u);
    case 'G': {
        const unsigned char *s = NULL;
        uint64_t bits = 0;
        double d;
        if ((rc = take(u, 8, &s)) < 0)
            return rc;
        for (int i = 0; i < 8; i++)
            bits = bits << 8 | s[i];
        memcpy(&d, &bits, sizeof(d));
        return push(u, mpr_obj_float(d));
    }
    case ')':
        return push(u, mpr_obj_tuple_new(0));
    case 0x85:
    case 0x86:
    case 0x87:
        return tuple_n(u, op - 0x84);
    case ']':
        return new_container(u, mpr_obj_list());
    case '}':
        return new_container(u, mpr_obj_dict());
    case 'a':
        if (u->len <= u->fence)
            return underflow(u);
        return do_append(u, u->len - 1);
    case 's':
        if (u->len < u->fence + 2)
            return underflow(u);
        return setitems_at(u, u->len - 2, "SETITEM");
    case 'p':
        return text_memo(u, 1);
    case 'g':
        return text_memo(u, 0);
    case 0x94:
        return memo_put(u, u->memo_len);
    case 'c':
        return refuse_global(u);
    case 'R':
        if (u->len >= u->fence + 2 && u->stack[u->len - 2] == &slice_class)
            return call_slice(u);
        if (u->hooks != NULL)
            return rebuild_handle(u);
        return mpr__error(MPR_EUNPICKLE, "opcode REDUCE is forbidden: "
                                         "libmpref unpickles data only");
    case 0x93:
        return refuse_stack_global(u);
    case 'b':
        if (u->hooks != NULL && u->hooks->build != NULL)
            return build(u);
        return mpr__error(MPR_EUNPICKLE, "opcode BUILD is forbidden: "
                                         "libmpref unpickles data only");
    default:
        if (refused_name(op) != NULL)
            return mpr__error(MPR_EUNPICKLE,
                              "opcode %s is forbidden: libmpref unpickles "
                              "data only",
                              refused_name(op));
        return invalid_key(op);
    }
}

/*
 * Drops everything the machine holds.  If a container was fetched twice,
 * the values may form reference cycles (a list appended into itself):
 * they are found in one walk over every container made here and broken by
 * emptying all of them, since such a value is refused anyway.
 */
static int finish(unpickler_t *u, int rc, mpr_obj_t **out)
{
    int cyc = 0;

    if (u->shared && u->n_created > 0) {
        /* one walk from a temporary root holding every container */
        mpr_obj_t *all = mpr_obj_tuple_from(u->n_created, u->created);
        cyc = all != NULL ? mpr__obj_has_cycle(all) : mpr_last_error();
        mpr_obj_decref(all);
        if (cyc != 0) {
            for (size_t i = 0; i < u->n_created; i++)
                mpr__obj_clear(u->created[i]);
            if (rc >= 0)
                rc = cyc < 0 ? cyc
                             : mpr__error(MPR_EUNPICKLE,
                                          "libmpref cannot unpickle a "
                                          "recursive structure");
        }
    }
    if (rc >= 0)
        *out = u->stack[--u->len];
    drop_from(u, 0);
    for (size_t i = 0; i < u->memo_size; i++)
        mpr_obj_decref(u->memo[i].obj);
    for (size_t i = 0; i < u->n_created; i++)
        mpr_obj_decref(u->created[i]);
    if (u->memo != u->inline_memo)
        free(u->memo);
    if (u->stack != u->inline_stack)
        free(u->stack);
    if (u->marks != u->inline_marks)
        free(u->marks);
    if (u->created != u->inline_created)
        free(u->created);
    return rc < 0 ? rc : 0;
}

int mpr__pickle_loads_handles(const void *data, size_t len,
                              const mpr__pickle_handles_t *hooks,
                              mpr_obj_t **out)
{
    unpickler_t u = {.p = data,
                     .end = (const unsigned char *)data + len,
                     .memo_seed = memo_seed(),
                     .hooks = hooks};
    int rc;

    *out = NULL;
    u.stack = u.inline_stack;
    u.cap = sizeof(u.inline_stack) / sizeof(u.inline_stack[0]);
    u.marks = u.inline_marks;
    u.marks_cap = sizeof(u.inline_marks) / sizeof(u.inline_marks[0]);
    u.created = u.inline_created;
    u.cap_created = sizeof(u.inline_created) / sizeof(u.inline_created[0]);
    while ((rc = step(&u)) == 0)
        ;
    /* STOP returns the top item (Pdata_pop), under the same fence. */
    if (rc == 1 && u.len <= u.fence)
        rc = underflow(&u);
    return finish(&u, rc, out);
}

int mpr_pickle_loads(const void *data, size_t len, mpr_obj_t **out)
{
    return mpr__pickle_loads_handles(data, len, NULL, out);
}
