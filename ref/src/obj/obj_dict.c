/*
 * obj_dict.c - equality, hashing and dict for mpr_obj_t (Python 3.11's
 * object_richcompare for the built-in types, Python/pyhash.c and
 * Objects/longobject.c's numeric hash, Objects/tupleobject.c's tuplehash,
 * and a compact insertion-ordered dict as in Objects/dictobject.c).
 *
 * Index slots: 0 empty, -1 deleted (a dummy), n + 1 for entry n.
 */
#include "mpr/obj.h"
#include "base/internal.h"
#include "obj/objimpl.h"

#include <errno.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define HASH_MODULUS (((uint64_t)1 << 61) - 1) /* _PyHASH_MODULUS */
#define HASH_INF     314159

static int64_t fix_minus_one(int64_t h)
{
    return h == -1 ? -2 : h;
}

static int64_t hash_int(int64_t v)
{
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    int64_t h = (int64_t)(mag % HASH_MODULUS);

    return fix_minus_one(v < 0 ? -h : h);
}

/* _Py_HashDouble; nan hashes by identity, as in 3.10 and later. */
static int64_t hash_double(const mpr_obj_t *o, double v)
{
    int e, sign = 1;
    double m;
    uint64_t x = 0, y;

    if (isinf(v))
        return v > 0 ? HASH_INF : -HASH_INF;
    if (isnan(v))
        return fix_minus_one((int64_t)((uintptr_t)o >> 4));
    m = frexp(v, &e);
    if (m < 0) {
        sign = -1;
        m = -m;
    }
    while (m) {
        x = ((x << 28) & HASH_MODULUS) | x >> (61 - 28);
        m *= 268435456.0;
        e -= 28;
        y = (uint64_t)m;
        m -= (double)y;
        x += y;
        if (x >= HASH_MODULUS)
            x -= HASH_MODULUS;
    }
    e = e >= 0 ? e % 61 : 61 - 1 - ((-1 - e) % 61);
    x = ((x << e) & HASH_MODULUS) | x >> (61 - e);
    return fix_minus_one((int64_t)x * sign);
}

static int64_t hash_buffer(const mpr_obj_t *o)
{
    uint64_t h = 14695981039346656037u; /* FNV-1a */

    for (size_t i = 0; i < o->u.s.len; i++)
        h = (h ^ (unsigned char)o->u.s.data[i]) * 1099511628211u;
    return fix_minus_one((int64_t)h);
}

#define XXPRIME_1   11400714785074694791ULL
#define XXPRIME_2   14029467366897019727ULL
#define XXPRIME_5   2870177450012600261ULL
#define XXROTATE(x) ((x << 31) | (x >> 33))

static int hash_depth(const mpr_obj_t *o, int64_t *out, int depth);

/* The result is cached in the tuple: CPython recomputes it every time, but
 * a tuple that shares sub-tuples (a pickle can build t = (s, s), s = (r,
 * r), ...) would then cost time exponential in its depth. */
static int hash_tuple(const mpr_obj_t *o, int64_t *out, int depth)
{
    uint64_t acc = XXPRIME_5;

    if (atomic_load_explicit(&((mpr_obj_t *)o)->hashed, memory_order_acquire)) {
        *out = o->hash;
        return 0;
    }

    for (size_t i = 0; i < o->u.seq.len; i++) {
        int64_t lane;
        int rc = hash_depth(o->u.seq.items[i], &lane, depth + 1);
        if (rc < 0)
            return rc;
        acc += (uint64_t)lane * XXPRIME_2;
        acc = XXROTATE(acc);
        acc *= XXPRIME_1;
    }
    acc += o->u.seq.len ^ (XXPRIME_5 ^ 3527539UL);
    *out = acc == (uint64_t)-1 ? 1546275796 : (int64_t)acc;
    ((mpr_obj_t *)o)->hash = *out; /* same value from any thread */
    atomic_store_explicit(&((mpr_obj_t *)o)->hashed, 1, memory_order_release);
    return 0;
}

static int hash_depth(const mpr_obj_t *o, int64_t *out, int depth)
{
    if (depth > MPR_OBJ_MAX_DEPTH)
        return mpr__error(MPR_ERECURSION, NULL);
    switch (o->type) {
    case MPR_OBJ_NONE:
        *out = 0x6e6f6e65; /* CPython hashes None by address */
        return 0;
    case MPR_OBJ_BOOL:
    case MPR_OBJ_INT:
        *out = hash_int(o->u.i);
        return 0;
    case MPR_OBJ_FLOAT:
        *out = hash_double(o, o->u.f);
        return 0;
    case MPR_OBJ_STR:
    case MPR_OBJ_BYTES:
        *out = hash_buffer(o);
        return 0;
    case MPR_OBJ_TUPLE:
        return hash_tuple(o, out, depth);
    case MPR_OBJ_HANDLE: /* object.__hash__: by identity */
        *out = (int64_t)((uintptr_t)o->u.h.ptr >> 4);
        return 0;
    default:
        return mpr__error(MPR_ETYPE, "unhashable type: '%s'",
                          mpr_obj_type_name(o));
    }
}

