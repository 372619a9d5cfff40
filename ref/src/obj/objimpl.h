/*
 * objimpl.h - the value type's layout and the helpers that build values
 * directly: what obj/'s files share, and obj/'s interface to the layers
 * above.  pickle/ reads and builds values through it (at wire speed,
 * without the public API's checks); process/ and pool/ convert a
 * caller's args and kwargs with tuple() and dict().
 */
#ifndef MPR_OBJ_OBJIMPL_H
#define MPR_OBJ_OBJIMPL_H

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

/* A value's memory (sizeof(mpr_obj_t), uninitialised) from the
 * per-thread free lists of obj_alloc.c, or NULL (no error set);
 * mpr__obj_release gives it back, from any thread. */
mpr_obj_t *mpr__obj_alloc(void);
void mpr__obj_release(mpr_obj_t *o);

/* A str from text already checked: no validation, nchars given. */
mpr_obj_t *mpr__obj_str_checked(const char *s, size_t len, size_t nchars);

/* Empties a list or dict (drops its items); other types are left alone.
 * Used to break reference cycles a hostile pickle built. */
void mpr__obj_clear(mpr_obj_t *o);

/* Returns 1 if o reaches itself through lists and dicts, else 0 (-ENOMEM
 * when the walk could not allocate).  Iterative. */
int mpr__obj_has_cycle(const mpr_obj_t *o);

/* tuple(o): tuples, lists, dicts (their keys), str (characters) and bytes
 * (ints) iterate; the other types raise TypeError.  (obj_convert.c) */
int mpr__obj_to_tuple(const mpr_obj_t *o, mpr_obj_t **out);

/* dict(o): a dict is copied; a sequence must hold pairs.  (obj_convert.c) */
int mpr__obj_to_dict(const mpr_obj_t *o, mpr_obj_t **out);

#endif /* MPR_OBJ_OBJIMPL_H */
