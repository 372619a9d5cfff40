/*
 * obj_internal.h - what the value type's own files (obj.c, obj_repr.c,
 * pickle_dump.c, pickle_load.c) share and nobody else sees.
 */
#ifndef MPR_OBJ_INTERNAL_H
#define MPR_OBJ_INTERNAL_H

#include "mpr/obj.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    int64_t hash;
    mpr_obj_t *key; /* NULL: deleted */
    mpr_obj_t *value;
} entry_t;

typedef struct {
    entry_t *entries;  /* insertion order, with holes */
    size_t n_entries;  /* entries used, holes included */
    size_t cap;        /* entries allocated */
    size_t len;        /* live entries */
    int64_t *index;    /* hash table of entry numbers */
    size_t index_size; /* power of two, 0 before the first insert */
} dict_t;

struct mpr_obj_s {
    atomic_size_t refcnt; /* SIZE_MAX: immortal */
    mpr_obj_type_t type;
    unsigned char mark;   /* cycle check colour, 0 at rest */
    atomic_int hashed;    /* tuple: hash cached (tuples never change) */
    int64_t hash;         /* the cached hash */
    mpr_obj_t *dead_next; /* worklist link while being freed */
    union {
        int64_t i;
        double f;
        struct {
            char *data; /* points just after the header */
            size_t len; /* bytes */
            size_t nchars;
        } s;
        struct {
            mpr_obj_t **items;
            size_t len, cap;
        } seq;
        dict_t d;
    } u;
};

/*
 * Checks that len bytes are UTF-8 as CPython's strict decoder (or, with
 * surrogatepass, the "surrogatepass" error handler) accepts them.
 * Returns: 0, or MPR_EUNICODE with CPython's exact message as detail.
 * Stores the number of code points in *nchars.
 */
int mpr__utf8_check(const char *s, size_t len, int surrogatepass,
                    size_t *nchars);

/* A str from text already checked: no validation, nchars given. */
mpr_obj_t *mpr__obj_str_checked(const char *s, size_t len, size_t nchars);

/* Empties a list or dict (drops its items); other types are left alone.
 * Used to break reference cycles a hostile pickle built. */
void mpr__obj_clear(mpr_obj_t *o);

/* Returns 1 if o reaches itself through lists and dicts, else 0 (-ENOMEM
 * when the walk could not allocate).  Iterative. */
int mpr__obj_has_cycle(const mpr_obj_t *o);

/* A growable byte buffer (repr, pickle).  err latches the first failure,
 * so a writer can append blindly and check once at the end. */
typedef struct {
    char *data;
    size_t len, cap;
    int err; /* 0 or -ENOMEM */
} mpr__buf_t;

/* Appends n bytes; returns 0 or -ENOMEM (also latched in b->err). */
int mpr__buf_put(mpr__buf_t *b, const void *p, size_t n);

/* Appends one byte / a NUL-terminated string. */
int mpr__buf_putc(mpr__buf_t *b, int c);
int mpr__buf_puts(mpr__buf_t *b, const char *s);

/* Hands the NUL-terminated data over (*out, *len), or frees it and
 * returns b->err. */
int mpr__buf_finish(mpr__buf_t *b, char **out, size_t *len);

#endif /* MPR_OBJ_INTERNAL_H */
