/*
 * obj.h - mpr_obj_t, the values that cross processes: None, bool, int
 * (64-bit), float, str (UTF-8), bytes, tuple, list and dict
 * (insertion-ordered), slice, with Python 3.11's equality, hashing and repr.
 *
 * Reference counting follows jansson's rules.  Every function says
 * whether it returns a *new* reference (the caller owns it and must
 * mpr_obj_decref it) or a *borrowed* one (valid while its owner lives).
 * Functions ending in _steal take over the caller's reference to their
 * object arguments, even when they fail; a NULL object argument to a _steal
 * function is a failed constructor upstream and makes the call fail too,
 * so constructors can nest:
 *
 *     mpr_obj_t *t = mpr_obj_tuple_steal(2, mpr_obj_int(1), mpr_obj_str("a"));
 *     if (t == NULL) return mpr_last_error();
 *
 * Constructors return the object itself (NULL on failure, with the code in
 * mpr_last_error()) rather than through an out-parameter: that is what
 * lets them nest as above.  Everything else follows the conventions of <mpr.h>:
 * an int, 0 or a non-negative result on success, a negative MPR_E code on
 * error.
 *
 * Objects may be shared between threads for reading; the reference count
 * is atomic.  Lists and dicts are not locked: mutating one while another
 * thread reads it is the caller's race to prevent.
 */
#ifndef MPR_OBJ_H
#define MPR_OBJ_H

#include "common.h"

#include <stddef.h>
#include <stdint.h>

typedef struct mpr_obj_s mpr_obj_t;

/* The Python type of a value (type(o).__name__ in mpr_obj_type_name). */
typedef enum {
    MPR_OBJ_NONE,
    MPR_OBJ_BOOL,
    MPR_OBJ_INT,
    MPR_OBJ_FLOAT,
    MPR_OBJ_STR,
    MPR_OBJ_BYTES,
    MPR_OBJ_TUPLE,
    MPR_OBJ_LIST,
    MPR_OBJ_DICT,
    MPR_OBJ_HANDLE, /* a primitive held by value: see "handles" below */
    MPR_OBJ_SLICE,  /* slice(start, stop, step): any three values */
} mpr_obj_type_t;

/*
 * The primitives a handle value (MPR_OBJ_HANDLE) may stand for: the
 * objects CPython pickles into a child's args with a reduction of their
 * own.  The pointer's C type follows the kind.
 */
typedef enum {
    MPR_HANDLE_CONN = 1, /* mpr_conn_t: Connection */
    MPR_HANDLE_SEMLOCK,  /* mpr_semlock_t: Lock, RLock, (Bounded)Semaphore */
    MPR_HANDLE_COND,     /* mpr_cond_t: Condition */
    MPR_HANDLE_EVENT,    /* mpr_event_t: Event */
    MPR_HANDLE_BARRIER,  /* mpr_barrier_t: Barrier (rebuilt without action) */
    MPR_HANDLE_VALUE,    /* mpr_value_t: Value, RawValue */
    MPR_HANDLE_ARRAY,    /* mpr_array_t: Array, RawArray */
    MPR_HANDLE_QUEUE,    /* mpr_queue_t: Queue, JoinableQueue */
    MPR_HANDLE_SQUEUE,   /* mpr_squeue_t: SimpleQueue */
    MPR_HANDLE_PROXY,    /* mpr_proxy_t: a manager's proxy (BaseProxy) */
    MPR_HANDLE_OBJECT,   /* an object of the program's own class
                          * (mpr_obj_object; not for mpr_obj_handle) */
    MPR_HANDLE_KINDS     /* how many kinds, plus one (not a kind) */
} mpr_handle_kind_t;

/*
 * Deepest nesting that repr, equality, hashing, pickling and unpickling
 * walk before they give up with MPR_ERECURSION (RecursionError), as
 * CPython does at its recursion limit.  Freeing never recurses, however
 * deep a value is.
 */
#define MPR_OBJ_MAX_DEPTH 1000 /* sys.getrecursionlimit() */

