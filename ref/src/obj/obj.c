/*
 * obj.c - mpr_obj_t: construction, reference counting, accessors,
 * containers, equality and hashing (Python 3.11's object model for None,
 * bool, int, float, str, bytes, tuple, list and dict).
 *
 * Layout: one allocation per value; str and bytes carry their bytes after
 * the header (NUL-terminated); tuple/list hold an item array; dict is
 * CPython's compact dict: an insertion-ordered entry array plus an open-
 * addressing index of entry numbers (0 empty, -1 deleted, else n + 1).
 */
#include "mpr/obj.h"
#include "base/internal.h"
#include "obj/objimpl.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static mpr_obj_t none_obj = {.refcnt = SIZE_MAX, .type = MPR_OBJ_NONE};
static mpr_obj_t false_obj = {.refcnt = SIZE_MAX, .type = MPR_OBJ_BOOL};
static mpr_obj_t true_obj = {
    .refcnt = SIZE_MAX, .type = MPR_OBJ_BOOL, .u.i = 1};

/* A value without inline bytes comes from obj_alloc.c's free lists; a
 * str or bytes (extra bytes after the header, the caller's to fill) is
 * its own malloc.  Not calloc: glibc serves calloc from its arenas every
 * time, malloc from the thread's cache first. */
static mpr_obj_t *alloc_obj(mpr_obj_type_t type, size_t extra)
{
    mpr_obj_t *o =
        extra == 0 ? mpr__obj_alloc() : mpr__sys.malloc(sizeof(*o) + extra);

    if (o == NULL) {
        mpr__error(MPR__ERR(ENOMEM), NULL);
        return NULL;
    }
    memset(o, 0, sizeof(*o));
    atomic_init(&o->refcnt, 1);
    o->type = type;
    return o;
}

/* Gives o's memory back the way alloc_obj took it. */
static void release_obj(mpr_obj_t *o)
{
    if (o->type == MPR_OBJ_STR || o->type == MPR_OBJ_BYTES)
        free(o);
    else
        mpr__obj_release(o);
}

static int is_seq(const mpr_obj_t *o)
{
    return o->type == MPR_OBJ_TUPLE || o->type == MPR_OBJ_LIST;
}

/* ---- freeing: iterative, so depth never reaches the C stack ---------- */

static void push_dead(mpr_obj_t **list, mpr_obj_t *o)
{
    if (o == NULL || o->refcnt == SIZE_MAX)
        return;
    if (atomic_fetch_sub_explicit(&o->refcnt, 1, memory_order_acq_rel) != 1)
        return;
    o->dead_next = *list;
    *list = o;
}

static void free_one(mpr_obj_t *o, mpr_obj_t **dead)
{
    if (is_seq(o) || o->type == MPR_OBJ_SLICE) {
        for (size_t i = 0; i < o->u.seq.len; i++)
            push_dead(dead, o->u.seq.items[i]);
        free(o->u.seq.items);
    } else if (o->type == MPR_OBJ_DICT) {
        for (size_t i = 0; i < o->u.d.n_entries; i++) {
            push_dead(dead, o->u.d.entries[i].key);
            push_dead(dead, o->u.d.entries[i].value);
        }
        free(o->u.d.entries);
        free(o->u.d.index);
    } else if (o->type == MPR_OBJ_HANDLE) {
        mpr__handle_free(o);
    }
    release_obj(o);
}

void mpr_obj_decref(mpr_obj_t *o)
{
    mpr_obj_t *dead = NULL;

    push_dead(&dead, o);
    while (dead != NULL) {
        mpr_obj_t *next = dead;
        dead = next->dead_next;
        free_one(next, &dead);
    }
}

mpr_obj_t *mpr_obj_incref(mpr_obj_t *o)
{
    if (o != NULL && o->refcnt != SIZE_MAX)
        atomic_fetch_add_explicit(&o->refcnt, 1, memory_order_relaxed);
    return o;
}

size_t mpr_obj_refcount(const mpr_obj_t *o)
{
    return atomic_load((atomic_size_t *)&o->refcnt);
}

void mpr_free(void *p)
{
    free(p);
}

/* ---- UTF-8, as CPython's decoder judges it ---------------------------- */

static int utf8_fail(const unsigned char *s, size_t start, size_t end,
                     const char *why)
{
    if (end == start)
        return mpr__error(MPR_EUNICODE,
                          "'utf-8' codec can't decode byte 0x%02x in "
                          "position %zu: %s",
                          s[start], start, why);
    return mpr__error(MPR_EUNICODE,
                      "'utf-8' codec can't decode bytes in position "
                      "%zu-%zu: %s",
                      start, end, why);
}

