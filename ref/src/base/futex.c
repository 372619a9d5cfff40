/*
 * futex.c - the two futex operations the process-shared primitives use.
 *
 * Non-private operations only: the words live in MAP_SHARED memory that
 * other processes map at other addresses, so the kernel must key waiters
 * by the backing page, not by this process's mm (musl's __wait/__wake
 * with priv=0).
 */
#include "base/shm.h"

#include "base/internal.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

int mpr__futex_wait(_Atomic uint32_t *addr, uint32_t expected,
                    const struct timespec *rel)
{
    int r = mpr__sys.futex_wait(addr, expected, rel);

    /* EAGAIN (the word changed) and EINTR (a signal) are wake-ups: the
     * caller re-checks its condition and what remains of its deadline. */
    if (r < 0 && errno == ETIMEDOUT)
        return -ETIMEDOUT;
    return 0;
}

void mpr__futex_wake(_Atomic uint32_t *addr, int n)
{
    syscall(SYS_futex, (uint32_t *)addr, FUTEX_WAKE, n, NULL, NULL, 0);
}
