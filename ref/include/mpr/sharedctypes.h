/*
 * sharedctypes.h - multiprocessing.Value, Array, RawValue and RawArray
 * (CPython 3.11 sharedctypes): ctypes values in shared memory, wrapped,
 * unless raw, with a lock (Synchronized, SynchronizedArray,
 * SynchronizedString).
 *
 * Typecodes: 'b' 'B' 'h' 'H' 'i' 'I' 'l' 'L' 'q' 'Q' 'f' 'd' 'c' 'u' (c_byte
 * .. c_double, c_char, c_wchar); any other string is TypeError "this type
 * has no size".  Values convert as ctypes converts them: integers wrap
 * silently, 'f' rounds to float, wrong types give CPython's TypeError.
 * Values cross the API as mpr_obj_t (borrowed in, new references out) or
 * through the typed accessors (int64, double, char).  A synchronized
 * object's accessors take its lock around each access, as the Python
 * wrapper's properties do.
 */
#ifndef MPR_SHAREDCTYPES_H
#define MPR_SHAREDCTYPES_H

#include "common.h"
#include "lock.h"
#include "obj.h"

#include <stddef.h>
#include <stdint.h>

typedef struct mpr_value_s mpr_value_t;
typedef struct mpr_array_s mpr_array_t;

/*
 * The lock= keyword.  zero-initialise; fields may be added.
 * NULL or zeroed: lock=True (a new RLock).  raw=1: lock=False (the object
 * is not synchronized, as RawValue/RawArray).  lock set: that Lock or
 * RLock (the object keeps a reference).
 * lock_value set: the keyword as a value, with Python's rules (raw and
 * lock are then ignored): False gives a raw object, True (or 1 == True)
 * and None a new RLock, a Lock/RLock/Semaphore handle value
 * (MPR_HANDLE_SEMLOCK) that lock, and any other value AttributeError
 * "'navalue' has no method 'acquire'" (its repr), raised after the
 * initializer was converted, as CPython checks it.  (A Condition, which
 * CPython would accept for its acquire(), is refused like a non-lock.)
 */
typedef struct {
    int raw;                     /* lock=False */
    mpr_semlock_t *lock;         /* lock=<lock>; NULL: lock=True/None */
    const mpr_obj_t *lock_value; /* lock=<any value>, borrowed */
} mpr_sync_options_t;

/* A missing slice bound (Python's None in a[start:stop:step]). */
#define MPR_SLICE_NONE PTRDIFF_MIN

/* ---- Value ----------------------------------------------------------------
 */

/*
 * Value(typecode, init, lock=...): init NULL (no argument) gives the zero
 * value; None is converted like any other object (a TypeError).
 * Returns: 0 and the object in *out.
 * Errors: MPR_ETYPE "this type has no size" (bad typecode), CPython's
 * conversion TypeErrors ("'float' object cannot be interpreted as an
 * integer", "must be real number, not str", "one character bytes,
 * bytearray or integer expected", "one character unicode string
 * expected", "unicode string expected instead of bytes instance");
 * -errno from the shared mapping.
 */
MPR_EXTERN int mpr_value_new(mpr_value_t **out, const char *typecode,
                             const mpr_obj_t *init,
                             const mpr_sync_options_t *opts);

/* RawValue(typecode, init): Value with lock=False. */
MPR_EXTERN int mpr_rawvalue_new(mpr_value_t **out, const char *typecode,
                                const mpr_obj_t *init);

MPR_EXTERN void mpr_value_free(mpr_value_t *v);

/* .value as an object (new reference in *out), and .value = obj.
 * Errors: the conversion TypeErrors above; MPR_EOVERFLOW for a 'Q'/'L'
 * value above 2**63-1 (mpr_obj_t ints are 64-bit). */
MPR_EXTERN int mpr_value_get(mpr_value_t *v, mpr_obj_t **out);
MPR_EXTERN int mpr_value_set(mpr_value_t *v, const mpr_obj_t *value);

/* Typed .value: int64 for the integer codes and 'c' (the byte) and 'u'
 * (the code point); double for every numeric code.  Setters wrap like
 * ctypes.  Errors: MPR_ETYPE when the typecode does not fit the C type. */