/* ---- reference counting ------------------------------------------------ */

/* Adds a reference to o and returns o.  NULL is accepted and returned. */
MPR_EXTERN mpr_obj_t *mpr_obj_incref(mpr_obj_t *o);

/* Drops a reference; the value is freed with its last one.  NULL is a
 * no-op.  Iterative: arbitrarily deep values are freed without recursion. */
MPR_EXTERN void mpr_obj_decref(mpr_obj_t *o);

/* Returns the current reference count (for tests; None, True and False
 * are immortal and report SIZE_MAX). */
MPR_EXTERN size_t mpr_obj_refcount(const mpr_obj_t *o);

/* Frees a buffer returned by libmpref (repr, dumps).  NULL is a no-op. */
MPR_EXTERN void mpr_free(void *p);

/* ---- constructors: each returns a new reference, or NULL --------------- */
/* Errors (through mpr_last_error()): -ENOMEM (MemoryError) unless said. */

/* None, True/False (v != 0).  Immortal singletons; never NULL. */
MPR_EXTERN mpr_obj_t *mpr_obj_none(void);
MPR_EXTERN mpr_obj_t *mpr_obj_bool(int v);

/* An int (Python's int restricted to the int64_t range). */
MPR_EXTERN mpr_obj_t *mpr_obj_int(int64_t v);

/* A float. */
MPR_EXTERN mpr_obj_t *mpr_obj_float(double v);

/*
 * A str from UTF-8 text: NUL-terminated (mpr_obj_str) or len bytes that
 * may hold NULs (mpr_obj_strn).  The text is copied.
 * Errors: MPR_EUNICODE (UnicodeDecodeError) when it is not valid UTF-8,
 * with CPython's message ("'utf-8' codec can't decode byte 0xff in
 * position 0: invalid start byte").
 */
MPR_EXTERN mpr_obj_t *mpr_obj_str(const char *utf8);
MPR_EXTERN mpr_obj_t *mpr_obj_strn(const char *utf8, size_t len);

/* A bytes object holding a copy of len bytes at data (NULL when len 0). */
MPR_EXTERN mpr_obj_t *mpr_obj_bytes(const void *data, size_t len);

/*
 * A tuple of n items.  mpr_obj_tuple borrows the n variadic mpr_obj_t *
 * (it adds its own references); mpr_obj_tuple_steal takes them over, and
 * fails (dropping the non-NULL ones) if any is NULL.  mpr_obj_tuple_from
 * borrows an array.  mpr_obj_tuple_new makes a tuple of n Nones to be
 * filled with mpr_obj_tuple_set_steal before it is shared.
 */
MPR_EXTERN mpr_obj_t *mpr_obj_tuple(size_t n, ...);
MPR_EXTERN mpr_obj_t *mpr_obj_tuple_steal(size_t n, ...);
MPR_EXTERN mpr_obj_t *mpr_obj_tuple_from(size_t n, mpr_obj_t *const *items);
MPR_EXTERN mpr_obj_t *mpr_obj_tuple_new(size_t n);

/* An empty list; a list of n variadic items (borrowed / stolen, as for
 * tuples). */
MPR_EXTERN mpr_obj_t *mpr_obj_list(void);
MPR_EXTERN mpr_obj_t *mpr_obj_list_of(size_t n, ...);
MPR_EXTERN mpr_obj_t *mpr_obj_list_of_steal(size_t n, ...);

/* An empty dict. */
MPR_EXTERN mpr_obj_t *mpr_obj_dict(void);

/*
 * slice(start, stop, step): three values of any type (borrowed; NULL
 * stands for None), as Python's slice() keeps them; mpr_obj_item(s, 0..2)
 * reads them back.  It pickles as CPython pickles a slice (the global
 * builtins.slice called with the three), which is how l[1:3] reaches a
 * manager's list.  Equal to a slice of equal items; unhashable (3.11).
 */
MPR_EXTERN mpr_obj_t *mpr_obj_slice(const mpr_obj_t *start,
                                    const mpr_obj_t *stop,
                                    const mpr_obj_t *step);

