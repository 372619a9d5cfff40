/* util.c - see util.h. */
#include "util.h"

#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void oom(void)
{
    fputs("mpconform: out of memory\n", stderr);
    abort();
}

void *mpc_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *mpc_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

void *mpc_xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        oom();
    return p;
}

char *mpc_xstrdup(const char *s)
{
    return mpc_xstrndup(s, strlen(s));
}

char *mpc_xstrndup(const char *s, size_t n)
{
    char *p = mpc_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *mpc_xasprintf(const char *fmt, ...)
{
    char *s;
    va_list ap;

    /* vasprintf rather than the two-pass vsnprintf(NULL, 0): gcc 12 with
     * -fsanitize=undefined -O2 flags the NULL buffer as a null format. */
    va_start(ap, fmt);
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0)
        oom();
    return s;
}

void mpc_buf_init(mpc_buf_t *b)
{
    b->s = NULL;
    b->len = b->cap = 0;
}

static void buf_reserve(mpc_buf_t *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->s = mpc_xrealloc(b->s, cap);
    b->cap = cap;
}

void mpc_buf_add(mpc_buf_t *b, const char *s, size_t n)
{
    buf_reserve(b, n);
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void mpc_buf_adds(mpc_buf_t *b, const char *s)
{
    mpc_buf_add(b, s, strlen(s));
}

void mpc_buf_addc(mpc_buf_t *b, char c)
{
    mpc_buf_add(b, &c, 1);
}

void mpc_buf_printf(mpc_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *mpc_buf_take(mpc_buf_t *b)
{
    char *s = b->s ? b->s : mpc_xstrdup("");
    mpc_buf_init(b);
    return s;
}

void mpc_buf_free(mpc_buf_t *b)
{
    free(b->s);
    mpc_buf_init(b);
}

void mpc_strv_push(mpc_strv_t *sv, char *owned)
{
    if (sv->n + 1 >= sv->cap) {
        sv->cap = sv->cap ? sv->cap * 2 : 8;
        sv->v = mpc_xrealloc(sv->v, sv->cap * sizeof *sv->v);
    }
    sv->v[sv->n++] = owned;
    sv->v[sv->n] = NULL;
}

void mpc_strv_pushdup(mpc_strv_t *sv, const char *s)
{
    mpc_strv_push(sv, mpc_xstrdup(s));
}

int mpc_strv_has(const mpc_strv_t *sv, const char *s)
{
    for (size_t i = 0; i < sv->n; i++)
        if (strcmp(sv->v[i], s) == 0)
            return 1;
    return 0;
}

void mpc_strv_free(mpc_strv_t *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        free(sv->v[i]);
    free(sv->v);
    sv->v = NULL;
    sv->n = sv->cap = 0;
}

void mpc_strv_split(mpc_strv_t *sv, const char *s, const char *seps)
{
    while (*s) {
        size_t skip = strspn(s, seps);
        s += skip;
        size_t n = strcspn(s, seps);
        if (n)
            mpc_strv_push(sv, mpc_xstrndup(s, n));
        s += n;
    }
}

char *mpc_read_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    mpc_buf_t b;
    mpc_buf_init(&b);
    char chunk[8192];
    for (;;) {
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            close(fd);
            mpc_buf_free(&b);
            errno = e;
            return NULL;
        }
        if (r == 0)
            break;
        mpc_buf_add(&b, chunk, (size_t)r);
    }
    close(fd);
    if (len)
        *len = b.len;
    return mpc_buf_take(&b);
}

char *mpc_trim(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    size_t k = strspn(s, " \t");
    if (k)
        memmove(s, s + k, n - k + 1);
    return s;
}

int mpc_parse_size(const char *s, size_t *out)
{
    char *e;
    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &e, 10);
    int shift = *e == 'K' ? 10 : *e == 'M' ? 20 : *e == 'G' ? 30 : 0;
    if (shift)
        e++;
    if (errno || *e || v == 0 || v > (SIZE_MAX >> shift))
        return -1;
    *out = (size_t)v << shift;
    return 0;
}

double mpc_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int mpc_mkdirs(const char *path)
{
    char *p = mpc_xstrdup(path);
    for (char *q = p + 1; *q; q++) {
        if (*q == '/') {
            *q = '\0';
            if (mkdir(p, 0777) < 0 && errno != EEXIST) {
                free(p);
                return -1;
            }
            *q = '/';
        }
    }
    int r = mkdir(p, 0777);
    free(p);
    if (r < 0 && errno != EEXIST)
        return -1;
    return 0;
}