MPR_EXTERN int mpr_value_get_int64(mpr_value_t *v, int64_t *out);
MPR_EXTERN int mpr_value_set_int64(mpr_value_t *v, int64_t value);
MPR_EXTERN int mpr_value_get_double(mpr_value_t *v, double *out);
MPR_EXTERN int mpr_value_set_double(mpr_value_t *v, double value);

/* get_lock(): the lock (borrowed), NULL with MPR_EATTR "'c_int' object has
 * no attribute 'get_lock'" for a raw value. */
MPR_EXTERN mpr_semlock_t *mpr_value_get_lock(mpr_value_t *v);

/*
 * get_obj(): the raw c_int the wrapper wraps, as a raw value over the same
 * shared memory (borrowed: owned by v, the same object on every call).
 * Returns: 0 and the object in *out.
 * Errors: MPR_EATTR "'c_int' object has no attribute 'get_obj'" for a raw
 * value (lock=False, RawValue); -ENOMEM.
 */
MPR_EXTERN int mpr_value_get_obj(mpr_value_t *v, mpr_value_t **out);

/* acquire()/release() of the wrapper (the lock's).  Errors: as lock.h;
 * MPR_EATTR for a raw value. */
MPR_EXTERN int mpr_value_acquire(mpr_value_t *v, int block, double timeout);
MPR_EXTERN int mpr_value_release(mpr_value_t *v);

/* repr: "<Synchronized wrapper for c_double(3.1415927)>", raw "c_int(5)".
 * get_obj's repr: "c_double(3.1415927)". */
MPR_EXTERN int mpr_value_repr(mpr_value_t *v, char **out, size_t *len);
MPR_EXTERN int mpr_value_obj_repr(mpr_value_t *v, char **out, size_t *len);

/* The typecode the object was made with. */
MPR_EXTERN char mpr_value_typecode(const mpr_value_t *v);

/* type(v.get_obj()).__name__: "c_double" (static string). */
MPR_EXTERN const char *mpr_value_obj_type_name(const mpr_value_t *v);

/* Token for a process started later (see mpr_semlock_reduce), and back. */
MPR_EXTERN int mpr_value_reduce(const mpr_value_t *v, mpr_obj_t **out);
MPR_EXTERN int mpr_value_rebuild(mpr_value_t **out, const mpr_obj_t *tok);

/* ---- Array ----------------------------------------------------------------
 */

/*
 * Array(typecode, size_or_initializer, lock=...): an int gives that many
 * zeros; a list, tuple, bytes or str gives its items.
 * Returns: 0 and the object in *out.
 * Errors: MPR_ETYPE "this type has no size"; MPR_EVALUE "Array length must
 * be >= 0, not -1"; MPR_ETYPE "object of type 'float' has no len()"; the
 * conversion TypeErrors; -errno (-ENOMEM) from the shared mapping.
 */
MPR_EXTERN int mpr_array_new(mpr_array_t **out, const char *typecode,
                             const mpr_obj_t *size_or_init,
                             const mpr_sync_options_t *opts);

/* RawArray(typecode, size_or_initializer). */
MPR_EXTERN int mpr_rawarray_new(mpr_array_t **out, const char *typecode,
                                const mpr_obj_t *size_or_init);

MPR_EXTERN void mpr_array_free(mpr_array_t *a);

/* len(a). */
MPR_EXTERN size_t mpr_array_len(const mpr_array_t *a);

/* a[i] (negative i counts from the end) as an object, a[i] = obj.
 * Errors: MPR_EINDEX "invalid index"; conversion TypeErrors. */
MPR_EXTERN int mpr_array_get_item(mpr_array_t *a, ptrdiff_t i, mpr_obj_t **out);
MPR_EXTERN int mpr_array_set_item(mpr_array_t *a, ptrdiff_t i,
                                  const mpr_obj_t *value);

/* Typed a[i] (as mpr_value_get_int64 and friends).  Errors: MPR_EINDEX
 * "invalid index"; MPR_ETYPE. */
