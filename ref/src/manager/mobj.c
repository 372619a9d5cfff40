/*
 * mobj.c - what the methods of every object a manager's server holds
 * share: the server's one lock and the condition every blocking method
 * waits on, argument lookup, timeouts, and the arity check the registry
 * runs before each call, worded as CPython 3.11 words it for each kind of
 * callable (builtin methods, slot wrappers, Python functions).
 * Per-server-process state only (no shared memory).
 */
#include "manager/manager_internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv;
static pthread_once_t cv_once = PTHREAD_ONCE_INIT;

static void cv_init(void)
{
    pthread_condattr_t a;

    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(&cv, &a);
    pthread_condattr_destroy(&a);
}

void mpr__mobj_lock(void)
{
    pthread_once(&cv_once, cv_init);
    pthread_mutex_lock(&mu);
}

void mpr__mobj_unlock(void)
{
    pthread_mutex_unlock(&mu);
}

void mpr__mobj_broadcast(void)
{
    pthread_cond_broadcast(&cv);
}

int mpr__mobj_wait(double timeout, const struct timespec *start)
{
    struct timespec t = *start;

    if (timeout < 0) {
        pthread_cond_wait(&cv, &mu);
        return 0;
    }
    t.tv_sec += (time_t)timeout;
    t.tv_nsec += (long)((timeout - (double)(time_t)timeout) * 1e9);
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return pthread_cond_timedwait(&cv, &mu, &t) == ETIMEDOUT;
}

int mpr__mwait_until(mpr__mobj_t *o, unsigned long client, mpr__mready_fn ready,
                     double timeout)
{
    struct timespec start;

    clock_gettime(CLOCK_MONOTONIC, &start);
    while (!ready(o, client)) {
        if (timeout == 0)
            return 0;
        if (mpr__mobj_wait(timeout, &start))
            return ready(o, client);
    }
    return 1;
}

int mpr__mtimeout_arg(const mpr_obj_t *t, double *out)
{
    *out = -1;
    if (t == NULL || mpr_obj_is_none(t))
        return 0;
    return mpr_obj_as_double(t, out);
}

int mpr__mstr_out(const char *s, mpr_obj_t **out)
{
    return (*out = mpr_obj_str(s)) ? 0 : mpr_last_error();
}

const mpr_obj_t *mpr__marg(const mpr_obj_t *args, const mpr_obj_t *kw, size_t i,
                           const char *name)
{
    mpr_obj_t *v = NULL;

    if (i < mpr_obj_len(args))
        return mpr_obj_item(args, i);
    if (name != NULL && kw != NULL && mpr_obj_dict_get_str(kw, name, &v) == 1)
        return v;
    return NULL;
}

int mpr__mindex(const mpr_obj_t *i, size_t n, const char *msg, size_t *out)
{
    int64_t v = mpr_obj_int_value(i);

    if (v < 0)
        v += (int64_t)n;
    if (v < 0 || (uint64_t)v >= n)
        return mpr__error(MPR_EINDEX, "%s", msg);
    *out = (size_t)v;
    return 0;
}

/* ---- arity ---------------------------------------------------------------
 */

/* The parameters of a PYTHON arity, split: up to 8 names. */
typedef struct {
    char buf[128];
    const char *name[8];
    size_t n;
} params_t;

static void split_params(const char *spec, params_t *p)
{
    char *save = NULL, *tok;

    p->n = 0;
    snprintf(p->buf, sizeof(p->buf), "%s", spec ? spec : "");
    for (tok = strtok_r(p->buf, " ", &save); tok != NULL && p->n < 8;
         tok = strtok_r(NULL, " ", &save))
        p->name[p->n++] = tok;
}

/* "'a'", "'a' and 'b'", "'a', 'b', and 'c'" (CPython's format_missing). */
static void missing_list(const char **names, size_t n, char *buf, size_t len)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < n && used < len; i++) {
        const char *sep = i == 0       ? ""
                          : n == 2     ? " and "
                          : i + 1 == n ? ", and "
                                       : ", ";
        used +=
            (size_t)snprintf(buf + used, len - used, "%s'%s'", sep, names[i]);
    }
}

/* A Python function's checks, in CPython's order: keywords (a non-str
 * key, an unknown name, a name also given by position), then too many
 * positional arguments, then missing required ones. */
