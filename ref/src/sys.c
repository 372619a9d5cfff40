/*
 * sys.c - the replaceable system-call table (SQLite's aSyscall idea).
 *
 * Production code always goes through mpr__sys; only tests change the
 * pointers, to make the Nth fork, read or mmap fail and check that the
 * caller returns a clean error and leaks nothing.
 */
#include "internal.h"

#include <poll.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int sys_poll(void *fds, unsigned long nfds, int timeout)
{
    return poll(fds, (nfds_t)nfds, timeout);
}

static int sys_nanosleep(const void *req, void *rem)
{
    return nanosleep(req, rem);
}

/* One list for both copies: ISO C (and clang) will not initialise a
 * global from another const object, only from constant expressions. */
#define REAL_SYSCALLS                                                          \
    {                                                                          \
        .malloc = malloc,                                                      \
        .calloc = calloc,                                                      \
        .realloc = realloc,                                                    \
        .fork = fork,                                                          \
        .pipe2 = pipe2,                                                        \
        .socketpair = socketpair,                                              \
        .read = read,                                                          \
        .write = write,                                                        \
        .close = close,                                                        \
        .mmap = mmap,                                                          \
        .munmap = munmap,                                                      \
        .poll = sys_poll,                                                      \
        .nanosleep = sys_nanosleep,                                            \
    }

static const mpr__syscalls_t real_syscalls = REAL_SYSCALLS;

mpr__syscalls_t mpr__sys = REAL_SYSCALLS;

void mpr__sys_reset(void)
{
    mpr__sys = real_syscalls;
}

#ifdef MPR_COVERAGE
extern void __gcov_dump(void);
#endif

void mpr__child_exit(int code)
{
#ifdef MPR_COVERAGE
    /* gcov writes its counters from an atexit handler, which _exit skips:
     * without this, whatever a forked child executed is missing from the
     * coverage report. */
    __gcov_dump();
#endif
    _exit(code);
}