int mpr__utf8_check(const char *str, size_t len, int surrogatepass,
                    size_t *nchars)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0, n = 0;

    while (i < len) {
        unsigned c = s[i];
        size_t need;
        unsigned lo = 0x80, hi = 0xBF;

        n++;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c < 0xC2 || c > 0xF4)
            return utf8_fail(s, i, i, "invalid start byte");
        need = c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
        /* A surrogate (ED A0..BF xx): the strict decoder fails on its
         * second byte; "surrogatepass" then takes all three bytes or
         * reports the strict error unchanged. */
        if (c == 0xED && surrogatepass && i + 1 < len && s[i + 1] >= 0xA0 &&
            s[i + 1] <= 0xBF) {
            if (i + 2 >= len || (s[i + 2] & 0xC0) != 0x80)
                return utf8_fail(s, i, i, "invalid continuation byte");
            i += 3;
            continue;
        }
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
        else if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
        for (size_t k = 1; k <= need; k++) {
            if (i + k >= len)
                return utf8_fail(s, i, len - 1, "unexpected end of data");
            if (s[i + k] < (k == 1 ? lo : 0x80) ||
                s[i + k] > (k == 1 ? hi : 0xBF))
                return utf8_fail(s, i, i + k - 1, "invalid continuation byte");
        }
        i += need + 1;
    }
    *nchars = n;
    return 0;
}

/* ---- constructors ----------------------------------------------------- */

mpr_obj_t *mpr_obj_none(void)
{
    return &none_obj;
}

mpr_obj_t *mpr_obj_bool(int v)
{
    return v ? &true_obj : &false_obj;
}

mpr_obj_t *mpr_obj_int(int64_t v)
{
    mpr_obj_t *o = alloc_obj(MPR_OBJ_INT, 0);

    if (o != NULL)
        o->u.i = v;
    return o;
}

mpr_obj_t *mpr_obj_float(double v)
{
    mpr_obj_t *o = alloc_obj(MPR_OBJ_FLOAT, 0);

    if (o != NULL)
        o->u.f = v;
    return o;
}

static mpr_obj_t *new_buffer(mpr_obj_type_t type, const void *data, size_t len,
                             size_t nchars)
{
    mpr_obj_t *o;

    if (len > SIZE_MAX - sizeof(*o) - 1) {
        mpr__error(MPR__ERR(ENOMEM), NULL);
        return NULL;
    }
    if ((o = alloc_obj(type, len + 1)) == NULL)
        return NULL;
    o->u.s.data = (char *)(o + 1);
    if (len > 0)
        memcpy(o->u.s.data, data, len);
    o->u.s.data[len] = '\0';
    o->u.s.len = len;
    o->u.s.nchars = nchars;
    return o;
}

mpr_obj_t *mpr__obj_str_checked(const char *s, size_t len, size_t nchars)
{
    return new_buffer(MPR_OBJ_STR, s, len, nchars);
}

mpr_obj_t *mpr_obj_strn(const char *utf8, size_t len)
{
    size_t nchars;

    if (mpr__utf8_check(utf8, len, 0, &nchars) < 0)
        return NULL;
    return new_buffer(MPR_OBJ_STR, utf8, len, nchars);
}

mpr_obj_t *mpr_obj_str(const char *utf8)
{
    return mpr_obj_strn(utf8, strlen(utf8));
}

mpr_obj_t *mpr_obj_bytes(const void *data, size_t len)
{
    return new_buffer(MPR_OBJ_BYTES, data, len, len);
}

static mpr_obj_t *new_seq(mpr_obj_type_t type, size_t n)
{
    mpr_obj_t *o = alloc_obj(type, 0);

    if (o == NULL)
        return NULL;
    if (n > 0) {
        /* malloc, not calloc: every item is set just below, and glibc's
         * calloc bypasses its per-thread cache. */
        o->u.seq.items = n < SIZE_MAX / sizeof(mpr_obj_t *)
                             ? mpr__sys.malloc(n * sizeof(mpr_obj_t *))
                             : NULL;
        if (o->u.seq.items == NULL) {
            release_obj(o);
            mpr__error(MPR__ERR(ENOMEM), NULL);
            return NULL;
        }
    }
    for (size_t i = 0; i < n; i++)
        o->u.seq.items[i] = &none_obj;
    o->u.seq.len = o->u.seq.cap = n;
    return o;
}

