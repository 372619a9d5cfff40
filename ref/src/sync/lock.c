/*
 * lock.c - multiprocessing.Lock (CPython 3.11 synchronize.Lock): a
 * SemLock of kind SEMAPHORE with value 1 and maxvalue 1, its repr, and the
 * per-class entry points of all four SemLock classes.
 *
 * Shared state: one mpr__semblock_t (semaphore.c): value 1 free, 0 held.
 * No owner is recorded in shared memory: like CPython, any process may
 * release a Lock another one holds.
 */
#include "mpr/lock.h"
#include "sync/semlock.h"
#include "base/internal.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

void mpr__owner_name(char *buf, size_t size)
{
    const char *pname = mpr__current_process_name != NULL
                            ? mpr__current_process_name()
                            : "MainProcess";
    char tname[64];

    /* CPython appends '|' + threading.current_thread().name outside the
     * main thread; a C thread's name is its pthread name. */
    if (gettid() == getpid()) {
        snprintf(buf, size, "%s", pname);
        return;
    }
    if (pthread_getname_np(pthread_self(), tname, sizeof(tname)) != 0)
        strcpy(tname, "Thread");
    snprintf(buf, size, "%s|%s", pname, tname);
}

int mpr__lock_repr(mpr_semlock_t *s, char **out, size_t *len)
{
    char name[256];

    /* synchronize.Lock.__repr__'s four cases, in its order. */
    if (mpr_semlock_is_mine(s))
        mpr__owner_name(name, sizeof(name));
    else if (mpr_semlock_get_value(s) == 1)
        strcpy(name, "None");
    else if (mpr_semlock_count(s) > 0)
        strcpy(name, "SomeOtherThread");
    else
        strcpy(name, "SomeOtherProcess");
    return mpr__sprintf(out, len, "<Lock(owner=%s)>", name);
}

int mpr_lock_new(mpr_lock_t **out)
{
    return mpr__semlock_new(MPR__LOCK, 1, 1, out);
}

#define SEMLOCK_API(obj)                                                       \
    int mpr_##obj##_acquire(mpr_semlock_t *s, int block, double timeout)       \
    {                                                                          \
        return mpr_semlock_acquire(s, block, timeout);                         \
    }                                                                          \
    int mpr_##obj##_release(mpr_semlock_t *s)                                  \
    {                                                                          \
        return mpr_semlock_release(s);                                         \
    }                                                                          \
    int mpr_##obj##_enter(mpr_semlock_t *s)                                    \
    {                                                                          \
        return mpr_semlock_acquire(s, 1, MPR_TIMEOUT_NONE);                    \
    }                                                                          \
    int mpr_##obj##_exit(mpr_semlock_t *s)                                     \
    {                                                                          \
        return mpr_semlock_release(s);                                         \
    }                                                                          \
    int mpr_##obj##_repr(mpr_semlock_t *s, char **out, size_t *len)            \
    {                                                                          \
        return mpr_semlock_repr(s, out, len);                                  \
    }                                                                          \
    void mpr_##obj##_free(mpr_semlock_t *s)                                    \
    {                                                                          \
        mpr_semlock_free(s);                                                   \
    }

SEMLOCK_API(lock)
SEMLOCK_API(rlock)
SEMLOCK_API(sem)
SEMLOCK_API(bsem)
