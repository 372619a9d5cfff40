/*
 * util.h - small helpers of the runner: checked allocation, growable
 * strings and string vectors, whole-file reading.
 *
 * Allocation failure aborts the runner with a message: the runner is a
 * command-line tool and has nothing sensible to do without memory.
 */
#ifndef MPC_UTIL_H
#define MPC_UTIL_H

#include <stdarg.h>
#include <stddef.h>

void *mpc_xmalloc(size_t n);
void *mpc_xcalloc(size_t n, size_t size);
void *mpc_xrealloc(void *p, size_t n);
char *mpc_xstrdup(const char *s);
char *mpc_xstrndup(const char *s, size_t n);
char *mpc_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable NUL-terminated byte string. */
typedef struct {
    char *s;
    size_t len, cap;
} mpc_buf_t;

void mpc_buf_init(mpc_buf_t *b);
void mpc_buf_add(mpc_buf_t *b, const char *s, size_t n);
void mpc_buf_adds(mpc_buf_t *b, const char *s);
void mpc_buf_addc(mpc_buf_t *b, char c);
void mpc_buf_printf(mpc_buf_t *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Returns the string (never NULL) and leaves b empty. */
char *mpc_buf_take(mpc_buf_t *b);
void mpc_buf_free(mpc_buf_t *b);

/* A growable vector of owned strings. */
typedef struct {
    char **v;
    size_t n, cap;
} mpc_strv_t;

void mpc_strv_push(mpc_strv_t *sv, char *owned);
void mpc_strv_pushdup(mpc_strv_t *sv, const char *s);
int mpc_strv_has(const mpc_strv_t *sv, const char *s);
void mpc_strv_free(mpc_strv_t *sv);
/* Split s on any of seps, skipping empty fields; appends copies. */
void mpc_strv_split(mpc_strv_t *sv, const char *s, const char *seps);

/* Read a whole file; returns NULL (errno set) on failure.  *len gets the
 * size; the result is NUL-terminated. */
char *mpc_read_file(const char *path, size_t *len);

/* Trim blanks (space, tab, CR) at both ends, in place; returns s. */
char *mpc_trim(char *s);

/* A size: a number of bytes, or of KiB, MiB, GiB with K, M, G after it
 * ("256M").  0, or -1 when s is not one (or is 0, or overflows). */
int mpc_parse_size(const char *s, size_t *out);

/* Monotonic clock in seconds. */
double mpc_now(void);

/* mkdir -p; returns 0 or -1 (errno set). */
int mpc_mkdirs(const char *path);

#endif /* MPC_UTIL_H */
