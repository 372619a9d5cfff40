/*
 * context.c - the start-method contexts (multiprocessing.context's
 * DefaultContext: get/set_start_method, get_context,
 * get_all_start_methods) and cpu_count.
 *
 * Python: multiprocessing/context.py, CPython 3.11.
 * The context objects: the default context (the module's functions) and
 * one concrete context per method, static and never freed, so that
 * get_context(m) is the same object every time, as CPython's
 * _concrete_contexts[m].
 * State, per process: the actual context (NULL until fixed).
 */
#include "mpr/context.h"
#include "process/process_internal.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const all_methods[] = {"fork", "spawn", "forkserver"};

/* DefaultContext._actual_context (NULL: not fixed yet). */
static const char *actual_method;

const char *mpr__method_canon(const char *method)
{
    const mpr__launcher_t *l = mpr__launcher(method);

    return l != NULL ? l->name : NULL;
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

/* ---- context objects ------------------------------------------------------
 */

struct mpr_context_s {
    const char *method;    /* the concrete context's _name; NULL: default */
    const char *type_name; /* type(ctx).__name__ */
};

static mpr_context_t contexts[] = {
    {NULL, "DefaultContext"},
    {"fork", "ForkContext"},
    {"spawn", "SpawnContext"},
    {"forkserver", "ForkServerContext"},
};

/* _concrete_contexts[m] for a canonical method name. */
static mpr_context_t *concrete(const char *m)
{
    for (size_t i = 1; i < sizeof(contexts) / sizeof(contexts[0]); i++)
        if (strcmp(contexts[i].method, m) == 0)
            return &contexts[i];
    return NULL;
}

mpr_context_t *mpr_default_context(void)
{
    return &contexts[0];
}

int mpr_context_get_context(mpr_context_t *ctx, const char *method,
                            mpr_context_t **out)
{
    const char *m;
    int rc;

    *out = NULL;
    /* BaseContext.get_context(None) is the context itself; only the
     * default one resolves (and fixes) its actual context */
    if (method == NULL && ctx->method != NULL) {
        *out = ctx;
        return 0;
    }
    if ((rc = mpr_get_context(method, &m)) < 0)
        return rc;
    *out = concrete(m);
    return 0;
}

const char *mpr_context_get_start_method(mpr_context_t *ctx, int allow_none)
{
    if (ctx->method != NULL)
        return ctx->method;
    return allow_none ? mpr_get_start_method_allow_none()
                      : mpr_get_start_method();
}

int mpr_context_set_start_method(mpr_context_t *ctx, const char *method,
                                 int force)
{
    if (ctx->method != NULL) /* whatever the arguments, as CPython */
        return mpr__error(MPR_EVALUE,
                          "cannot set start method of concrete context");
    return mpr_set_start_method(method, force);
}

const char *mpr_context_type_name(const mpr_context_t *ctx)
{
    return ctx->type_name;
}

const char *mpr_context_method(const mpr_context_t *ctx)
{
    return ctx->method;
}

const char *const *mpr_get_all_start_methods(size_t *n)
{
    if (n != NULL)
        *n = 3;
    return all_methods;
}

/* BaseContext.set_forkserver_preload: the one forkserver's list */
int mpr_context_set_forkserver_preload(mpr_context_t *ctx,
                                       const char *const *names, size_t n)
{
    (void)ctx;
    return mpr_set_forkserver_preload(names, n);
}

/* BaseContext.cpu_count */
int mpr_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    if (n < 1)
        return mpr__error(MPR_ENOTIMPL, "cannot determine number of cpus");
    return (int)n;
}