int mpr_obj_hash(const mpr_obj_t *o, int64_t *out)
{
    return hash_depth(o, out, 0);
}

/* ---- equality --------------------------------------------------------- */

static int is_number(const mpr_obj_t *o)
{
    return o->type == MPR_OBJ_BOOL || o->type == MPR_OBJ_INT ||
           o->type == MPR_OBJ_FLOAT;
}

/* int == float, exactly (float_richcompare): no rounding of the int. */
static int int_eq_float(int64_t i, double f)
{
    if (!isfinite(f) || f != floor(f))
        return 0;
    if (f < -9223372036854775808.0 || f >= 9223372036854775808.0)
        return 0;
    return (int64_t)f == i;
}

static int num_eq(const mpr_obj_t *a, const mpr_obj_t *b)
{
    if (a->type == MPR_OBJ_FLOAT && b->type == MPR_OBJ_FLOAT)
        return a->u.f == b->u.f;
    if (a->type == MPR_OBJ_FLOAT)
        return int_eq_float(b->u.i, a->u.f);
    if (b->type == MPR_OBJ_FLOAT)
        return int_eq_float(a->u.i, b->u.f);
    return a->u.i == b->u.i;
}

static int eq_depth(const mpr_obj_t *a, const mpr_obj_t *b, int depth);

/* Inside containers Python compares `x is y or x == y`. */
static int item_eq(const mpr_obj_t *a, const mpr_obj_t *b, int depth)
{
    return a == b ? 1 : eq_depth(a, b, depth + 1);
}

static int dict_find(const mpr_obj_t *d, const mpr_obj_t *k, int64_t h,
                     size_t *slot, int depth);

static int dict_eq(const mpr_obj_t *a, const mpr_obj_t *b, int depth)
{
    if (a->u.d.len != b->u.d.len)
        return 0;
    for (size_t i = 0; i < a->u.d.n_entries; i++) {
        const entry_t *e = &a->u.d.entries[i];
        size_t slot;
        int rc;

        if (e->key == NULL)
            continue;
        rc = dict_find(b, e->key, e->hash, &slot, depth + 1);
        if (rc <= 0)
            return rc;
        rc = item_eq(e->value, b->u.d.entries[b->u.d.index[slot] - 1].value,
                     depth);
        if (rc <= 0)
            return rc;
    }
    return 1;
}

static int eq_depth(const mpr_obj_t *a, const mpr_obj_t *b, int depth)
{
    if (depth > MPR_OBJ_MAX_DEPTH)
        return mpr__error(MPR_ERECURSION,
                          "maximum recursion depth exceeded in comparison");
    if (is_number(a) && is_number(b))
        return num_eq(a, b);
    if (a->type != b->type)
        return 0;
    switch (a->type) {
    case MPR_OBJ_NONE:
        return 1;
    case MPR_OBJ_STR:
    case MPR_OBJ_BYTES:
        return a->u.s.len == b->u.s.len &&
               memcmp(a->u.s.data, b->u.s.data, a->u.s.len) == 0;
    case MPR_OBJ_TUPLE:
    case MPR_OBJ_LIST:
    case MPR_OBJ_SLICE: /* slice_richcompare: as (start, stop, step) */
        if (a->u.seq.len != b->u.seq.len)
            return 0;
        for (size_t i = 0; i < a->u.seq.len; i++) {
            int rc = item_eq(a->u.seq.items[i], b->u.seq.items[i], depth);
            if (rc <= 0)
                return rc;
        }
        return 1;
    case MPR_OBJ_DICT:
        return dict_eq(a, b, depth);
    case MPR_OBJ_HANDLE: /* object.__eq__: the same primitive */
        return a->u.h.kind == b->u.h.kind && a->u.h.ptr == b->u.h.ptr;
    default:
        return 0;
    }
}

int mpr_obj_eq(const mpr_obj_t *a, const mpr_obj_t *b)
{
    return eq_depth(a, b, 0);
}

/* ---- dict ------------------------------------------------------------- */

/*
 * Finds k: returns 1 with *slot at its index slot, 0 with *slot at the
 * slot an insert should use (the first dummy met, else the empty one), or
 * an error from the key comparison.  CPython's perturbed probing.
 */