/* Fills a new sequence from a va_list; steal says who owns the items. */
static mpr_obj_t *seq_from_va(mpr_obj_type_t type, size_t n, int steal,
                              va_list ap)
{
    mpr_obj_t *o = new_seq(type, n);
    int failed = o == NULL;

    for (size_t i = 0; i < n; i++) {
        mpr_obj_t *item = va_arg(ap, mpr_obj_t *);
        if (item == NULL)
            failed = 1;
        if (failed) {
            if (steal)
                mpr_obj_decref(item);
            continue;
        }
        o->u.seq.items[i] = steal ? item : mpr_obj_incref(item);
    }
    if (failed && o != NULL) {
        mpr_obj_decref(o);
        o = NULL;
        if (mpr_last_error() == 0)
            mpr__error(MPR__ERR(ENOMEM), NULL);
    }
    return o;
}

mpr_obj_t *mpr_obj_tuple(size_t n, ...)
{
    va_list ap;
    va_start(ap, n);
    mpr_obj_t *o = seq_from_va(MPR_OBJ_TUPLE, n, 0, ap);
    va_end(ap);
    return o;
}

mpr_obj_t *mpr_obj_tuple_steal(size_t n, ...)
{
    va_list ap;
    va_start(ap, n);
    mpr_obj_t *o = seq_from_va(MPR_OBJ_TUPLE, n, 1, ap);
    va_end(ap);
    return o;
}

mpr_obj_t *mpr_obj_tuple_from(size_t n, mpr_obj_t *const *items)
{
    mpr_obj_t *o = new_seq(MPR_OBJ_TUPLE, n);

    if (o == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        assert(items[i] != NULL);
        o->u.seq.items[i] = mpr_obj_incref(items[i]);
    }
    return o;
}

mpr_obj_t *mpr_obj_tuple_new(size_t n)
{
    return new_seq(MPR_OBJ_TUPLE, n);
}

mpr_obj_t *mpr_obj_list(void)
{
    return new_seq(MPR_OBJ_LIST, 0);
}

mpr_obj_t *mpr_obj_list_of(size_t n, ...)
{
    va_list ap;
    va_start(ap, n);
    mpr_obj_t *o = seq_from_va(MPR_OBJ_LIST, n, 0, ap);
    va_end(ap);
    return o;
}

mpr_obj_t *mpr_obj_list_of_steal(size_t n, ...)
{
    va_list ap;
    va_start(ap, n);
    mpr_obj_t *o = seq_from_va(MPR_OBJ_LIST, n, 1, ap);
    va_end(ap);
    return o;
}

mpr_obj_t *mpr_obj_dict(void)
{
    return alloc_obj(MPR_OBJ_DICT, 0);
}

mpr_obj_t *mpr_obj_slice(const mpr_obj_t *start, const mpr_obj_t *stop,
                         const mpr_obj_t *step)
{
    const mpr_obj_t *v[3] = {start, stop, step};
    mpr_obj_t *o = new_seq(MPR_OBJ_SLICE, 3);

    for (size_t i = 0; o != NULL && i < 3; i++)
        o->u.seq.items[i] =
            mpr_obj_incref(v[i] ? (mpr_obj_t *)v[i] : &none_obj);
    return o;
}

/* _PyEval_SliceIndex: an int (or bool) item, or None (*set 0). */
static int slice_index(const mpr_obj_t *v, int64_t *out, int *set)
{
    *set = v->type != MPR_OBJ_NONE;
    if (!*set)
        return 0;
    if (v->type != MPR_OBJ_INT && v->type != MPR_OBJ_BOOL)
        return mpr__error(MPR_ETYPE, "slice indices must be integers or "
                                     "None or have an __index__ method");
    *out = v->u.i;
    return 0;
}

/* PySlice_AdjustIndices for one bound. */
static int64_t slice_clamp(int64_t i, int64_t len, int64_t step)
{
    if (i < 0) {
        i += len;
        if (i < 0)
            i = step < 0 ? -1 : 0;
    } else if (i >= len)
        i = step < 0 ? len - 1 : len;
    return i;
}