/*
 * The indices a slice selects in a sequence of len items, as CPython's
 * list applies one (PySlice_Unpack then PySlice_AdjustIndices): *start,
 * *stop and *step (never 0), and the number of items selected.
 * Errors: MPR_ETYPE "slice indices must be integers or None or have an
 * __index__ method" for an item that is not an int, a bool or None;
 * MPR_EVALUE "slice step cannot be zero".
 */
MPR_EXTERN int mpr_obj_slice_indices(const mpr_obj_t *s, size_t len,
                                     int64_t *start, int64_t *stop,
                                     int64_t *step, size_t *count);

/* ---- type and scalar accessors ----------------------------------------- */

/* Returns o's type.  o must not be NULL. */
MPR_EXTERN mpr_obj_type_t mpr_obj_type(const mpr_obj_t *o);

/* Returns type(o).__name__: "NoneType", "bool", "int", "float", "str",
 * "bytes", "tuple", "list", "dict", "slice", or a handle's class ("Lock",
 * "Connection").  Static string. */
MPR_EXTERN const char *mpr_obj_type_name(const mpr_obj_t *o);

/* Returns 1 if o is None (o is None), else 0. */
MPR_EXTERN int mpr_obj_is_none(const mpr_obj_t *o);

/* Returns bool(o) as Python computes it (0 or 1). */
MPR_EXTERN int mpr_obj_truth(const mpr_obj_t *o);

/*
 * Reads an int or a bool as int64_t (operator.index(o)).
 * Errors: MPR_ETYPE (TypeError) for any other type, with CPython's
 * message "'float' object cannot be interpreted as an integer".
 */
MPR_EXTERN int mpr_obj_as_int64(const mpr_obj_t *o, int64_t *out);

/*
 * Reads an int, a bool or a float as double (float(o)).
 * Errors: MPR_ETYPE for any other type.
 */
MPR_EXTERN int mpr_obj_as_double(const mpr_obj_t *o, double *out);

/* Returns the value of an int or bool (asserts the type). */
MPR_EXTERN int64_t mpr_obj_int_value(const mpr_obj_t *o);

/* Returns the value of a float (asserts the type). */
MPR_EXTERN double mpr_obj_float_value(const mpr_obj_t *o);

/*
 * Returns the UTF-8 text of a str, NUL-terminated, and its length in
 * bytes through len (may be NULL).  Borrowed: valid while o lives.
 * A str decoded from a pickle may hold lone surrogates, encoded as
 * CPython's "surrogatepass" does (ED A0 80 .. ED BF BF).
 */
MPR_EXTERN const char *mpr_obj_str_utf8(const mpr_obj_t *o, size_t *len);

/* Returns the bytes of a bytes object and their count through len.
 * Borrowed. */
MPR_EXTERN const unsigned char *mpr_obj_bytes_data(const mpr_obj_t *o,
                                                   size_t *len);

/* ---- containers -------------------------------------------------------- */

/* Returns len(o): code points of a str, bytes of a bytes object, items of
 * a tuple, list or dict; 0 for the other types. */
MPR_EXTERN size_t mpr_obj_len(const mpr_obj_t *o);

/* Returns item i of a tuple or list (borrowed), or NULL when i is out of
 * range or o is neither; a slice's items are start, stop and step. */
MPR_EXTERN mpr_obj_t *mpr_obj_item(const mpr_obj_t *o, size_t i);

/*
 * Puts v at index i of a tuple under construction (refcount 1) or of a
 * list, dropping the item it replaces.  Steals v.
 * Errors: MPR_EINDEX (IndexError: "list assignment index out of range");
 * -ENOMEM if v is NULL.
 */
MPR_EXTERN int mpr_obj_tuple_set_steal(mpr_obj_t *t, size_t i, mpr_obj_t *v);
MPR_EXTERN int mpr_obj_list_set(mpr_obj_t *l, size_t i, mpr_obj_t *v);
MPR_EXTERN int mpr_obj_list_set_steal(mpr_obj_t *l, size_t i, mpr_obj_t *v);

