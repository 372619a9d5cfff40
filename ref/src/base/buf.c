/*
 * buf.c - the growable byte buffer and mpr__sprintf (buf.h).  No state.
 */
#include "base/buf.h"
#include "base/internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int mpr__buf_put(mpr__buf_t *b, const void *p, size_t n)
{
    if (b->err)
        return b->err;
    if (n >= b->cap - b->len || b->data == NULL) {
        size_t cap = b->cap < 64 ? 64 : b->cap;
        char *data;
        while (cap - b->len <= n) {
            if (cap > SIZE_MAX / 2)
                return b->err = mpr__error(MPR__ERR(ENOMEM), NULL);
            cap *= 2;
        }
        if ((data = mpr__sys.realloc(b->data, cap)) == NULL)
            return b->err = mpr__error(MPR__ERR(ENOMEM), NULL);
        b->data = data;
        b->cap = cap;
    }
    if (n > 0)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    return 0;
}

int mpr__buf_putc(mpr__buf_t *b, int c)
{
    char ch = (char)c;
    return mpr__buf_put(b, &ch, 1);
}

int mpr__buf_puts(mpr__buf_t *b, const char *s)
{
    return mpr__buf_put(b, s, strlen(s));
}

int mpr__buf_finish(mpr__buf_t *b, char **out, size_t *len)
{
    if (b->err == 0)
        mpr__buf_put(b, "", 1); /* room for the NUL, not counted */
    if (b->err) {
        free(b->data);
        *out = NULL;
        return b->err;
    }
    b->data[--b->len] = '\0';
    *out = b->data;
    if (len != NULL)
        *len = b->len;
    return 0;
}

int mpr__sprintf(char **out, size_t *len, const char *fmt, ...)
{
    va_list ap;
    char *p;
    int n;

    va_start(ap, fmt);
    n = mpr__vasprintf(&p, fmt, ap);
    va_end(ap);
    if (n < 0)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    *out = p;
    if (len != NULL)
        *len = (size_t)n;
    return 0;
}