int mpr_obj_slice_indices(const mpr_obj_t *s, size_t len, int64_t *start,
                          int64_t *stop, int64_t *step, size_t *count)
{
    int64_t n = (int64_t)len;
    int rc, set;

    assert(s->type == MPR_OBJ_SLICE);
    /* PySlice_Unpack reads step first, then start, then stop: the first
     * bad one is the one reported. */
    *step = 1;
    if ((rc = slice_index(s->u.seq.items[2], step, &set)) < 0)
        return rc;
    if (*step == 0)
        return mpr__error(MPR_EVALUE, "slice step cannot be zero");
    if (*step < -INT64_MAX) /* so that -step cannot overflow */
        *step = -INT64_MAX;
    if ((rc = slice_index(s->u.seq.items[0], start, &set)) < 0)
        return rc;
    if (!set)
        *start = *step < 0 ? INT64_MAX : 0;
    if ((rc = slice_index(s->u.seq.items[1], stop, &set)) < 0)
        return rc;
    if (!set)
        *stop = *step < 0 ? INT64_MIN : INT64_MAX;
    *start = slice_clamp(*start, n, *step);
    *stop = slice_clamp(*stop, n, *step);
    *count = 0;
    if (*step < 0 && *stop < *start)
        *count = (size_t)((*start - *stop - 1) / -*step + 1);
    else if (*step > 0 && *start < *stop)
        *count = (size_t)((*stop - *start - 1) / *step + 1);
    return 0;
}

/* ---- accessors -------------------------------------------------------- */

mpr_obj_type_t mpr_obj_type(const mpr_obj_t *o)
{
    return o->type;
}

const char *mpr_obj_type_name(const mpr_obj_t *o)
{
    static const char *const names[] = {
        "NoneType", "bool", "int",  "float", "str",   "bytes",
        "tuple",    "list", "dict", NULL,    "slice",
    };
    if (o->type == MPR_OBJ_HANDLE)
        return mpr__handle_type_name(o);
    return names[o->type];
}

int mpr_obj_is_none(const mpr_obj_t *o)
{
    return o->type == MPR_OBJ_NONE;
}

int mpr_obj_truth(const mpr_obj_t *o)
{
    switch (o->type) {
    case MPR_OBJ_NONE:
        return 0;
    case MPR_OBJ_BOOL:
    case MPR_OBJ_INT:
        return o->u.i != 0;
    case MPR_OBJ_FLOAT:
        return o->u.f != 0.0;
    case MPR_OBJ_HANDLE:
    case MPR_OBJ_SLICE:
        return 1; /* no __bool__ nor __len__ */
    default:
        return mpr_obj_len(o) != 0;
    }
}

int mpr_obj_as_int64(const mpr_obj_t *o, int64_t *out)
{
    if (o->type != MPR_OBJ_INT && o->type != MPR_OBJ_BOOL)
        return mpr__error(MPR_ETYPE,
                          "'%s' object cannot be interpreted as an integer",
                          mpr_obj_type_name(o));
    *out = o->u.i;
    return 0;
}

int mpr_obj_as_double(const mpr_obj_t *o, double *out)
{
    if (o->type == MPR_OBJ_FLOAT)
        *out = o->u.f;
    else if (o->type == MPR_OBJ_INT || o->type == MPR_OBJ_BOOL)
        *out = (double)o->u.i;
    else
        return mpr__error(MPR_ETYPE, "must be real number, not %s",
                          mpr_obj_type_name(o));
    return 0;
}

int64_t mpr_obj_int_value(const mpr_obj_t *o)
{
    assert(o->type == MPR_OBJ_INT || o->type == MPR_OBJ_BOOL);
    return o->u.i;
}

double mpr_obj_float_value(const mpr_obj_t *o)
{
    assert(o->type == MPR_OBJ_FLOAT);
    return o->u.f;
}

const char *mpr_obj_str_utf8(const mpr_obj_t *o, size_t *len)
{
    assert(o->type == MPR_OBJ_STR);
    if (len != NULL)
        *len = o->u.s.len;
    return o->u.s.data;
}

const unsigned char *mpr_obj_bytes_data(const mpr_obj_t *o, size_t *len)
{
    assert(o->type == MPR_OBJ_BYTES);
    if (len != NULL)
        *len = o->u.s.len;
    return (const unsigned char *)o->u.s.data;
}

size_t mpr_obj_len(const mpr_obj_t *o)
{
    switch (o->type) {
    case MPR_OBJ_STR:
    case MPR_OBJ_BYTES:
        return o->u.s.nchars;
    case MPR_OBJ_TUPLE:
    case MPR_OBJ_LIST:
        return o->u.seq.len;
    case MPR_OBJ_DICT:
        return o->u.d.len;
    default:
        return 0;
    }
}

