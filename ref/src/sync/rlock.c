/*
 * rlock.c - multiprocessing.RLock (CPython 3.11 synchronize.RLock): a
 * SemLock of kind RECURSIVE_MUTEX.  The recursion count and the owning
 * thread are per-process (semlock.h), so ownership is process + thread as
 * in CPython; the shared block only holds the semaphore (1 free, 0 held).
 */
#include "mpr/lock.h"
#include "sync/semlock.h"
#include "base/internal.h"

#include <string.h>

int mpr__rlock_repr(mpr_semlock_t *s, char **out, size_t *len)
{
    char name[256];

    /* synchronize.RLock.__repr__'s four cases, in its order. */
    if (mpr_semlock_is_mine(s)) {
        mpr__owner_name(name, sizeof(name));
        return mpr__sprintf(out, len, "<RLock(%s, %d)>", name,
                            mpr_semlock_count(s));
    }
    if (mpr_semlock_get_value(s) == 1)
        return mpr__sprintf(out, len, "<RLock(None, 0)>");
    if (mpr_semlock_count(s) > 0)
        return mpr__sprintf(out, len, "<RLock(SomeOtherThread, nonzero)>");
    return mpr__sprintf(out, len, "<RLock(SomeOtherProcess, nonzero)>");
}

int mpr_rlock_new(mpr_rlock_t **out)
{
    return mpr__semlock_new(MPR__RLOCK, 1, 1, out);
}
