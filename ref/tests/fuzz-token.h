/*
 * fuzz-token.h - the fixture the handle-token fuzz targets share.  A token
 * names a live segment ("<pid>:<fd>:<size>:<inode>"), which the fuzzer
 * cannot guess, so an input is a template: "$L" stands for the segment of
 * a Lock, "$A" for that of a raw Array of 1024 ints, "$F" for an ordinary
 * file this process holds open read-write (which no token may map),
 * "$p", "$a" and "$i" for this process's pid and the Array's descriptor
 * and inode.  Everything else is copied; the template ends at a NUL.
 *
 * The ordinary file holds 16-byte blocks that look like an unlocked Lock,
 * so a parser that mapped it would accept it; fuzz_token_file_intact()
 * says whether it still holds them.
 */
#ifndef FUZZ_TOKEN_H
#define FUZZ_TOKEN_H

#include <mpr.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FUZZ_TOKEN_MAX 4096
#define FUZZ_FILE_SIZE 4096

static struct {
    int ready;
    mpr_lock_t *lock;
    mpr_array_t *array;
    int file;
    char lock_seg[128], array_seg[128], file_seg[128];
    char pid[24], array_fd[24], array_ino[24];
    unsigned char pattern[FUZZ_FILE_SIZE];
} fuzz_fx;

/* The segment part of a reduced object's str: after the last '@' or '|'. */
static void fuzz_token_segment(mpr_obj_t *tok, char *seg, size_t size)
{
    const char *s = mpr_obj_str_utf8(tok, NULL);
    const char *p = strrchr(s, '|');

    if (p == NULL)
        p = strrchr(s, '@');
    if (p == NULL)
        abort();
    snprintf(seg, size, "%s", p + 1);
    mpr_obj_decref(tok);
}

static void fuzz_token_setup(void)
{
    char path[] = "/tmp/mpr-fuzz-token-XXXXXX";
    mpr_obj_t *tok, *n;
    struct stat st;
    unsigned long long fd, ino;

    if (fuzz_fx.ready)
        return;
    n = mpr_obj_int(1024);
    if (mpr_lock_new(&fuzz_fx.lock) != 0 ||
        mpr_rawarray_new(&fuzz_fx.array, "i", n) != 0)
        abort();
    mpr_obj_decref(n);
    if (mpr_semlock_reduce(fuzz_fx.lock, &tok) != 0)
        abort();
    fuzz_token_segment(tok, fuzz_fx.lock_seg, sizeof(fuzz_fx.lock_seg));
    if (mpr_array_reduce(fuzz_fx.array, &tok) != 0)
        abort();
    fuzz_token_segment(tok, fuzz_fx.array_seg, sizeof(fuzz_fx.array_seg));
    if (sscanf(fuzz_fx.array_seg, "%*d:%llu:%*u:%llu", &fd, &ino) != 2)
        abort();
    snprintf(fuzz_fx.array_fd, sizeof(fuzz_fx.array_fd), "%llu", fd);
    snprintf(fuzz_fx.array_ino, sizeof(fuzz_fx.array_ino), "%llu", ino);
    snprintf(fuzz_fx.pid, sizeof(fuzz_fx.pid), "%d", (int)getpid());

    for (size_t i = 0; i < FUZZ_FILE_SIZE; i += 16) {
        uint32_t block[4] = {1, 0, 1, 1}; /* value, waiters, max, Lock */
        memcpy(fuzz_fx.pattern + i, block, sizeof(block));
    }
    fuzz_fx.file = mkstemp(path);
    if (fuzz_fx.file < 0)
        abort();
    unlink(path);
    if (write(fuzz_fx.file, fuzz_fx.pattern, FUZZ_FILE_SIZE) !=
            FUZZ_FILE_SIZE ||
        fstat(fuzz_fx.file, &st) != 0)
        abort();
    snprintf(fuzz_fx.file_seg, sizeof(fuzz_fx.file_seg), "%d:%d:%d:%llu",
             (int)getpid(), fuzz_fx.file, FUZZ_FILE_SIZE,
             (unsigned long long)st.st_ino);
    fuzz_fx.ready = 1;
}

/* Expands the template data[0..size) into a new str object (NULL when
 * the expansion is too long). */
static mpr_obj_t *fuzz_token_expand(const uint8_t *data, size_t size)
{
    char out[FUZZ_TOKEN_MAX + 1];
    size_t n = 0;

    fuzz_token_setup();
    for (size_t i = 0; i < size && data[i] != '\0'; i++) {
        const char *sub = NULL;
        if (data[i] == '$' && i + 1 < size) {
            switch (data[i + 1]) {
            case 'L':
                sub = fuzz_fx.lock_seg;
                break;
            case 'A':
                sub = fuzz_fx.array_seg;
                break;
            case 'F':
                sub = fuzz_fx.file_seg;
                break;
            case 'p':
                sub = fuzz_fx.pid;
                break;
            case 'a':
                sub = fuzz_fx.array_fd;
                break;
            case 'i':
                sub = fuzz_fx.array_ino;
                break;
            }
        }
        if (sub != NULL) {
            size_t k = strlen(sub);
            if (n + k > FUZZ_TOKEN_MAX)
                return NULL;
            memcpy(out + n, sub, k);
            n += k;
            i++;
        } else {
            if (n + 1 > FUZZ_TOKEN_MAX)
                return NULL;
            out[n++] = (char)data[i];
        }
    }
    out[n] = '\0';
    /* Not UTF-8: a str can only hold text, as a pickled token would. */
    return mpr_obj_strn(out, n);
}

/* Whether the ordinary file still holds its pattern. */
static int fuzz_token_file_intact(void)
{
    unsigned char back[FUZZ_FILE_SIZE];

    return pread(fuzz_fx.file, back, sizeof(back), 0) == FUZZ_FILE_SIZE &&
           memcmp(back, fuzz_fx.pattern, sizeof(back)) == 0;
}

#endif /* FUZZ_TOKEN_H */
