/*
 * model.c - helpers of the results model that the reporters share:
 * atomic file output, strings that may be NULL, UTF-8 decoding.
 */
#include "model.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int mdl_open(mdl_file_t *out, const char *path)
{
    memset(out, 0, sizeof *out);
    out->path = path;
    size_t n = strlen(path);
    out->tmp = malloc(n + 5);
    if (out->tmp == NULL) {
        fprintf(stderr, "mpconform: %s: out of memory\n", path);
        return -1;
    }
    memcpy(out->tmp, path, n);
    memcpy(out->tmp + n, ".tmp", 5);
    out->f = fopen(out->tmp, "w");
    if (out->f == NULL) {
        fprintf(stderr, "mpconform: cannot write %s: %s\n", out->tmp,
                strerror(errno));
        free(out->tmp);
        out->tmp = NULL;
        return -1;
    }
    return 0;
}

int mdl_close(mdl_file_t *rf, int failed)
{
    int rc = 0;
    if (rf->f == NULL)
        return -1;
    /* ferror catches any earlier failed write we did not check one by one;
     * fclose catches the final flush (ENOSPC shows up there). */
    if (ferror(rf->f)) {
        fprintf(stderr, "mpconform: error writing %s\n", rf->tmp);
        rc = -1;
    }
    if (fclose(rf->f) != 0 && rc == 0) {
        fprintf(stderr, "mpconform: error writing %s: %s\n", rf->tmp,
                strerror(errno));
        rc = -1;
    }
    rf->f = NULL;
    if (rc == 0 && !failed && rename(rf->tmp, rf->path) != 0) {
        fprintf(stderr, "mpconform: cannot rename %s to %s: %s\n", rf->tmp,
                rf->path, strerror(errno));
        rc = -1;
    }
    if (rc != 0 || failed) {
        unlink(rf->tmp);
        rc = -1;
    }
    free(rf->tmp);
    rf->tmp = NULL;
    return rc;
}

char *mdl_strdup(const char *s)
{
    s = mdl_str(s);
    size_t n = strlen(s) + 1;
    char *c = malloc(n);
    if (c != NULL)
        memcpy(c, s, n);
    return c;
}

const char *mdl_str(const char *s)
{
    return s != NULL ? s : "";
}

int mdl_utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
    static const unsigned min[5] = {0, 0, 0x80, 0x800, 0x10000};
    unsigned c = s[0];
    int len;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf)
        len = 2, c &= 0x1f;
    else if (c >= 0xe0 && c <= 0xef)
        len = 3, c &= 0x0f;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4, c &= 0x07;
    else
        return 0; /* continuation byte, 0xc0/0xc1 overlong, 0xf5+ */
    if ((size_t)len > n)
        return 0;
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3f);
    }
    if (c < min[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return len;
}