static int check_python(const mpr__marity_t *ar, const char *fn,
                        const mpr_obj_t *a, const mpr_obj_t *kw)
{
    size_t n = mpr_obj_len(a), pos = 0, self = !(ar->flags & MPR__MARGS_NOSELF);
    const char *missing[8];
    size_t n_missing = 0;
    mpr_obj_t *k, *v;
    params_t p;
    char list[200];

    split_params(ar->params, &p);
    while (kw != NULL && mpr_obj_dict_next(kw, &pos, &k, &v)) {
        const char *s;
        size_t i;
        if (mpr_obj_type(k) != MPR_OBJ_STR)
            return mpr__error(MPR_ETYPE, "keywords must be strings");
        s = mpr_obj_str_utf8(k, NULL);
        for (i = 0; i < p.n && strcmp(p.name[i], s) != 0; i++)
            ;
        if (i < n)
            return mpr__error(
                MPR_ETYPE, "%s() got multiple values for argument '%s'", fn, s);
        if (i == p.n && !(ar->flags & MPR__MARGS_KW))
            return mpr__error(MPR_ETYPE,
                              "%s() got an unexpected keyword argument '%s'",
                              fn, s);
    }
    if (n > p.n) {
        if (ar->min == p.n)
            return mpr__error(MPR_ETYPE,
                              "%s() takes %zu positional argument%s but %zu "
                              "%s given",
                              fn, p.n + self, p.n + self == 1 ? "" : "s",
                              n + self, n + self == 1 ? "was" : "were");
        return mpr__error(MPR_ETYPE,
                          "%s() takes from %zu to %zu positional arguments "
                          "but %zu were given",
                          fn, ar->min + self, p.n + self, n + self);
    }
    for (size_t i = n; i < ar->min && i < p.n; i++)
        if (mpr__marg(a, kw, SIZE_MAX, p.name[i]) == NULL)
            missing[n_missing++] = p.name[i];
    if (n_missing == 0)
        return 0;
    missing_list(missing, n_missing, list, sizeof(list));
    return mpr__error(MPR_ETYPE,
                      "%s() missing %zu required positional argument%s: %s", fn,
                      n_missing, n_missing == 1 ? "" : "s", list);
}

/* "expected ... argument(s), got n" with _PyArg_CheckPositional's words
 * (name "" for a slot wrapper's unpacking). */
static int check_positional(const char *name, size_t lo, size_t hi, size_t n)
{
    size_t want = n < lo ? lo : hi;

    if (n >= lo && n <= hi)
        return 0;
    return mpr__error(MPR_ETYPE, "%s expected %s%zu argument%s, got %zu", name,
                      lo == hi ? ""
                      : n < lo ? "at least "
                               : "at most ",
                      want, want == 1 ? "" : "s", n);
}

int mpr__margs_check(const mpr__marity_t *ar, const mpr__mtype_t *type,
                     const char *method, const mpr_obj_t *a,
                     const mpr_obj_t *kw)
{
    size_t n = mpr_obj_len(a);
    int has_kw = kw != NULL && mpr_obj_len(kw) > 0;
    char fn[128];

    if (ar->name != NULL)
        snprintf(fn, sizeof(fn), "%s", ar->name);
    else
        snprintf(fn, sizeof(fn), "%s.%s", type->pyname, method);
    switch (ar->style) {
    case MPR__MARGS_PYTHON:
        return check_python(ar, fn, a, kw);
    case MPR__MARGS_NOARGS:
    case MPR__MARGS_O:
    case MPR__MARGS_CLINIC: /* METH_* check keywords first */
        if (has_kw && !(ar->flags & MPR__MARGS_KW))
            return mpr__error(MPR_ETYPE, "%s() takes no keyword arguments", fn);
        if (ar->style == MPR__MARGS_CLINIC)
            return check_positional(ar->name ? ar->name : method, ar->min,
                                    ar->max, n);
        if (ar->style == MPR__MARGS_NOARGS && n != 0)
            return mpr__error(MPR_ETYPE, "%s() takes no arguments (%zu given)",
                              fn, n);
        if (ar->style == MPR__MARGS_O && n != 1)
            return mpr__error(MPR_ETYPE,
                              "%s() takes exactly one argument (%zu given)", fn,
                              n);
        return 0;
    case MPR__MARGS_UNPACK:
    case MPR__MARGS_WRAPPER:
        if (has_kw)
            return mpr__error(
                MPR_ETYPE, "wrapper %s() takes no keyword arguments", method);
        if (ar->style == MPR__MARGS_UNPACK)
            return check_positional("", ar->min, ar->max, n);
        if (n != ar->min)
            return mpr__error(MPR_ETYPE, "expected %u argument%s, got %zu",
                              (unsigned)ar->min, ar->min == 1 ? "" : "s", n);
        return 0;
    default:
        return 0;
    }
}
