/*
 * timeout.h - deadlines on CLOCK_MONOTONIC, and the scaled sleep.
 *
 * Blocking calls take Python's (block, timeout) pair as (int, double).
 * MPR_TIMEOUT_NONE stands for timeout=None.  A deadline is computed once,
 * when the call starts, and every wait after an EINTR or a spurious wake-up
 * uses what remains of it (PEP 475).
 */
#ifndef MPR_TIMEOUT_H
#define MPR_TIMEOUT_H

#include "common.h"

#include <time.h>

/* Python's None as a timeout: wait for ever. */
#define MPR_TIMEOUT_NONE (__builtin_inf())

typedef struct {
    struct timespec at; /* absolute CLOCK_MONOTONIC time; unset if infinite */
    int infinite;       /* 1: no deadline (block with timeout=None) */
} mpr_deadline_t;

/*
 * Starts a deadline with CPython SemLock's rules: block=0 means "try once"
 * (an already-expired deadline, whatever the timeout); timeout None
 * (MPR_TIMEOUT_NONE) means no deadline; a negative timeout counts as 0.
 * Returns: 0.
 * Errors: -EINVAL (OSError "[Errno 22] Invalid argument", what CPython's
 * SemLock.acquire gets from sem_timedwait) for a NaN timeout or one of
 * 9.2e18 seconds or more, too large for a timespec.
 */
MPR_EXTERN int mpr_deadline_init(mpr_deadline_t *d, int block, double timeout);

/*
 * Time left until the deadline, in *rel (zero when expired; untouched when
 * infinite).
 * Returns: 1 when time remains or the deadline is infinite, 0 when it has
 * passed.
 */
MPR_EXTERN int mpr_deadline_remaining(const mpr_deadline_t *d,
                                      struct timespec *rel);

/* Returns: seconds left (0.0 when expired, MPR_TIMEOUT_NONE if infinite). */
MPR_EXTERN double mpr_deadline_seconds(const mpr_deadline_t *d);

/* Returns: CLOCK_MONOTONIC now, in seconds. */
MPR_EXTERN double mpr_monotonic(void);

/*
 * Returns: the factor MP_TIME_SCALE sets (read once per process; 1.0 when
 * unset, unparsable, negative or not finite).
 */
MPR_EXTERN double mpr_time_scale(void);

/*
 * Sleeps seconds * mpr_time_scale(), the analogue of the shim's scaled
 * time.sleep, resuming after signals until the whole time has passed.
 * Returns: 0.
 * Errors: MPR_EVALUE "sleep length must be non-negative" for a negative
 * length, MPR_EVALUE "Invalid value NaN (not a number)" for NaN.
 */
MPR_EXTERN int mpr_sleep(double seconds);

#endif /* MPR_TIMEOUT_H */