/* list.append(v).  Errors: -ENOMEM. */
MPR_EXTERN int mpr_obj_list_append(mpr_obj_t *l, mpr_obj_t *v);
MPR_EXTERN int mpr_obj_list_append_steal(mpr_obj_t *l, mpr_obj_t *v);

/*
 * list.pop(i): removes item i and hands its reference to *out (new
 * reference).  i may be negative, counted from the end as in Python.
 * Errors: MPR_EINDEX ("pop from empty list", "pop index out of range").
 */
MPR_EXTERN int mpr_obj_list_pop(mpr_obj_t *l, ptrdiff_t i, mpr_obj_t **out);

/*
 * d[k] = v.  An equal key already present keeps its original key object
 * and position, as in Python.  mpr_obj_dict_set_steal steals k and v.
 * Errors: MPR_ETYPE ("unhashable type: 'list'"); -ENOMEM.
 */
MPR_EXTERN int mpr_obj_dict_set(mpr_obj_t *d, mpr_obj_t *k, mpr_obj_t *v);
MPR_EXTERN int mpr_obj_dict_set_steal(mpr_obj_t *d, mpr_obj_t *k, mpr_obj_t *v);

/*
 * Looks k up in d.  Returns: 1 and the value in *v (borrowed) when found,
 * 0 when missing (*v set to NULL).  mpr_obj_dict_get_str looks up a str key
 * given as NUL-terminated UTF-8.
 * Errors: MPR_ETYPE ("unhashable type: 'list'").
 */
MPR_EXTERN int mpr_obj_dict_get(const mpr_obj_t *d, const mpr_obj_t *k,
                                mpr_obj_t **v);
MPR_EXTERN int mpr_obj_dict_get_str(const mpr_obj_t *d, const char *key,
                                    mpr_obj_t **v);

/* del d[k].  Errors: MPR_EKEY (KeyError, detail is repr(k)); MPR_ETYPE. */
MPR_EXTERN int mpr_obj_dict_del(mpr_obj_t *d, const mpr_obj_t *k);

/*
 * Iterates d in insertion order.  Start with *pos = 0.  Returns 1 with the
 * next key and value (borrowed; either pointer may be NULL) and advances
 * *pos, 0 when done.  The dict must not change during the iteration.
 */
MPR_EXTERN int mpr_obj_dict_next(const mpr_obj_t *d, size_t *pos, mpr_obj_t **k,
                                 mpr_obj_t **v);

/* ---- handles: primitives as values ------------------------------------- */

/*
 * A value standing for a primitive (a Lock, a Queue, a Connection...), as
 * a Python object is one: put it in a Process's args, kwargs, or anything
 * nested in them, and the child finds the same primitive at the same
 * place in its own args, whatever the start method.  A fork child
 * inherits the primitive itself; a spawn or forkserver child gets it
 * rebuilt from the reduction the start method chose (a descriptor
 * duplicated for the child, a SemLock looked up by its token...), as
 * CPython pickles args with the spawning Popen set.  Outside a process's
 * args the value does not pickle: a Lock (or a Queue, Condition, Value...)
 * put in a Queue or sent through a Pipe fails with CPython's RuntimeError
 * "Lock objects should only be shared between processes through
 * inheritance".
 *
 * mpr_obj_handle returns a new reference to a value that borrows ptr:
 * the caller keeps the primitive until the value and every process
 * started with it no longer need it (CPython's parent, too, must keep a
 * Lock alive until the child has unpickled it).  In a spawn or forkserver
 * child the rebuilt primitives belong to their values and are freed with
 * them.  Equality and hashing go by identity (the same primitive);
 * type_name and repr are the primitive's ("Lock", "<Lock(owner=None)>").
 * Errors: MPR_EVALUE ("unknown handle kind 42") for a kind outside
 * mpr_handle_kind_t or a NULL ptr; -ENOMEM.
 */
MPR_EXTERN mpr_obj_t *mpr_obj_handle(mpr_handle_kind_t kind, void *ptr);

