/*
 * sharedctypes_internal.h - internal: what sharedctypes.c (Value),
 * sharedctypes_array.c (Array) and sharedctypes_conv.c (typecodes, ctypes'
 * conversions, the shared body of both) share.
 */
#ifndef MPR_SHAREDCTYPES_INTERNAL_H
#define MPR_SHAREDCTYPES_INTERNAL_H

#include "mpr/sharedctypes.h"
#include "base/shm.h"

#include <stddef.h>
#include <stdint.h>

enum { MPR__K_SINT, MPR__K_UINT, MPR__K_FLOAT, MPR__K_CHAR, MPR__K_WCHAR };

typedef struct {
    char code;
    unsigned char size;
    unsigned char kind;
    const char *ctype;
} mpr__sct_type_t;

typedef struct {
    const mpr__sct_type_t *tc;
    mpr__shm_t *shm;
    unsigned char *data;
    size_t len;          /* elements (1 for a Value) */
    mpr_semlock_t *lock; /* NULL: raw */
} mpr__sct_body_t;

struct mpr_value_s {
    mpr__sct_body_t b;
    mpr_value_t *obj; /* get_obj()'s raw view, made on first call */
};
struct mpr_array_s {
    mpr__sct_body_t b;
    mpr_array_t *obj;       /* get_obj()'s raw view, made on first call */
    char obj_type_name[64]; /* "c_int_Array_10", made with the object */
};

/* The typecode's row, or NULL ("this type has no size"). */
const mpr__sct_type_t *mpr__sct_find_tc(const char *code);

/* One UTF-8 code point: decode (returns bytes used), encode (bytes
 * written, at most 4). */
size_t mpr__sct_utf8_decode1(const char *s, size_t n, uint32_t *cp);
size_t mpr__sct_utf8_encode1(uint32_t cp, char *out);

/* ctypes' setfunc/getfunc for one element at p, with CPython's errors. */
int mpr__sct_put_elem(const mpr__sct_type_t *tc, void *p, const mpr_obj_t *o);
int mpr__sct_get_elem(const mpr__sct_type_t *tc, const void *p,
                      mpr_obj_t **out);
int mpr__sct_get_i64(const mpr__sct_type_t *tc, const void *p, int64_t *out);
int mpr__sct_set_i64(const mpr__sct_type_t *tc, void *p, int64_t v);
int mpr__sct_get_dbl(const mpr__sct_type_t *tc, const void *p, double *out);
int mpr__sct_set_dbl(const mpr__sct_type_t *tc, void *p, double v);

/* The lock around an access (nothing for a raw object). */
void mpr__sct_lock_body(mpr__sct_body_t *b);
void mpr__sct_unlock_body(mpr__sct_body_t *b);

/* Segment of a body, then (once filled) its lock as opts says; free;
 * tokens ("<type><code><len>|<lock token or ->|<segment token>"). */
int mpr__sct_body_init(mpr__sct_body_t *b, const mpr__sct_type_t *tc,
                       size_t len);
int mpr__sct_body_lock(mpr__sct_body_t *b, const mpr_sync_options_t *opts);
void mpr__sct_body_free(mpr__sct_body_t *b);
int mpr__sct_body_token(const mpr__sct_body_t *b, char type, mpr_obj_t **out);
int mpr__sct_body_from_token(mpr__sct_body_t *b, char type,
                             const mpr_obj_t *tok);

/* AttributeError "'c_int' object has no attribute '<what>'". */
int mpr__sct_no_lock(mpr__sct_body_t *b, const char *what);

#endif /* MPR_SHAREDCTYPES_INTERNAL_H */