static int dict_find(const mpr_obj_t *d, const mpr_obj_t *k, int64_t h,
                     size_t *slot, int depth)
{
    const dict_t *t = &d->u.d;
    size_t mask, i, first_dummy = SIZE_MAX;
    uint64_t perturb = (uint64_t)h;

    if (t->index_size == 0)
        return 0;
    mask = t->index_size - 1;
    i = (size_t)h & mask;
    for (;;) {
        int64_t ix = t->index[i];
        if (ix == 0) {
            *slot = first_dummy != SIZE_MAX ? first_dummy : i;
            return 0;
        }
        if (ix < 0) {
            if (first_dummy == SIZE_MAX)
                first_dummy = i;
        } else {
            const entry_t *e = &t->entries[ix - 1];
            if (e->key == k) {
                *slot = i;
                return 1;
            }
            if (e->hash == h) {
                int rc = eq_depth(e->key, k, depth + 1);
                if (rc < 0)
                    return rc;
                if (rc) {
                    *slot = i;
                    return 1;
                }
            }
        }
        perturb >>= 5;
        i = (i * 5 + (size_t)perturb + 1) & mask;
    }
}

/* Rebuilds the index for at least need live entries, dropping holes. */
static int dict_resize(mpr_obj_t *d, size_t need)
{
    dict_t *t = &d->u.d;
    size_t size = 8, n = 0;
    int64_t *index;
    entry_t *entries;

    while (size / 3 * 2 < need + 1)
        size *= 2;
    index = mpr__sys.calloc(size, sizeof(*index));
    entries = mpr__sys.calloc(size / 3 * 2 + 1, sizeof(*entries));
    if (index == NULL || entries == NULL) {
        free(index);
        free(entries);
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    }
    for (size_t i = 0; i < t->n_entries; i++)
        if (t->entries[i].key != NULL)
            entries[n++] = t->entries[i];
    for (size_t e = 0; e < n; e++) {
        uint64_t perturb = (uint64_t)entries[e].hash;
        size_t i = (size_t)entries[e].hash & (size - 1);
        while (index[i] != 0) {
            perturb >>= 5;
            i = (i * 5 + (size_t)perturb + 1) & (size - 1);
        }
        index[i] = (int64_t)e + 1;
    }
    free(t->index);
    free(t->entries);
    t->index = index;
    t->entries = entries;
    t->index_size = size;
    t->cap = size / 3 * 2 + 1;
    t->n_entries = n;
    return 0;
}

int mpr_obj_dict_set_steal(mpr_obj_t *d, mpr_obj_t *k, mpr_obj_t *v)
{
    dict_t *t = &d->u.d;
    int64_t h;
    size_t slot;
    int rc;

    if (k == NULL || v == NULL) {
        rc = mpr_last_error() < 0 ? mpr_last_error() : MPR__ERR(ENOMEM);
        goto fail;
    }
    if ((rc = mpr_obj_hash(k, &h)) < 0 ||
        (rc = dict_find(d, k, h, &slot, 0)) < 0)
        goto fail;
    if (rc == 1) {
        entry_t *e = &t->entries[t->index[slot] - 1];
        mpr_obj_t *old = e->value;
        e->value = v;
        mpr_obj_decref(old);
        mpr_obj_decref(k);
        return 0;
    }
    if (t->n_entries + 1 >= t->cap) {
        if ((rc = dict_resize(d, t->len + 1)) < 0)
            goto fail;
        dict_find(d, k, h, &slot, 0); /* cannot fail: k is not there */
    }
    t->entries[t->n_entries] = (entry_t){h, k, v};
    t->index[slot] = (int64_t)++t->n_entries;
    t->len++;
    return 0;
fail:
    mpr_obj_decref(k);
    mpr_obj_decref(v);
    return rc;
}

int mpr_obj_dict_set(mpr_obj_t *d, mpr_obj_t *k, mpr_obj_t *v)
{
    return mpr_obj_dict_set_steal(d, mpr_obj_incref(k), mpr_obj_incref(v));
}

int mpr_obj_dict_get(const mpr_obj_t *d, const mpr_obj_t *k, mpr_obj_t **v)
{
    int64_t h;
    size_t slot;
    int rc;

    *v = NULL;
    if ((rc = mpr_obj_hash(k, &h)) < 0 ||
        (rc = dict_find(d, k, h, &slot, 0)) <= 0)
        return rc;
    *v = d->u.d.entries[d->u.d.index[slot] - 1].value;
    return 1;
}

int mpr_obj_dict_get_str(const mpr_obj_t *d, const char *key, mpr_obj_t **v)
{
    mpr_obj_t *k = mpr_obj_str(key);
    int rc;

    if (k == NULL)
        return mpr_last_error();
    rc = mpr_obj_dict_get(d, k, v);
    mpr_obj_decref(k);
    return rc;
}