MPR_EXTERN int mpr_array_get_int64(mpr_array_t *a, ptrdiff_t i, int64_t *out);
MPR_EXTERN int mpr_array_set_int64(mpr_array_t *a, ptrdiff_t i, int64_t v);
MPR_EXTERN int mpr_array_get_double(mpr_array_t *a, ptrdiff_t i, double *out);
MPR_EXTERN int mpr_array_set_double(mpr_array_t *a, ptrdiff_t i, double v);

/*
 * a[start:stop:step] (MPR_SLICE_NONE for an omitted bound): a list, bytes
 * for 'c', str for 'u' (new reference).  a[start:stop:step] = seq.
 * Errors: MPR_EVALUE "slice step cannot be zero"; MPR_EVALUE "Can only
 * assign sequence of same size"; conversion TypeErrors.
 */
MPR_EXTERN int mpr_array_get_slice(mpr_array_t *a, ptrdiff_t start,
                                   ptrdiff_t stop, ptrdiff_t step,
                                   mpr_obj_t **out);
MPR_EXTERN int mpr_array_set_slice(mpr_array_t *a, ptrdiff_t start,
                                   ptrdiff_t stop, ptrdiff_t step,
                                   const mpr_obj_t *seq);

/* SynchronizedString's .value (bytes up to the first NUL) and .raw (all
 * bytes), for 'c' arrays; setting value writes a NUL after it when room.
 * Errors: MPR_EATTR "'SynchronizedArray' object has no attribute 'value'"
 * for other typecodes; MPR_EVALUE "byte string too long". */
MPR_EXTERN int mpr_array_get_value(mpr_array_t *a, mpr_obj_t **out);
MPR_EXTERN int mpr_array_set_value(mpr_array_t *a, const mpr_obj_t *bytes);
MPR_EXTERN int mpr_array_get_raw(mpr_array_t *a, mpr_obj_t **out);
MPR_EXTERN int mpr_array_set_raw(mpr_array_t *a, const mpr_obj_t *bytes);

/* The elements in shared memory, for bulk access (borrowed; take the lock
 * yourself). */
MPR_EXTERN void *mpr_array_buffer(mpr_array_t *a);

/* get_obj(), as for Value: a raw array over the same memory (borrowed),
 * or MPR_EATTR "'c_int_Array_10' object has no attribute 'get_obj'". */
MPR_EXTERN int mpr_array_get_obj(mpr_array_t *a, mpr_array_t **out);

/* get_lock(), acquire(), release(), as for Value. */
MPR_EXTERN mpr_semlock_t *mpr_array_get_lock(mpr_array_t *a);
MPR_EXTERN int mpr_array_acquire(mpr_array_t *a, int block, double timeout);
MPR_EXTERN int mpr_array_release(mpr_array_t *a);

/* repr: "<SynchronizedArray wrapper for <multiprocessing.sharedctypes.
 * c_int_Array_10 object at 0x...>>" (SynchronizedString for 'c'), raw and
 * get_obj: "<multiprocessing.sharedctypes.c_int_Array_3 object at 0x...>". */
MPR_EXTERN int mpr_array_repr(mpr_array_t *a, char **out, size_t *len);
MPR_EXTERN int mpr_array_obj_repr(mpr_array_t *a, char **out, size_t *len);

MPR_EXTERN char mpr_array_typecode(const mpr_array_t *a);

/* type(a.get_obj()).__name__: "c_int_Array_10".  Borrowed (lives as long
 * as a). */
MPR_EXTERN const char *mpr_array_obj_type_name(const mpr_array_t *a);

/* Token for a process started later (see mpr_semlock_reduce), and back. */
MPR_EXTERN int mpr_array_reduce(const mpr_array_t *a, mpr_obj_t **out);
MPR_EXTERN int mpr_array_rebuild(mpr_array_t **out, const mpr_obj_t *tok);

/* ---- Value of a ctypes Structure ----------------------------------------- */

/* One entry of _fields_: (name, C type), the type as a typecode ('i' for
 * c_int, 'd' for c_double, 'q' for c_longlong, ...). */
typedef struct {
    const char *name;     /* an identifier of at most 64 characters */
    const char *typecode; /* as for mpr_value_new */
} mpr_field_t;

