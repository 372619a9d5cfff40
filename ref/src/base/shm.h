/*
 * shm.h - internal: shared segments (memfd, MAP_SHARED) that hold the
 * state of Lock, Condition, Event, Barrier, Value and Array, and the
 * futex calls the primitives block on.  Not installed.
 */
#ifndef MPR_SHM_H
#define MPR_SHM_H

#include "mpr/common.h"
#include "mpr/timeout.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * One segment as this process sees it: a MAP_SHARED mapping of an
 * anonymous memory file (memfd, never a name in /dev/shm) and the
 * descriptor that keeps the file reachable for processes that attach to
 * it later (spawn, forkserver).  Process-local; reference-counted by the
 * objects that live in it.  The memory is freed when the last process
 * unmaps it and closes its descriptor.
 */
typedef struct mpr__shm_s {
    void *base;  /* start of the mapping */
    size_t size; /* bytes requested (the mapping is page-rounded) */
    int fd;      /* close-on-exec memfd */
    _Atomic unsigned refs;
} mpr__shm_t;

/*
 * Creates a zero-filled segment of size bytes (size 0 maps one page).
 * Returns: 0 and the segment (one reference) in *out.
 * Errors: -errno from memfd_create/ftruncate/mmap; -ENOMEM.
 */
int mpr__shm_new(size_t size, mpr__shm_t **out);

/*
 * Maps the segment of a token made by mpr__shm_token
 * ("<pid>:<fd>:<size>:<inode>"): through this process's own descriptor
 * when it inherited it (fork), else through /proc/<pid>/fd/<fd> of the
 * process that made the token, which must still hold it (spawn,
 * forkserver).
 * Returns: 0 and the segment in *out; *end points past the token.
 * Every field is checked (digits only, in range), and the file must be
 * one of this library's segments (a sealed memfd of ours, or an unlinked
 * "/mpr-" object on tmpfs), never another file the holder has open.
 * Errors: MPR_EVALUE "bad shared handle" for a malformed token or a file
 * that is not ours; -errno.
 */
int mpr__shm_attach(const char *token, const char **end, mpr__shm_t **out);

/*
 * Parses the decimal number at s: ASCII digits only (no sign, blank or
 * prefix), at most max.  Returns 0 with the value in *out and *end past
 * the digits; -1 (nothing set) for no digit or a value above max.
 */
int mpr__parse_dec(const char *s, const char **end, uint64_t max,
                   uint64_t *out);

/* Writes the token of seg into buf (96 bytes are enough). */
void mpr__shm_token(const mpr__shm_t *seg, char *buf, size_t size);

mpr__shm_t *mpr__shm_ref(mpr__shm_t *seg);

/* Drops a reference; the last one unmaps and closes.  NULL is a no-op. */
void mpr__shm_unref(mpr__shm_t *seg);

/*
 * Blocks while *addr == expected, for at most *rel (NULL: no limit), with
 * a non-private FUTEX_WAIT (the word is shared between processes).
 * Returns: 0 when woken, interrupted, or *addr had changed; -ETIMEDOUT.
 */
int mpr__futex_wait(_Atomic uint32_t *addr, uint32_t expected,
                    const struct timespec *rel);

/* Wakes up to n waiters on addr (non-private FUTEX_WAKE). */
void mpr__futex_wake(_Atomic uint32_t *addr, int n);

#endif /* MPR_SHM_H */