mpr_obj_t *mpr_obj_item(const mpr_obj_t *o, size_t i)
{
    if ((!is_seq(o) && o->type != MPR_OBJ_SLICE) || i >= o->u.seq.len)
        return NULL;
    return o->u.seq.items[i];
}

/* ---- lists and tuples ------------------------------------------------- */

static int seq_set_steal(mpr_obj_t *o, size_t i, mpr_obj_t *v, const char *what)
{
    mpr_obj_t *old;

    if (v == NULL)
        return mpr_last_error() < 0 ? mpr_last_error()
                                    : mpr__error(MPR__ERR(ENOMEM), NULL);
    if (i >= o->u.seq.len) {
        mpr_obj_decref(v);
        return mpr__error(MPR_EINDEX, "%s assignment index out of range", what);
    }
    old = o->u.seq.items[i];
    o->u.seq.items[i] = v;
    mpr_obj_decref(old);
    return 0;
}

int mpr_obj_tuple_set_steal(mpr_obj_t *t, size_t i, mpr_obj_t *v)
{
    assert(t->type == MPR_OBJ_TUPLE);
    return seq_set_steal(t, i, v, "tuple");
}

int mpr_obj_list_set_steal(mpr_obj_t *l, size_t i, mpr_obj_t *v)
{
    assert(l->type == MPR_OBJ_LIST);
    return seq_set_steal(l, i, v, "list");
}

int mpr_obj_list_set(mpr_obj_t *l, size_t i, mpr_obj_t *v)
{
    return mpr_obj_list_set_steal(l, i, mpr_obj_incref(v));
}

int mpr_obj_list_append_steal(mpr_obj_t *l, mpr_obj_t *v)
{
    assert(l->type == MPR_OBJ_LIST);
    if (v == NULL)
        return mpr_last_error() < 0 ? mpr_last_error()
                                    : mpr__error(MPR__ERR(ENOMEM), NULL);
    if (l->u.seq.len == l->u.seq.cap) {
        size_t cap = l->u.seq.cap < 4 ? 4 : l->u.seq.cap * 2;
        mpr_obj_t **items =
            cap < SIZE_MAX / sizeof(*items)
                ? mpr__sys.realloc(l->u.seq.items, cap * sizeof(*items))
                : NULL;
        if (items == NULL) {
            mpr_obj_decref(v);
            return mpr__error(MPR__ERR(ENOMEM), NULL);
        }
        l->u.seq.items = items;
        l->u.seq.cap = cap;
    }
    l->u.seq.items[l->u.seq.len++] = v;
    return 0;
}

int mpr_obj_list_append(mpr_obj_t *l, mpr_obj_t *v)
{
    return mpr_obj_list_append_steal(l, mpr_obj_incref(v));
}

int mpr_obj_list_pop(mpr_obj_t *l, ptrdiff_t i, mpr_obj_t **out)
{
    size_t n = l->u.seq.len;

    assert(l->type == MPR_OBJ_LIST);
    if (n == 0)
        return mpr__error(MPR_EINDEX, "pop from empty list");
    if (i < 0)
        i += (ptrdiff_t)n;
    if (i < 0 || (size_t)i >= n)
        return mpr__error(MPR_EINDEX, "pop index out of range");
    *out = l->u.seq.items[i];
    memmove(&l->u.seq.items[i], &l->u.seq.items[i + 1],
            (n - (size_t)i - 1) * sizeof(mpr_obj_t *));
    l->u.seq.len--;
    return 0;
}

void mpr__obj_clear(mpr_obj_t *o)
{
    if (o->type == MPR_OBJ_LIST) {
        mpr_obj_t **items = o->u.seq.items;
        size_t n = o->u.seq.len;
        o->u.seq.items = NULL;
        o->u.seq.len = o->u.seq.cap = 0;
        for (size_t i = 0; i < n; i++)
            mpr_obj_decref(items[i]);
        free(items);
    } else if (o->type == MPR_OBJ_DICT) {
        dict_t d = o->u.d;
        memset(&o->u.d, 0, sizeof(o->u.d));
        for (size_t i = 0; i < d.n_entries; i++) {
            mpr_obj_decref(d.entries[i].key);
            mpr_obj_decref(d.entries[i].value);
        }
        free(d.entries);
        free(d.index);
    }
}
