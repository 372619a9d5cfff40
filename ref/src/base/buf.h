/*
 * buf.h - a growable byte buffer (repr, pickle) and asprintf into a
 * caller's (char **out, size_t *len), the shape of every repr.
 */
#ifndef MPR_BASE_BUF_H
#define MPR_BASE_BUF_H

#include <stddef.h>

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

/* asprintf into (*out, *len), the shape of every repr: a buffer freed
 * with mpr_free; len may be NULL.  Returns 0 or -ENOMEM. */
int mpr__sprintf(char **out, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* MPR_BASE_BUF_H */