/* class Foo(Structure): _fields_ = [...].  Laid out as ctypes lays it out
 * (natural alignment, the C compiler's layout). */
typedef struct {
    const char *name; /* __name__, an identifier of at most 64 characters */
    const mpr_field_t *fields;
    size_t n_fields; /* at most 64 */
} mpr_struct_type_t;

/* A Structure in shared memory: RawValue(Foo, ...) or the
 * SynchronizedFoo of Value(Foo, ...). */
typedef struct mpr_struct_s mpr_struct_t;

/*
 * Value(Foo, *args, lock=...): a Foo in shared memory, zeroed, then its
 * fields set from args in order (Foo.__init__(*args); args is a tuple or
 * NULL for none).  With a lock (the default) the object is a
 * SynchronizedFoo whose field accesses take it.
 * Returns: 0 and the object in *out.
 * Errors: MPR_ETYPE "too many initializers", "second item in _fields_
 * tuple (index N) must be a C type" (a bad typecode), the conversion
 * TypeErrors of mpr_value_new; MPR_EVALUE for a name that is not an
 * identifier of at most 64 characters, a duplicate field, more than 64
 * fields (libmpref's limits: a token carries the layout as text); -errno
 * from the shared mapping.
 */
MPR_EXTERN int mpr_struct_value_new(mpr_struct_t **out,
                                    const mpr_struct_type_t *type,
                                    const mpr_obj_t *args,
                                    const mpr_sync_options_t *opts);

/* RawValue(Foo, *args): mpr_struct_value_new with lock=False. */
MPR_EXTERN int mpr_struct_rawvalue_new(mpr_struct_t **out,
                                       const mpr_struct_type_t *type,
                                       const mpr_obj_t *args);

/* Unmaps in this process and frees.  NULL is a no-op. */
MPR_EXTERN void mpr_struct_free(mpr_struct_t *s);

/*
 * obj.field and obj.field = value, under the lock of a synchronized
 * object.  *out is a new reference.
 * Errors: MPR_EATTR "'SynchronizedFoo' object has no attribute 'w'"
 * ('Foo' for a raw one); the conversion TypeErrors of mpr_value_set.
 */
MPR_EXTERN int mpr_struct_get(mpr_struct_t *s, const char *field,
                              mpr_obj_t **out);
MPR_EXTERN int mpr_struct_set(mpr_struct_t *s, const char *field,
                              const mpr_obj_t *value);

/*
 * sharedctypes.copy(obj): a new raw Foo in shared memory with the same
 * bytes, independent of the original.
 * Errors: -errno from the shared mapping; -ENOMEM.
 */
MPR_EXTERN int mpr_struct_copy(mpr_struct_t **out, mpr_struct_t *s);

/* type(obj).__name__: "SynchronizedFoo", or "Foo" for a raw one. */
MPR_EXTERN const char *mpr_struct_type_name(const mpr_struct_t *s);

/* ctypes.sizeof(Foo). */
MPR_EXTERN size_t mpr_struct_sizeof(const mpr_struct_t *s);

/* get_lock(), acquire(), release() of a synchronized object.
 * Errors: MPR_EATTR "'Foo' object has no attribute 'get_lock'" (raw). */
MPR_EXTERN mpr_semlock_t *mpr_struct_get_lock(mpr_struct_t *s);
MPR_EXTERN int mpr_struct_acquire(mpr_struct_t *s, int block, double timeout);
MPR_EXTERN int mpr_struct_release(mpr_struct_t *s);

/*
 * The object as a str token for a child under any start method (its
 * layout as text, its segment and lock as for mpr_value_reduce); rebuild
 * maps it in the child (free with mpr_struct_free).
 * Errors: MPR_EVALUE "bad shared handle" for a token that is not one;
 * those of mpr_value_rebuild.
 */
MPR_EXTERN int mpr_struct_reduce(const mpr_struct_t *s, mpr_obj_t **out);
MPR_EXTERN int mpr_struct_rebuild(mpr_struct_t **out, const mpr_obj_t *tok);

#endif /* MPR_SHAREDCTYPES_H */
