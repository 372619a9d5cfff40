/*
 * timeout.c - deadlines on CLOCK_MONOTONIC and the scaled sleep.
 *
 * The conversion follows CPython 3.11's SemLock.acquire
 * (Modules/_multiprocessing/semaphore.c): a negative timeout is clamped to
 * 0, block=False ignores the timeout, and a timeout whose whole seconds do
 * not fit in a long (NaN, 1e300) is refused with EINVAL, which CPython
 * reports as OSError [Errno 22] from sem_timedwait.  One difference: Python
 * can pass float('inf') (OSError there) and None (wait for ever) apart; in
 * C, MPR_TIMEOUT_NONE is infinity and means None.
 */
#include "mpr/timeout.h"
#include "base/internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#define NSEC_PER_SEC 1000000000L

static double scale_value = -1.0; /* < 0: not read yet */

static struct timespec now_monotonic(void)
{
    struct timespec ts;

    /* CLOCK_MONOTONIC cannot fail with a valid clock id and pointer. */
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts;
}

static double ts_seconds(const struct timespec *ts)
{
    return (double)ts->tv_sec + (double)ts->tv_nsec / 1e9;
}

int mpr_deadline_init(mpr_deadline_t *d, int block, double timeout)
{
    struct timespec now;
    double whole, frac;

    d->infinite = 0;
    d->at.tv_sec = 0;
    d->at.tv_nsec = 0;
    if (block && timeout == MPR_TIMEOUT_NONE) {
        d->infinite = 1;
        return 0;
    }
    if (!block) {
        /* "try once": a deadline that has already passed. */
        d->at = now_monotonic();
        return 0;
    }
    if (isnan(timeout) || timeout >= 9.2e18)
        return mpr__error(MPR__ERR(EINVAL), NULL);
    if (timeout < 0.0)
        timeout = 0.0;
    now = now_monotonic();
    frac = modf(timeout, &whole);
    d->at.tv_sec = now.tv_sec + (time_t)whole;
    d->at.tv_nsec = now.tv_nsec + (long)(frac * 1e9);
    if (d->at.tv_nsec >= NSEC_PER_SEC) {
        d->at.tv_sec += 1;
        d->at.tv_nsec -= NSEC_PER_SEC;
    }
    return 0;
}

int mpr_deadline_remaining(const mpr_deadline_t *d, struct timespec *rel)
{
    struct timespec now;

    if (d->infinite)
        return 1;
    now = now_monotonic();
    rel->tv_sec = d->at.tv_sec - now.tv_sec;
    rel->tv_nsec = d->at.tv_nsec - now.tv_nsec;
    if (rel->tv_nsec < 0) {
        rel->tv_sec -= 1;
        rel->tv_nsec += NSEC_PER_SEC;
    }
    if (rel->tv_sec < 0 || (rel->tv_sec == 0 && rel->tv_nsec == 0)) {
        rel->tv_sec = 0;
        rel->tv_nsec = 0;
        return 0;
    }
    return 1;
}

double mpr_deadline_seconds(const mpr_deadline_t *d)
{
    struct timespec rel;

    if (d->infinite)
        return MPR_TIMEOUT_NONE;
    mpr_deadline_remaining(d, &rel);
    return ts_seconds(&rel);
}

double mpr_monotonic(void)
{
    struct timespec ts = now_monotonic();

    return ts_seconds(&ts);
}

double mpr_time_scale(void)
{
    const char *env;
    char *end;
    double v;

    /* Read once: a racing second reader computes the same value, so the
     * unsynchronised double store is harmless in practice; the variable is
     * process-wide like the shim's patched time.sleep. */
    if (scale_value >= 0.0)
        return scale_value;
    v = 1.0;
    env = getenv("MP_TIME_SCALE");
    if (env != NULL && *env != '\0') {
        double parsed = strtod(env, &end);
        if (*end == '\0' && isfinite(parsed) && parsed >= 0.0)
            v = parsed;
    }
    scale_value = v;
    return v;
}

void mpr__time_scale_reset(void)
{
    scale_value = -1.0;
}

int mpr_sleep(double seconds)
{
    struct timespec req, rem;
    mpr_deadline_t d;

    if (isnan(seconds))
        return mpr__error(MPR_EVALUE, "Invalid value NaN (not a number)");
    if (seconds < 0.0)
        return mpr__error(MPR_EVALUE, "sleep length must be non-negative");
    seconds *= mpr_time_scale();
    /* CPython converts the length to int64 nanoseconds (_PyTime_t). */
    if (seconds >= 9223372036.854775807)
        return mpr__error(MPR_EOVERFLOW,
                          "timestamp too large to convert to C _PyTime_t");
    mpr_deadline_init(&d, 1, seconds);
    /* Sleep on what remains of the deadline after each interruption, so a
     * stream of signals cannot stretch the total (PEP 475). */
    while (mpr_deadline_remaining(&d, &req)) {
        if (mpr__sys.nanosleep(&req, &rem) == 0)
            continue;
        if (errno != EINTR)
            return mpr__oserror();
    }
    return 0;
}
