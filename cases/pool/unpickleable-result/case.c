/*
 * pool/unpickleable-result: a task whose result cannot be pickled gives
 * MaybeEncodingError to get() and to error_callback (with .exc, repr()
 * of the pickling error, and .value, repr() of the result), 20 times in a
 * row on a pool of 2, and no worker is lost: the pool makes no new worker
 * and the same two answer afterwards.
 *
 * The result is the C counterpart of `lambda: 42` defined inside the
 * function: an object of a class of the program's own (mpr_obj_object)
 * whose repr is a function's and whose reduce fails as CPython 3.11's
 * pickler fails on a local function (save_global: AttributeError "Can't
 * pickle local object 'QUALNAME'").  The workers are counted through the
 * pool's process class (the create hook sees every worker made, a
 * replacement too), as the Python reads pool._pool.
 */
#include <mpr.h>

#include "support.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define QUALNAME "unpickleable_result.<locals>.<lambda>"

/* repr(f): "<function QUALNAME at 0x...>" */
static int function_repr(void *data, char **out, size_t *len)
{
    int n = snprintf(NULL, 0, "<function %s at %p>", (char *)data, data);

    if ((*out = malloc((size_t)n + 1)) == NULL)
        return mpr_target_error(MPR_ENOMEMORY, "out of memory");
    snprintf(*out, (size_t)n + 1, "<function %s at %p>", (char *)data, data);
    if (len != NULL)
        *len = (size_t)n;
    return 0;
}

/* pickle's save_global on a function defined inside another */
static int function_reduce(void *data, mpr_obj_t **out)
{
    (void)out;
    return mpr_target_error(MPR_EATTR, "Can't pickle local object '%s'",
                            (char *)data);
}

static void function_free(void *data)
{
    free(data);
}

static const mpr_class_t function_class = {
    .name = "function",
    .repr = function_repr,
    .reduce = function_reduce,
    .free = function_free,
};

/* def unpickleable_result(): return lambda: 42 */
static int unpickleable_result(mpr_obj_t *args, mpr_obj_t *kwargs,
                               mpr_obj_t **result)
{
    char *qualname = strdup(QUALNAME);

    (void)args, (void)kwargs;
    if (qualname == NULL)
        return mpr_target_error(MPR_ENOMEMORY, "out of memory");
    *result = mpr_obj_object(&function_class, qualname);
    return *result ? 0 : mpr_last_error();
}
MPR_TARGET(unpickleable_result)

static int pid(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    (void)args, (void)kwargs;
    *result = mpr_obj_int(getpid());
    return *result ? 0 : mpr_last_error();
}
MPR_TARGET(pid)

/* Every worker the pool makes (pool._pool, and any replacement). */
static mpr_process_t *made[64];
static _Atomic int n_made;

static void count_worker(mpr_process_t *w, void *arg)
{
    int k = atomic_fetch_add(&n_made, 1);

    (void)arg;
    if (k < 64)
        made[k] = w;
}

/* What error_callback received: scratchpad[0]. */
typedef struct {
    int code; /* 0: None */
    char *msg, *exc, *value;
} scratch_t;

static void scratch_clear(scratch_t *s)
{
    free(s->msg);
    free(s->exc);
    free(s->value);
    memset(s, 0, sizeof(*s));
}

static void errback(int code, const char *message, void *arg)
{
    scratch_t *s = arg;
    const char *exc, *value;

    s->code = code;
    s->msg = strdup(message);
    if (mpr_maybe_encoding_error_attrs(&exc, &value) == 0) {
        s->exc = strdup(exc);
        s->value = strdup(value);
    }
}

/* type(e).__name__, "NoneType" for no exception */
static const char *type_name(int code)
{
    const char *cls = code ? mpr_err_pytype(code) : "NoneType";
    const char *dot = strrchr(cls, '.');

    return dot ? dot + 1 : cls;
}

