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
#include "base/buf.h"

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
        struct {
            mpr_handle_kind_t kind;
            void *ptr; /* NULL: unpickled, not rebuilt yet */
            int owned; /* 1: freed with the value (a rebuilt one) */
        } h;
    } u;
};

/*
 * What obj/ knows of a handle's kind: filled by the subsystem that
 * implements it (sync, shared, conn, queue register theirs from a
 * constructor), so that obj/ names, prints and frees a primitive without
 * depending on the layers above it.  How a kind travels to a child is the
 * process layer's choice (process/reduction.c); the reduce and rebuild
 * here are the kind's own, for a child being spawned.
 */
typedef struct {
    const char *name; /* the kind's name in a pickle ("SemLock") */
    /* type(o).__name__ of the primitive ("Lock", "JoinableQueue") */
    const char *(*type_name)(const void *ptr);
    /* repr(o); NULL: "<TYPE object at 0x...>" */
    int (*repr)(void *ptr, char **out, size_t *len);
    /* reduces the primitive to a plain value for a child being spawned */
    int (*reduce)(const void *ptr, mpr_obj_t **token);
    /* the child's side: a new primitive from that value */
    int (*rebuild)(const mpr_obj_t *token, void **out);
    /* frees a rebuilt primitive in this process */
    void (*free)(void *ptr);
    /* the error of pickling it outside a child's args, where CPython's
     * differs from assert_spawning's on the primitive itself (an Event
     * refuses as its Condition); NULL: that one */
    int (*refuse)(const void *ptr);
} mpr__handle_ops_t;

/*
 * The constructor that registers a kind: prioritised, so it runs before
 * every plain constructor, among them those that read a child's
 * description before main() (a test program's mpr_main, the forkserver's
 * loop in process/main.c), which must find every kind registered.
 */
#define MPR__HANDLE_INIT __attribute__((constructor(110)))

/* Registers ops for kind (called once per kind, from MPR__HANDLE_INIT). */
void mpr__handle_register(mpr_handle_kind_t kind, const mpr__handle_ops_t *ops);

/* The ops of kind, or NULL when none are registered (or kind is not one). */
const mpr__handle_ops_t *mpr__handle_ops(int kind);

/* The kind whose ops are registered under name, or 0. */
int mpr__handle_kind_named(const char *name);

/* A handle that owns ptr (freed with the value through its kind's free):
 * what a rebuild in the child makes.  ptr NULL: an unbuilt placeholder. */
mpr_obj_t *mpr__obj_handle_owned(int kind, void *ptr);

/*
 * The refusal of a handle pickled outside a process's args: CPython's
 * assert_spawning, MPR_ERUNTIME "Lock objects should only be shared
 * between processes through inheritance".
 */
int mpr__handle_refuse(const mpr_obj_t *h);

/* The plain value an object of the program's own class pickles as
 * (mpr_obj_object: its class's reduce), a new reference in *out; or the
 * error that reduce returned. */
int mpr__object_reduce(const mpr_obj_t *o, mpr_obj_t **out);

/* What the value type's generic functions do for a handle (obj_handle.c):
 * type(o).__name__, repr(o) appended to a buffer of base/buf.h, and the
 * release of an owned primitive when the value is freed. */
const char *mpr__handle_type_name(const mpr_obj_t *o);
int mpr__handle_repr(mpr__buf_t *b, const mpr_obj_t *o);
void mpr__handle_free(mpr_obj_t *o);

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