int mpr_obj_dict_del(mpr_obj_t *d, const mpr_obj_t *k)
{
    dict_t *t = &d->u.d;
    int64_t h;
    size_t slot;
    entry_t *e;
    int rc;

    if ((rc = mpr_obj_hash(k, &h)) < 0 ||
        (rc = dict_find(d, k, h, &slot, 0)) < 0)
        return rc;
    if (rc == 0) {
        char *r = NULL;
        rc = mpr_obj_repr(k, &r, NULL);
        rc = mpr__error(MPR_EKEY, "%s", rc < 0 ? "" : r);
        mpr_free(r);
        return rc;
    }
    e = &t->entries[t->index[slot] - 1];
    t->index[slot] = -1;
    t->len--;
    mpr_obj_decref(e->key);
    mpr_obj_decref(e->value);
    e->key = e->value = NULL;
    return 0;
}

int mpr_obj_dict_next(const mpr_obj_t *d, size_t *pos, mpr_obj_t **k,
                      mpr_obj_t **v)
{
    const dict_t *t = &d->u.d;

    while (*pos < t->n_entries && t->entries[*pos].key == NULL)
        (*pos)++;
    if (*pos >= t->n_entries)
        return 0;
    if (k != NULL)
        *k = t->entries[*pos].key;
    if (v != NULL)
        *v = t->entries[*pos].value;
    (*pos)++;
    return 1;
}

/* ---- cycles (only a hostile or C-built value has them) ---------------- */

typedef struct {
    const mpr_obj_t *o;
    size_t next; /* next child to visit */
} frame_t;

static const mpr_obj_t *child(const mpr_obj_t *o, size_t *i)
{
    if (o->type == MPR_OBJ_LIST || o->type == MPR_OBJ_TUPLE ||
        o->type == MPR_OBJ_SLICE) {
        return *i < o->u.seq.len ? o->u.seq.items[(*i)++] : NULL;
    }
    if (o->type == MPR_OBJ_DICT) {
        while (*i < 2 * o->u.d.n_entries) {
            const entry_t *e = &o->u.d.entries[*i / 2];
            const mpr_obj_t *c = *i % 2 ? e->value : e->key;
            (*i)++;
            if (e->key != NULL)
                return c;
        }
    }
    return NULL;
}

static int is_container(const mpr_obj_t *o)
{
    return o->type == MPR_OBJ_LIST || o->type == MPR_OBJ_DICT ||
           o->type == MPR_OBJ_TUPLE || o->type == MPR_OBJ_SLICE;
}

/*
 * One iterative depth-first walk, three colours in each container's mark
 * (0 unvisited, 1 on the current path, 2 done): meeting a colour-1 value
 * is a cycle.  Linear in the number of containers however much the value
 * shares.  With reset set, walks the marked values back to 0 instead.
 */
static int walk(const mpr_obj_t *o, int reset)
{
    size_t cap = 64, n = 0;
    frame_t *stack = mpr__sys.malloc(cap * sizeof(*stack));
    int found = 0;

    if (stack == NULL)
        return MPR__ERR(ENOMEM);
    ((mpr_obj_t *)o)->mark = reset ? 0 : 1;
    stack[n++] = (frame_t){o, 0};
    while (n > 0) {
        mpr_obj_t *c = (mpr_obj_t *)child(stack[n - 1].o, &stack[n - 1].next);
        if (c == NULL) {
            if (!reset)
                ((mpr_obj_t *)stack[n - 1].o)->mark = 2;
            n--;
            continue;
        }
        if (!is_container(c) || (reset ? c->mark == 0 : c->mark == 2))
            continue;
        if (!reset && c->mark == 1) {
            found = 1;
            continue;
        }
        if (n == cap) {
            frame_t *s = mpr__sys.realloc(stack, 2 * cap * sizeof(*s));
            if (s == NULL) {
                free(stack);
                return MPR__ERR(ENOMEM);
            }
            stack = s;
            cap *= 2;
        }
        c->mark = reset ? 0 : 1;
        stack[n++] = (frame_t){c, 0};
    }
    free(stack);
    return found;
}

int mpr__obj_has_cycle(const mpr_obj_t *o)
{
    int found, rc;

    if (!is_container(o))
        return 0;
    found = walk(o, 0);
    /* The reset walk needs the same stack; if it cannot allocate, marks
     * stay set, which only makes a later check on the same values walk
     * less: report the failure. */
    rc = walk(o, 1);
    return found < 0 ? found : rc < 0 ? rc : found;
}