static int safe_eq(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* print('str:', str(wrapped).replace(wrapped.value, 'VALUE')) */
static void print_replaced(const char *s, const char *value)
{
    size_t n = strlen(value);
    const char *hit;

    fputs("str: ", stdout);
    while (n > 0 && (hit = strstr(s, value)) != NULL) {
        fwrite(s, 1, (size_t)(hit - s), stdout);
        fputs("VALUE", stdout);
        s = hit + n;
    }
    printf("%s\n", s);
}

/* One iteration: apply_async with error_callback, get(timeout=30). */
static int iteration(mpr_pool_t *p, int i)
{
    scratch_t s = {0};
    mpr_asyncresult_t *res;
    mpr_obj_t *out = NULL;
    const char *exc = NULL, *value = NULL;
    char *msg = NULL;
    int rc, got;

    if ((rc = mpr_pool_apply_async(p, unpickleable_result, NULL, NULL, NULL,
                                   errback, &s, &res)) < 0)
        return rc;
    got = mpr_asyncresult_get(res, 30, &out);
    mpr_obj_decref(out);
    mpr_asyncresult_free(res);
    if (got < 0 && got != MPR_EENCODING)
        return got; /* anything else propagates, as in the Python */
    if (got == MPR_EENCODING) {
        msg = strdup(mpr_last_error_detail());
        mpr_maybe_encoding_error_attrs(&exc, &value);
    }
    if (i == 0) {
        printf("get(): %s\n", type_name(got));
        /* wrapped is got: the same exception, attributes and all */
        printf("error_callback: %s %s\n", type_name(s.code),
               case_bool(s.code == got && safe_eq(s.msg, msg) &&
                         safe_eq(s.exc, exc) && safe_eq(s.value, value)));
        if (s.exc != NULL && s.value != NULL) {
            printf("exc: str %s\n", s.exc);
            printf("value is repr: %s\n",
                   case_bool(strncmp(s.value, "<function " QUALNAME " at 0x",
                                     strlen("<function " QUALNAME " at 0x")) ==
                             0));
            print_replaced(s.msg, s.value);
        }
    }
    printf("%d %s %s %s\n", i, type_name(got), type_name(s.code),
           case_bool(s.exc != NULL && s.value != NULL));
    free(msg);
    scratch_clear(&s);
    return 0;
}

int main(int argc, char **argv)
{
    mpr_pool_process_class_t cls = {.create = count_worker};
    mpr_pool_options_t o = {.processes = 2, .process = &cls};
    mpr_obj_t *pids = NULL, *range;
    pid_t before[2] = {0, 0};
    int rc, subset = 1;
    mpr_pool_t *p;

    if ((rc = mpr_main(argc, argv)) < 0)
        return case_fail(rc);
    if ((rc = mpr_pool_new(&p, &o)) < 0)
        return case_fail(rc);
    for (int k = 0; k < 2 && k < n_made; k++)
        mpr_process_pid(made[k], &before[k]);
    for (int i = 0; i < 20; i++)
        if ((rc = iteration(p, i)) < 0)
            return case_fail(rc);
    /* both workers still serve: the same two processes answer */
    if ((range = case_range_list(0, 40)) == NULL ||
        (rc = mpr_pool_map(p, pid, range, 1, &pids)) < 0)
        return case_fail(range ? rc : mpr_last_error());
    for (size_t k = 0; k < mpr_obj_len(pids); k++) {
        int64_t v = mpr_obj_int_value(mpr_obj_item(pids, k));

        subset &= v == before[0] || v == before[1];
    }
    printf("workers still there: %s %s\n", case_bool(n_made == 2),
           case_bool(subset));
    if ((rc = mpr_pool_close(p)) < 0 || (rc = mpr_pool_join(p)) < 0)
        return case_fail(rc);
    printf("done\n");
    mpr_obj_decref(pids);
    mpr_obj_decref(range);
    mpr_pool_free(p);
    return 0;
}
