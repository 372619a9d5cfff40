/*
 * shm.c - shared segments for the synchronisation primitives and
 * sharedctypes: an anonymous memory file (memfd_create, close-on-exec;
 * else a POSIX shm object unlinked at once) mapped MAP_SHARED.  Nothing ever
 * has a name in /dev/shm, so nothing can be left behind; the memory goes away
 * with the last mapping and the last descriptor.  Like CPython's heap.Arena (an
 * unlinked file plus its fd), the descriptor is kept so that a process started
 * later (spawn, forkserver) can map the same file: it opens /proc/<pid>/fd/<fd>
 * of a process that holds it, as CPython's DupFd hands an arena's fd over.
 */
#include "base/shm.h"
#include "base/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif

/* The seals every memfd of ours carries: its size is fixed once made (so
 * no holder can shrink it under another's mapping, which would be a
 * SIGBUS), and they mark the file as ours when a token names it.  A file
 * made by anyone else has other seals (F_SEAL_SEAL alone for tmpfs files
 * and unsealable memfds) or none (EINVAL on other file systems). */
#define OWN_SEALS (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)

static size_t map_size(size_t size)
{
    return size == 0 ? 1 : size;
}

static int map_fd(int fd, size_t size, mpr__shm_t **out)
{
    mpr__shm_t *seg = mpr__sys.calloc(1, sizeof(*seg));
    void *p;

    if (seg == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    p = mpr__sys.mmap(NULL, map_size(size), PROT_READ | PROT_WRITE, MAP_SHARED,
                      fd, 0);
    if (p == MAP_FAILED) {
        int r = mpr__oserror();
        free(seg);
        return r;
    }
    seg->base = p;
    seg->size = size;
    seg->fd = fd;
    atomic_init(&seg->refs, 1);
    *out = seg;
    return 0;
}

/* Where memfd_create is missing (ENOSYS: old kernel, seccomp), a POSIX
 * shared memory object made private (O_EXCL, 0600) and unlinked at once:
 * its name lives for two system calls, and nothing is left behind even
 * if this process dies right after.  The name holds 64 random bits, as
 * CPython's semaphore names do (from os.urandom), so that another user
 * cannot guess it and make the creation fail by taking the name first. */
static int shm_fallback(void)
{
    char name[64];
    uint64_t nonce;
    int fd;

    for (int tries = 0; tries < 100; tries++) {
        if (getrandom(&nonce, sizeof(nonce), 0) != (ssize_t)sizeof(nonce))
            return -1;
        snprintf(name, sizeof(name), "/mpr-%016llx", (unsigned long long)nonce);
        /* shm_open sets FD_CLOEXEC itself. */
        fd = mpr__sys.shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
        if (fd >= 0) {
            shm_unlink(name);
            return fd;
        }
        if (errno != EEXIST)
            break;
    }
    return -1;
}

int mpr__shm_new(size_t size, mpr__shm_t **out)
{
    int fd, r, sealed = 1;

    fd = mpr__sys.memfd_create("mpr", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0 && errno == ENOSYS)
        sealed = 0, fd = shm_fallback();
    if (fd < 0)
        return mpr__oserror();
    if (mpr__sys.ftruncate(fd, (off_t)map_size(size)) < 0 ||
        (sealed && mpr__sys.fcntl(fd, F_ADD_SEALS, OWN_SEALS) < 0)) {
        r = mpr__oserror();
        goto fail;
    }
    if ((r = map_fd(fd, size, out)) < 0)
        goto fail;
    return 0;
fail:
    mpr__sys.close(fd);
    return r;
}

int mpr__parse_dec(const char *s, const char **end, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    const char *p = s;

    /* Digits only: strtoul would take a sign ("-16" is ULONG_MAX - 15),
     * blanks and a 0x prefix, and saturate on overflow. */
    for (; *p >= '0' && *p <= '9'; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (v > (max - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    if (p == s)
        return -1;
    *end = p;
    *out = v;
    return 0;
}

/* Whether fd is a segment this library made: an unlinked regular file
 * on tmpfs that is either one of our sealed memfds, or (no memfd) one of
 * the "/mpr-<nonce>" POSIX objects shm_fallback made.  A token holds a
 * descriptor number and an inode; without this check it could name any
 * file the process holds open read-write (a log, a database) and the
 * primitive would write into it. */
static int is_own_segment(int fd)
{
    static const char prefix[] = "/dev/shm/mpr-";
    char path[64], link[sizeof(prefix) + 32];
    struct statfs sfs;
    struct stat st;
    ssize_t n;
    int seals;

    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_nlink != 0 ||
        fstatfs(fd, &sfs) < 0 || sfs.f_type != TMPFS_MAGIC)
        return 0;
    seals = fcntl(fd, F_GET_SEALS);
    if (seals == OWN_SEALS)
        return 1;
    if (seals != F_SEAL_SEAL)
        return 0;
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    n = readlink(path, link, sizeof(link) - 1);
    if (n < 0)
        return 0;
    link[n] = '\0';
    return strncmp(link, prefix, sizeof(prefix) - 1) == 0 &&
           strcmp(link + sizeof(prefix) - 1 + 16, " (deleted)") == 0;
}

/* A descriptor for the file a token names: this process's own copy when
 * it has one (a forked child inherits the creator's descriptors, as a
 * fork child inherits CPython's semaphores, so it does not need the
 * creator any more), else the holder's through /proc/<pid>/fd/<fd>.  The
 * inode must match (a stale token whose number was reused is refused)
 * and the file must be one of our segments. */
static int open_token_fd(uint64_t pid, uint64_t fdnum, uint64_t ino)
{
    char path[64];
    struct stat st;
    int fd;

    if (fstat((int)fdnum, &st) == 0 && (uint64_t)st.st_ino == ino &&
        (fd = mpr__sys.fcntl((int)fdnum, F_DUPFD_CLOEXEC, 0)) >= 0) {
        if (is_own_segment(fd))
            return fd;
        mpr__sys.close(fd);
        return mpr__error(MPR_EVALUE, "bad shared handle");
    }
    snprintf(path, sizeof(path), "/proc/%" PRIu64 "/fd/%" PRIu64, pid, fdnum);
    fd = mpr__sys.open(path, O_RDWR | O_CLOEXEC, 0);
    if (fd < 0)
        return mpr__oserror();
    if (fstat(fd, &st) < 0 || (uint64_t)st.st_ino != ino ||
        !is_own_segment(fd)) {
        mpr__sys.close(fd);
        return mpr__error(MPR_EVALUE, "bad shared handle");
    }
    return fd;
}

int mpr__shm_attach(const char *token, const char **end, mpr__shm_t **out)
{
    uint64_t pid, fdnum, size, ino;
    struct stat st;
    int fd, r;

    /* "<pid>:<fd>:<size>:<inode>", every field in range before use. */
    if (mpr__parse_dec(token, &token, INT_MAX, &pid) < 0 || pid == 0 ||
        *token++ != ':' || mpr__parse_dec(token, &token, INT_MAX, &fdnum) < 0 ||
        *token++ != ':' ||
        mpr__parse_dec(token, &token, PTRDIFF_MAX, &size) < 0 ||
        *token++ != ':' || mpr__parse_dec(token, &token, UINT64_MAX, &ino) < 0)
        return mpr__error(MPR_EVALUE, "bad shared handle");
    if (end != NULL)
        *end = token;
    if ((fd = open_token_fd(pid, fdnum, ino)) < 0)
        return fd;
    if (fstat(fd, &st) < 0 || (uint64_t)st.st_size < map_size((size_t)size)) {
        r = mpr__error(MPR_EVALUE, "bad shared handle");
        goto fail;
    }
    if ((r = map_fd(fd, (size_t)size, out)) < 0)
        goto fail;
    return 0;
fail:
    mpr__sys.close(fd);
    return r;
}

void mpr__shm_token(const mpr__shm_t *seg, char *buf, size_t size)
{
    struct stat st;

    /* fstat on a descriptor we own cannot fail. */
    fstat(seg->fd, &st);
    snprintf(buf, size, "%ld:%d:%zu:%llu", (long)getpid(), seg->fd, seg->size,
             (unsigned long long)st.st_ino);
}

mpr__shm_t *mpr__shm_ref(mpr__shm_t *seg)
{
    atomic_fetch_add(&seg->refs, 1);
    return seg;
}

void mpr__shm_unref(mpr__shm_t *seg)
{
    if (seg == NULL || atomic_fetch_sub(&seg->refs, 1) != 1)
        return;
    mpr__sys.munmap(seg->base, map_size(seg->size));
    mpr__sys.close(seg->fd);
    free(seg);
}
