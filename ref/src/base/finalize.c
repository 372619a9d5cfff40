/*
 * finalize.c - util.Finalize's registry, the atexit hook and
 * util.register_after_fork's list (finalize.h).
 *
 * Python: multiprocessing/util.py, CPython 3.11.
 * State, per process: the finalizers (handle, priority, function,
 * argument) in registration order, the after-fork functions, the exit
 * function.
 */
#include "base/finalize.h"
#include "base/internal.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- finalizers ---------------------------------------------------- */

typedef struct {
    long handle;
    int priority;
    void (*fn)(void *);
    void *arg;
} finalizer_t;

static finalizer_t *finalizers;
static size_t n_final, cap_final;
static long next_handle = 1;

long mpr__finalize_register(int priority, void (*fn)(void *), void *arg)
{
    if (n_final == cap_final) {
        size_t cap = cap_final ? 2 * cap_final : 8;
        finalizer_t *f = mpr__sys.realloc(finalizers, cap * sizeof(*f));
        if (f == NULL)
            return mpr__error(MPR__ERR(ENOMEM), NULL);
        finalizers = f;
        cap_final = cap;
    }
    finalizers[n_final].handle = next_handle;
    finalizers[n_final].priority = priority;
    finalizers[n_final].fn = fn;
    finalizers[n_final].arg = arg;
    n_final++;
    return next_handle++;
}

/* Removes entry i, keeping registration order (the tie-break). */
static finalizer_t take(size_t i)
{
    finalizer_t f = finalizers[i];

    memmove(finalizers + i, finalizers + i + 1,
            (n_final - i - 1) * sizeof(*finalizers));
    n_final--;
    return f;
}

static void finalize_by_handle(long handle, int run)
{
    for (size_t i = 0; i < n_final; i++) {
        if (finalizers[i].handle == handle) {
            finalizer_t f = take(i);
            if (run)
                f.fn(f.arg);
            return;
        }
    }
}

void mpr__finalize_run(long handle)
{
    finalize_by_handle(handle, 1);
}

void mpr__finalize_cancel(long handle)
{
    finalize_by_handle(handle, 0);
}

/* util._run_finalizers: highest priority first; among equals, the one
 * registered last first (CPython sorts on (priority, creation counter)
 * in reverse). */
void mpr__finalize_run_all(int minpriority)
{
    for (;;) {
        size_t best = n_final;
        for (size_t i = 0; i < n_final; i++) {
            if (finalizers[i].priority < minpriority)
                continue;
            if (best == n_final ||
                finalizers[i].priority >= finalizers[best].priority)
                best = i;
        }
        if (best == n_final)
            return;
        finalizer_t f = take(best);
        f.fn(f.arg);
    }
}

/* ---- the atexit hook ----------------------------------------------- */

static void (*exit_fn)(void);
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

/* The end of a Python script flushes stdout and stderr (flush_io, and
 * sys.exit does the same) before atexit handlers join the children, so
 * the main program's last lines come before what its children print at
 * their end.  C flushes only after every atexit handler: flush here. */
static void at_exit(void)
{
    fflush(stdout);
    fflush(stderr);
    if (exit_fn != NULL) {
        exit_fn();
        return;
    }
    mpr__finalize_run_all(0);
    mpr__finalize_run_all(INT_MIN);
}

static void register_at_exit(void)
{
    atexit(at_exit);
}

void mpr__finalize_init(void)
{
    pthread_once(&init_once, register_at_exit);
}

void mpr__finalize_set_exit(void (*fn)(void))
{
    exit_fn = fn;
}

/* ---- after fork ---------------------------------------------------- */

/* Only the library registers (a fixed few), so a fixed array: no
 * allocation that could fail. */
#define MAX_AFTER_FORK 8
static void (*after_fork[MAX_AFTER_FORK])(void);
static size_t n_after;

void mpr__after_fork_register(void (*fn)(void))
{
    for (size_t i = 0; i < n_after; i++)
        if (after_fork[i] == fn)
            return;
    assert(n_after < MAX_AFTER_FORK);
    after_fork[n_after++] = fn;
}

void mpr__after_fork_run(void)
{
    n_final = 0;
    for (size_t i = 0; i < n_after; i++)
        after_fork[i]();
}