/* The kind of a handle value, or 0 when o is not one. */
MPR_EXTERN int mpr_obj_handle_kind(const mpr_obj_t *o);

/* The primitive a handle of that kind stands for (borrowed: valid while o
 * lives), or NULL when o is not a handle of that kind. */
MPR_EXTERN void *mpr_obj_handle_ptr(const mpr_obj_t *o, mpr_handle_kind_t kind);

/* ---- objects of the program's own classes ----------------------------- */

/*
 * A class of the program's own with a __reduce__, as
 *
 *     class A:
 *         def __reduce__(self):
 *             raise RuntimeError('cannot pickle')
 *
 * (CPython's _TestPool.test_map_unplicklable): what repr, pickling and
 * freeing do with an instance's data.
 * zero-initialise; fields may be added.
 */
typedef struct {
    const char *name; /* type(o).__name__ (not copied: keep it alive) */
    /* repr(o) in a malloc'd, NUL-terminated buffer: 0, or a negative
     * code; NULL: "<NAME object at 0x...>" */
    int (*repr)(void *data, char **out, size_t *len);
    /* __reduce__: 0 and a plain value (new reference) that is pickled in
     * o's place (the receiver gets that value), or a negative code, the
     * exception that pickling raises (mpr_target_error sets its message).
     * Required. */
    int (*reduce)(void *data, mpr_obj_t **out);
    /* frees data with the value's last reference; NULL: nothing to do */
    void (*free)(void *data);
} mpr_class_t;

/*
 * An instance of cls holding data: a handle value of kind
 * MPR_HANDLE_OBJECT.  Pickling it (mpr_pickle_dumps, a Queue's put, a
 * Pool's task or result, a child's args under spawn) calls cls->reduce
 * once per pickle and pickles what it returns (the same value again for a
 * second occurrence, as CPython's memo does), or fails with its error; so
 * a Pool task over it fails in the caller, and a result that is one gives
 * MaybeEncodingError (pool.h).  A fork child inherits the object itself.
 * Equality and hashing go by identity; mpr_obj_type_name is cls->name.
 * Returns: a new reference; data belongs to the value from then on (even
 * when this fails: cls->free is called then).
 * Errors: -ENOMEM.
 */
MPR_EXTERN mpr_obj_t *mpr_obj_object(const mpr_class_t *cls, void *data);

/* The data of an instance of cls (borrowed), or NULL when o is not one. */
MPR_EXTERN void *mpr_obj_object_data(const mpr_obj_t *o,
                                     const mpr_class_t *cls);

/* ---- equality, hashing, repr ------------------------------------------- */

/*
 * a == b as Python 3.11 evaluates it for these types: 1 == 1.0 == True,
 * int/float compared exactly, nan != nan except as the same object inside a
 * container (Python's `x is y or x == y`), dicts regardless of order.
 * Returns: 1 or 0.
 * Errors: MPR_ERECURSION past MPR_OBJ_MAX_DEPTH levels.
 */
MPR_EXTERN int mpr_obj_eq(const mpr_obj_t *a, const mpr_obj_t *b);

/*
 * hash(o), equal to CPython's for None-free numeric values (ints, bools,
 * floats and tuples of them), so 1, 1.0 and True hash alike.  str and
 * bytes hash with a fixed function (CPython's is randomised per process).
 * Errors: MPR_ETYPE ("unhashable type: 'list'"), MPR_ERECURSION.
 */
MPR_EXTERN int mpr_obj_hash(const mpr_obj_t *o, int64_t *out);

/*
 * repr(o), byte for byte as CPython 3.11 prints it, in a NUL-terminated
 * buffer the caller frees with mpr_free(); len (may be NULL) receives its
 * length.  (obj_repr.c)
 * Errors: -ENOMEM; MPR_ERECURSION past MPR_OBJ_MAX_DEPTH levels.
 */
MPR_EXTERN int mpr_obj_repr(const mpr_obj_t *o, char **out, size_t *len);

#endif /* MPR_OBJ_H */
