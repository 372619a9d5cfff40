/*
 * process_util.c - the plumbing around Process: the registry of targets
 * that spawn and forkserver children look up by name, the start-method
 * contexts (multiprocessing.context's DefaultContext), finalizers and the
 * exit handler (multiprocessing.util._exit_function), cpu_count.
 *
 * Python: multiprocessing/context.py and util.py, CPython 3.11.
 * State, per process: the registry (built by constructors, identical in
 * every copy of the program), the actual context, the finalizer list.
 */
#include "mpr/process.h"
#include "mpr/context.h"
#include "mpr/timeout.h"
#include "process/process_internal.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- registry ------------------------------------------------------ */

typedef struct {
    char *name;
    void (*fn)(void);
} target_entry_t;

static target_entry_t *targets;
static size_t n_targets, cap_targets;

int mpr_target_register(const char *name, void (*fn)(void))
{
    for (size_t i = 0; i < n_targets; i++) {
        if (strcmp(targets[i].name, name) == 0) {
            if (targets[i].fn == fn)
                return 0;
            return mpr__error(MPR_EVALUE,
                              "target name '%s' is already "
                              "registered to another function",
                              name);
        }
    }
    if (n_targets == cap_targets) {
        size_t cap = cap_targets ? 2 * cap_targets : 16;
        target_entry_t *t = mpr__sys.realloc(targets, cap * sizeof(*t));
        if (t == NULL)
            return mpr__error(MPR__ERR(ENOMEM), NULL);
        targets = t;
        cap_targets = cap;
    }
    targets[n_targets].name = mpr__strdup(name);
    if (targets[n_targets].name == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    targets[n_targets++].fn = fn;
    return 0;
}

int mpr_target_error(int code, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return mpr__error(code, "%s", msg);
}

const char *mpr__target_name(void (*fn)(void))
{
    for (size_t i = 0; i < n_targets; i++)
        if (targets[i].fn == fn)
            return targets[i].name;
    return NULL;
}

void (*mpr__target_lookup(const char *name))(void)
{
    for (size_t i = 0; i < n_targets; i++)
        if (strcmp(targets[i].name, name) == 0)
            return targets[i].fn;
    return NULL;
}

/* ---- contexts ------------------------------------------------------ */

static const char *const all_methods[] = {"fork", "spawn", "forkserver"};

/* DefaultContext._actual_context (NULL: not fixed yet). */
static const char *actual_method;

const char *mpr__method_canon(const char *method)
{
    if (method == NULL)
        return NULL;
    for (size_t i = 0; i < 3; i++)
        if (strcmp(method, all_methods[i]) == 0)
            return all_methods[i];
    return NULL;
}

/* The default context: MP_START_METHOD (what the Python shim makes the
 * default without fixing it), else fork, CPython's default on Linux. */
static const char *default_method(void)
{
    const char *m = mpr__method_canon(getenv("MP_START_METHOD"));

    return m != NULL ? m : all_methods[0];
}

const char *mpr__context_resolve(void)
{
    if (actual_method == NULL)
        actual_method = default_method();
    return actual_method;
}

void mpr__context_force(const char *method)
{
    actual_method = mpr__method_canon(method);
}

const char *mpr_get_start_method(void)
{
    return mpr__context_resolve();
}

const char *mpr_get_start_method_allow_none(void)
{
    return actual_method;
}

int mpr_set_start_method(const char *method, int force)
{
    if (actual_method != NULL && !force)
        return mpr__error(MPR_ERUNTIME, "context has already been set");
    if (method == NULL && force) {
        actual_method = NULL;
        return 0;
    }
    return mpr_get_context(method, &actual_method);
}

int mpr_get_context(const char *method, const char **out)
{
    const char *m;

    if (method == NULL) {
        m = mpr__context_resolve();
    } else {
        m = mpr__method_canon(method);
        if (m == NULL)
            return mpr__error(MPR_EVALUE, "cannot find context for '%s'",
                              method);
    }
    if (out != NULL)
        *out = m;
    return 0;
}

const char *const *mpr_get_all_start_methods(size_t *n)
{
    if (n != NULL)
        *n = 3;
    return all_methods;
}

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

void mpr__finalize_clear(void)
{
    n_final = 0;
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

/* ---- exit handler -------------------------------------------------- */

static int exiting;
static pthread_once_t util_once = PTHREAD_ONCE_INIT;

/* The end of a Python script flushes stdout and stderr (flush_io, and
 * sys.exit does the same) before atexit handlers join the children, so
 * the main program's last lines come before what its children print at
 * their end.  C flushes only after every atexit handler: flush here. */
static void at_exit(void)
{
    fflush(stdout);
    fflush(stderr);
    mpr_exit_function();
}

static void util_register(void)
{
    atexit(at_exit);
}

void mpr__util_init(void)
{
    pthread_once(&util_once, util_register);
}

void mpr__util_after_fork(void)
{
    exiting = 0;
}

void mpr_exit_function(void)
{
    mpr_process_t **list;
    int n;

    if (exiting)
        return;
    exiting = 1;
    mpr__finalize_run_all(0);
    n = mpr_active_children(&list);
    if (n >= 0) {
        for (int i = 0; i < n; i++)
            if (mpr_process_daemon(list[i]))
                mpr_process_terminate(list[i]);
        mpr_free(list);
    }
    n = mpr_active_children(&list);
    if (n >= 0) {
        for (int i = 0; i < n; i++)
            mpr_process_join(list[i], MPR_TIMEOUT_NONE);
        mpr_free(list);
    }
    mpr__finalize_run_all(INT_MIN);
    /* CPython's forkserver notices the end of its last client when the
     * interpreter's descriptors close; we end and reap it here so nothing
     * outlives the program. */
    mpr__forkserver_stop();
}

/* ---- cpu_count ----------------------------------------------------- */

int mpr_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    if (n < 1)
        return mpr__error(MPR_ENOTIMPL, "cannot determine number of cpus");
    return (int)n;
}
