/*
 * test-pool.c - Pool follows CPython 3.11's multiprocessing.pool: results
 * in input order whatever the completion order, CPython's chunking,
 * AsyncResult and imap semantics, worker exceptions re-raised, callbacks,
 * close/terminate/join rules, dead workers replaced, maxtasksperchild and
 * the initializer.  Workers are forked (the test binary has no mpr_main).
 */
#include "mpr/pool.h"
#include "mpr/lock.h"
#include "mpr/error.h"
#include "mpr/context.h"
#include "mpr/process.h"
#include "base/internal.h"
#include "mprtest.h"

#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *mprtest_suite_name = "pool";

#define CHECK_ERR(call, code, msg)                                             \
    do {                                                                       \
        CU_ASSERT_EQUAL((call), (code));                                       \
        CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), (msg));                \
    } while (0)

static int matches(const char *s, const char *re)
{
    regex_t r;
    int ok;

    if (regcomp(&r, re, REG_EXTENDED | REG_NOSUB) != 0)
        return 0;
    ok = regexec(&r, s, 0, NULL, 0) == 0;
    regfree(&r);
    return ok;
}

static mpr_obj_t *range_list(int a, int b)
{
    mpr_obj_t *l = mpr_obj_list();

    for (int i = a; l != NULL && i < b; i++)
        mpr_obj_list_append_steal(l, mpr_obj_int(i));
    return l;
}

static int is_range_squares(const mpr_obj_t *l, int n)
{
    if (l == NULL || mpr_obj_type(l) != MPR_OBJ_LIST ||
        mpr_obj_len(l) != (size_t)n)
        return 0;
    for (int i = 0; i < n; i++)
        if (mpr_obj_int_value(mpr_obj_item(l, i)) != (int64_t)i * i)
            return 0;
    return 1;
}

static mpr_pool_t *new_pool(int n)
{
    mpr_pool_options_t o = {.processes = n};
    mpr_pool_t *p = NULL;

    CU_ASSERT_EQUAL(mpr_pool_new(&p, &o), 0);
    return p;
}

/* ---- pool functions ------------------------------------------------------ */

static int sq(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    int64_t x = mpr_obj_int_value(mpr_obj_item(args, 0));

    (void)kwargs;
    *result = mpr_obj_int(x * x);
    return 0;
}
MPR_TARGET(sq)

/* Keeps a reference to every third args tuple and checks, on each call,
 * that the one it keeps still holds what it held: a worker may reuse the
 * args tuple of a chunk of ints only when the function kept nothing.
 * Results mix ints with str and bool; non-ints pass through. */
static mpr_obj_t *kept_args;
static int64_t kept_value;

static int mixed(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    mpr_obj_t *x = mpr_obj_item(args, 0);
    int64_t v;

    (void)kwargs;
    if (kept_args != NULL &&
        mpr_obj_int_value(mpr_obj_item(kept_args, 0)) != kept_value)
        return mpr_target_error(MPR_EVALUE, "args changed under the function");
    if (mpr_obj_type(x) != MPR_OBJ_INT) {
        *result = mpr_obj_incref(x);
        return 0;
    }
    v = mpr_obj_int_value(x);
    if (v % 3 == 0) {
        mpr_obj_decref(kept_args);
        kept_args = mpr_obj_incref(args);
        kept_value = v;
    }
    if (v % 5 == 0)
        *result = mpr_obj_str("five");
    else if (v % 7 == 0)
        *result = mpr_obj_bool(1);
    else
        *result = mpr_obj_int(v * v);
    return 0;
}
MPR_TARGET(mixed)

/* Early items are the slowest: x sleeps (10 - x) * 20 ms. */
static int slow_sq(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    int64_t x = mpr_obj_int_value(mpr_obj_item(args, 0));

    if (x < 10)
        usleep((useconds_t)(10 - x) * 20000);
    return sq(args, kwargs, result);
}

static int add(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    mpr_obj_t *a = mpr_obj_item(args, 0), *b = mpr_obj_item(args, 1);

    if (a == NULL)
        mpr_obj_dict_get_str(kwargs, "a", &a);
    if (b == NULL)
        mpr_obj_dict_get_str(kwargs, "b", &b);
    if (a == NULL || b == NULL)
        return mpr_target_error(MPR_ETYPE, "missing argument");
    *result = mpr_obj_int(mpr_obj_int_value(a) + mpr_obj_int_value(b));
    return 0;
}

static int boom(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    int64_t x = mpr_obj_int_value(mpr_obj_item(args, 0));

    if (x == 3 || x == 7)
        return mpr_target_error(MPR_EVALUE, "bad %d", (int)x);
    return sq(args, kwargs, result);
}

static int never(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    (void)args;
    (void)kwargs;
    (void)result;
    return mpr_target_error(MPR_ERUNTIME, "called");
}

static int sleep_for(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    double s = 0;

    (void)kwargs;
    mpr_obj_as_double(mpr_obj_item(args, 0), &s);
    usleep((useconds_t)(s * 1e6));
    *result = mpr_obj_none();
    return 0;
}

/* (pid, name) of the worker */
static int whoami(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    (void)args;
    (void)kwargs;
    *result = mpr_obj_tuple_steal(
        2, mpr_obj_int(getpid()),
        mpr_obj_str(mpr_process_name(mpr_current_process())));
    return 0;
}

static int64_t init_value = -1;

static int init(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)kwargs;
    init_value = mpr_obj_int_value(mpr_obj_item(args, 0));
    return 0;
}

static int get_init(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    (void)args;
    (void)kwargs;
    *result = mpr_obj_int(init_value);
    return 0;
}

/* ---- tests --------------------------------------------------------------- */

/* Pool(context='bad') is get_context's ValueError; repr's length is
 * given when asked for. */
static void test_pool_bad_context_and_repr_length(void)
{
    mpr_pool_options_t o = {.processes = 1, .context = "bad"};
    mpr_pool_t *p;
    char *r;
    size_t n = 0;

    CHECK_ERR(mpr_pool_new(&p, &o), MPR_EVALUE,
              "cannot find context for 'bad'");
    p = new_pool(1);
    CU_ASSERT_FATAL(p != NULL);
    CU_ASSERT_EQUAL(mpr_pool_repr(p, &r, &n), 0);
    CU_ASSERT_EQUAL(n, strlen(r));
    CU_ASSERT(matches(r, "^<multiprocessing\\.pool\\.Pool state=RUN "
                         "pool_size=1>$"));
    mpr_free(r);
    CU_ASSERT_EQUAL(mpr_pool_close(p), 0);
    CU_ASSERT_EQUAL(mpr_pool_join(p), 0);
    mpr_pool_free(p);
}

static void test_pool_bad_sizes_are_value_error(void)
{
    mpr_pool_options_t o = {.processes = 0, .flags = MPR_POOL_PROCESSES_SET};
    mpr_pool_t *p;

    CHECK_ERR(mpr_pool_new(&p, &o), MPR_EVALUE,
              "Number of processes must be at least 1");
    o.processes = -1;
    CHECK_ERR(mpr_pool_new(&p, &o), MPR_EVALUE,
              "Number of processes must be at least 1");
    o = (mpr_pool_options_t){.processes = 1, .flags = MPR_POOL_MAXTASKS_SET};
    CHECK_ERR(mpr_pool_new(&p, &o), MPR_EVALUE,
              "maxtasksperchild must be a positive int or None");
    o.maxtasksperchild = -1;
    CHECK_ERR(mpr_pool_new(&p, &o), MPR_EVALUE,
              "maxtasksperchild must be a positive int or None");
}

static void test_pool_default_size_and_worker_names(void)
{
    mpr_pool_t *p;
    mpr_obj_t *in = range_list(0, 40), *out = NULL;
    char *r;
    int ok = 1;

    CU_ASSERT_EQUAL_FATAL(mpr_pool_new(&p, NULL), 0);
    CU_ASSERT_EQUAL(mpr_pool_size(p), mpr_cpu_count());
    CU_ASSERT_EQUAL(mpr_pool_repr(p, &r, NULL), 0);
    CU_ASSERT(matches(r, "^<multiprocessing\\.pool\\.Pool state=RUN "
                         "pool_size=[0-9]+>$"));
    mpr_free(r);
    CU_ASSERT_EQUAL(mpr_pool_map(p, whoami, in, 1, &out), 0);
    for (size_t i = 0; out != NULL && i < mpr_obj_len(out); i++) {
        const char *name =
            mpr_obj_str_utf8(mpr_obj_item(mpr_obj_item(out, i), 1), NULL);
        ok &= matches(name, "^ForkPoolWorker-[0-9]+$");
    }
    CU_ASSERT(out != NULL && ok);
    mpr_obj_decref(out);
    mpr_obj_decref(in);
    CU_ASSERT_EQUAL(mpr_pool_close(p), 0);
    CU_ASSERT_EQUAL(mpr_pool_repr(p, &r, NULL), 0);
    CU_ASSERT(strstr(r, "state=CLOSE") != NULL);
    mpr_free(r);
    CU_ASSERT_EQUAL(mpr_pool_join(p), 0);
    CU_ASSERT_EQUAL(mpr_pool_terminate(p), 0);
    CU_ASSERT_EQUAL(mpr_pool_repr(p, &r, NULL), 0);
    CU_ASSERT(strstr(r, "state=TERMINATE") != NULL);
    mpr_free(r);
    mpr_pool_free(p);
}

static void test_pool_map_keeps_input_order(void)
{
    mpr_pool_t *p = new_pool(4);
    mpr_obj_t *in = range_list(0, 20), *out = NULL, *empty = mpr_obj_list();

    CU_ASSERT_EQUAL(mpr_pool_map(p, slow_sq, in, 1, &out), 0);
    CU_ASSERT(is_range_squares(out, 20));
    mpr_obj_decref(out);
    CU_ASSERT_EQUAL(mpr_pool_map(p, sq, in, MPR_CHUNKSIZE_NONE, &out), 0);
    CU_ASSERT(is_range_squares(out, 20));
    mpr_obj_decref(out);
    CU_ASSERT_EQUAL(mpr_pool_map(p, sq, in, 3, &out), 0);
    CU_ASSERT(is_range_squares(out, 20));
    mpr_obj_decref(out);
    /* map(f, []) -> [] */
    CU_ASSERT_EQUAL(mpr_pool_map(p, sq, empty, MPR_CHUNKSIZE_NONE, &out), 0);
    CU_ASSERT(out != NULL && mpr_obj_len(out) == 0);
    mpr_obj_decref(out);
    /* an explicit chunksize 0 gives [None] * len without calling f */
    CU_ASSERT_EQUAL(mpr_pool_map(p, never, in, 0, &out), 0);
    CU_ASSERT(out != NULL && mpr_obj_len(out) == 20 &&
              mpr_obj_is_none(mpr_obj_item(out, 19)));
    mpr_obj_decref(out);
    /* not iterable */
    CHECK_ERR(mpr_pool_map(p, sq, mpr_obj_none(), 1, &out), MPR_ETYPE,
              "'NoneType' object is not iterable");
    mpr_obj_decref(in);
    mpr_obj_decref(empty);
    mpr_pool_free(p);
}

/* Chunks of ints travel packed (pool_worker.c): the values, a bool or a
 * str among them, results that stop being ints in mid-chunk, and a
 * function that keeps its args all come back as without packing. */
static void test_pool_map_packed_chunks_keep_values(void)
{
    mpr_pool_t *p = new_pool(2);
    mpr_obj_t *in = range_list(0, 300), *out = NULL;
    int chunks[] = {MPR_CHUNKSIZE_NONE, 1, 7, 300};

    mpr_obj_list_set_steal(in, 50, mpr_obj_bool(1));
    mpr_obj_list_set_steal(in, 51, mpr_obj_str("s"));
    for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
        int ok = 1;

        CU_ASSERT_EQUAL_FATAL(mpr_pool_map(p, mixed, in, chunks[c], &out), 0);
        CU_ASSERT_FATAL(mpr_obj_len(out) == 300);
        for (int64_t v = 0; v < 300; v++) {
            mpr_obj_t *o = mpr_obj_item(out, (size_t)v);

            if (v == 50)
                ok &= mpr_obj_type(o) == MPR_OBJ_BOOL;
            else if (v == 51)
                ok &= mpr_obj_type(o) == MPR_OBJ_STR;
            else if (v % 5 == 0)
                ok &= mpr_obj_type(o) == MPR_OBJ_STR;
            else if (v % 7 == 0)
                ok &= mpr_obj_type(o) == MPR_OBJ_BOOL;
            else
                ok &= mpr_obj_type(o) == MPR_OBJ_INT &&
                      mpr_obj_int_value(o) == v * v;
        }
        CU_ASSERT(ok);
        mpr_obj_decref(out);
        out = NULL;
    }
    mpr_obj_decref(in);
    mpr_pool_free(p);
}

static void test_pool_map_a_million_items(void)
{
    mpr_pool_t *p = new_pool(2);
    mpr_obj_t *in = range_list(0, 1000000), *out = NULL;

    CU_ASSERT_EQUAL(mpr_pool_map(p, sq, in, MPR_CHUNKSIZE_NONE, &out), 0);
    CU_ASSERT(is_range_squares(out, 1000000));
    mpr_obj_decref(out);
    mpr_obj_decref(in);
    mpr_pool_free(p);
}

static void test_pool_starmap_and_apply(void)
{
    mpr_pool_t *p = new_pool(2);
    mpr_obj_t *pairs = mpr_obj_list_of_steal(
        2, mpr_obj_tuple_steal(2, mpr_obj_int(1), mpr_obj_int(2)),
        mpr_obj_tuple_steal(2, mpr_obj_int(3), mpr_obj_int(4)));
    mpr_obj_t *args = mpr_obj_tuple_steal(2, mpr_obj_int(1), mpr_obj_int(2));
    mpr_obj_t *kw = mpr_obj_dict(), *out = NULL;

    mpr_obj_dict_set_steal(kw, mpr_obj_str("a"), mpr_obj_int(1));
    mpr_obj_dict_set_steal(kw, mpr_obj_str("b"), mpr_obj_int(5));
    CU_ASSERT_EQUAL(mpr_pool_starmap(p, add, pairs, MPR_CHUNKSIZE_NONE, &out),
                    0);
    CU_ASSERT(out != NULL && mpr_obj_len(out) == 2 &&
              mpr_obj_int_value(mpr_obj_item(out, 0)) == 3 &&
              mpr_obj_int_value(mpr_obj_item(out, 1)) == 7);
    mpr_obj_decref(out);
    CU_ASSERT_EQUAL(mpr_pool_apply(p, add, args, NULL, &out), 0);
    CU_ASSERT(out != NULL && mpr_obj_int_value(out) == 3);
    mpr_obj_decref(out);
    CU_ASSERT_EQUAL(mpr_pool_apply(p, add, NULL, kw, &out), 0);
    CU_ASSERT(out != NULL && mpr_obj_int_value(out) == 6);
    mpr_obj_decref(out);
    mpr_obj_decref(pairs);
    mpr_obj_decref(args);
    mpr_obj_decref(kw);
    mpr_pool_free(p);
}

static void test_pool_worker_exception_is_reraised(void)
{
    mpr_pool_t *p = new_pool(2);
    mpr_obj_t *in = range_list(0, 6), *out = NULL;
    mpr_obj_t *three = mpr_obj_tuple_steal(1, mpr_obj_int(3));

    CHECK_ERR(mpr_pool_map(p, boom, in, 1, &out), MPR_EVALUE, "bad 3");
    CHECK_ERR(mpr_pool_apply(p, boom, three, NULL, &out), MPR_EVALUE, "bad 3");
    /* the pool still works */
    CU_ASSERT_EQUAL(mpr_pool_map(p, sq, in, 1, &out), 0);
    CU_ASSERT(is_range_squares(out, 6));
    mpr_obj_decref(out);
    mpr_obj_decref(in);
    mpr_obj_decref(three);
    mpr_pool_free(p);
}

/* Failures inside a chunk: a map chunk stops at its failing item, a
 * starmap item that is not iterable is itertools.starmap's TypeError; the
 * pool then closes and joins cleanly (its workers end normally). */
static void test_pool_failing_chunks_then_close_and_join(void)
{
    mpr_pool_t *p = new_pool(1);
    mpr_obj_t *in = range_list(0, 9), *out = NULL;
    mpr_obj_t *bad = mpr_obj_list_of_steal(
        2, mpr_obj_tuple_steal(2, mpr_obj_int(1), mpr_obj_int(2)),
        mpr_obj_int(5));

    CHECK_ERR(mpr_pool_map(p, boom, in, 3, &out), MPR_EVALUE, "bad 3");
    CHECK_ERR(mpr_pool_starmap(p, add, bad, 1, &out), MPR_ETYPE,
              "'int' object is not iterable");
    CHECK_ERR(mpr_pool_starmap(p, add, in, 4, &out), MPR_ETYPE,
              "'int' object is not iterable"); /* a whole chunk of ints */
    CU_ASSERT_EQUAL(mpr_pool_close(p), 0);
    CU_ASSERT_EQUAL(mpr_pool_join(p), 0);
    mpr_obj_decref(in);
    mpr_obj_decref(bad);
    mpr_pool_free(p);
}

typedef struct {
    int calls, errors, code;
    char msg[64];
    int64_t value;
} cb_log_t;

static void on_result(mpr_obj_t *result, void *arg)
{
    cb_log_t *l = arg;

    l->calls++;
    l->value = mpr_obj_type(result) == MPR_OBJ_LIST
                   ? (int64_t)mpr_obj_len(result)
                   : mpr_obj_int_value(result);
}

static void on_error(int code, const char *message, void *arg)
{
    cb_log_t *l = arg;

    l->errors++;
    l->code = code;
    snprintf(l->msg, sizeof(l->msg), "%s", message);
}

/* A task whose arguments cannot be pickled (nested past the recursion
 * limit) fails in the task handler: its result carries CPython's
 * RecursionError and the pool keeps working; the AsyncResult's repr
 * gives its length. */
static void test_pool_unpicklable_task_fails_its_result(void)
{
    mpr_pool_t *p = new_pool(1);
    mpr_obj_t *deep = mpr_obj_int(2), *args, *out = NULL;
    mpr_asyncresult_t *r;
    cb_log_t l = {0};
    char *rep;
    size_t n = 0;

    for (int i = 0; i < MPR_OBJ_MAX_DEPTH + 10; i++)
        deep = mpr_obj_list_of_steal(1, deep);
    args = mpr_obj_tuple_steal(1, deep);
    CU_ASSERT_EQUAL_FATAL(
        mpr_pool_apply_async(p, sq, args, NULL, on_result, on_error, &l, &r),
        0);
    CHECK_ERR(mpr_asyncresult_get(r, 10.0, &out), MPR_ERECURSION,
              "maximum recursion depth exceeded while pickling an object");
    CU_ASSERT_EQUAL(mpr_asyncresult_successful(r), 0);
    CU_ASSERT_EQUAL(l.errors, 1);
    CU_ASSERT_EQUAL(l.code, MPR_ERECURSION);
    CU_ASSERT_EQUAL(mpr_asyncresult_repr(r, &rep, &n), 0);
    CU_ASSERT_EQUAL(n, strlen(rep));
    mpr_free(rep);
    mpr_asyncresult_free(r);
    mpr_obj_decref(args);
    args = mpr_obj_tuple_steal(1, mpr_obj_int(5));
    CU_ASSERT_EQUAL(mpr_pool_apply(p, sq, args, NULL, &out), 0);
    CU_ASSERT(out != NULL && mpr_obj_int_value(out) == 25);
    mpr_obj_decref(out);
    mpr_obj_decref(args);
    CU_ASSERT_EQUAL(mpr_pool_close(p), 0);
    CU_ASSERT_EQUAL(mpr_pool_join(p), 0);
    mpr_pool_free(p);
}

/* ---- results that cannot be pickled (MaybeEncodingError) ----------------- */

/* A class whose reduce fails with the code and message its data names
 * (code 0: reduce "succeeds" without a value, a bug of the class). */
typedef struct {
    int code;
    const char *msg;
} refusal_t;

static int refusing_reduce(void *data, mpr_obj_t **out)
{
    const refusal_t *r = data;

    (void)out;
    if (r->code == 0)
        return 0;
    return r->msg ? mpr_target_error(r->code, "%s", r->msg)
                  : mpr__error(r->code, NULL);
}

static const mpr_class_t refusing = {.name = "A", .reduce = refusing_reduce};

static const refusal_t refusals[] = {
    {MPR_ERUNTIME, "cannot pickle"},
    {MPR__ERR(EPIPE), NULL},
    {MPR_EEOF, ""},
    {0, NULL},
};

/* Returns an object refusing as refusals[x] does. */
static int refused_result(mpr_obj_t *args, mpr_obj_t *kwargs,
                          mpr_obj_t **result)
{
    int64_t x = mpr_obj_int_value(mpr_obj_item(args, 0));

    (void)kwargs;
    *result = mpr_obj_object(&refusing, (void *)&refusals[x]);
    return 0;
}

/* A Lock created before the workers were forked: they inherit it. */
static mpr_lock_t *inherited_lock;

/* x, but a handle to the inherited Lock for 1 */
static int lock_for_one(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    mpr_obj_t *x = mpr_obj_item(args, 0);

    (void)kwargs;
    *result = mpr_obj_int_value(x) == 1
                  ? mpr_obj_handle(MPR_HANDLE_SEMLOCK, inherited_lock)
                  : mpr_obj_incref(x);
    return 0;
}

/* raises MaybeEncodingError itself (no attributes to carry) */
static int raises_encoding(mpr_obj_t *args, mpr_obj_t *kwargs,
                           mpr_obj_t **result)
{
    (void)args, (void)kwargs, (void)result;
    return mpr_target_error(MPR_EENCODING, "by hand");
}

static _Atomic int workers_made;

static void count_made(mpr_process_t *w, void *arg)
{
    (void)w, (void)arg;
    workers_made++;
}

/* What error_callback saw, attributes read inside it. */
typedef struct {
    int calls, code, attrs_rc;
    char msg[512], exc[256], value[256];
} enc_log_t;

static void on_encoding_error(int code, const char *message, void *arg)
{
    enc_log_t *l = arg;
    const char *exc = NULL, *value = NULL;

    l->calls++;
    l->code = code;
    snprintf(l->msg, sizeof(l->msg), "%s", message);
    l->attrs_rc = mpr_maybe_encoding_error_attrs(&exc, &value);
    snprintf(l->exc, sizeof(l->exc), "%s", exc ? exc : "(none)");
    snprintf(l->value, sizeof(l->value), "%s", value ? value : "(none)");
}

/* apply_async(refused_result, (x,)): get() and error_callback both get
 * MaybeEncodingError whose exc is want_exc. */
static void check_refused(mpr_pool_t *p, int x, const char *want_exc)
{
    mpr_obj_t *args = mpr_obj_tuple_steal(1, mpr_obj_int(x)), *out = NULL;
    const char *exc = NULL, *value = NULL;
    enc_log_t l = {0};
    mpr_asyncresult_t *r;
    char want[512];

    CU_ASSERT_EQUAL_FATAL(mpr_pool_apply_async(p, refused_result, args, NULL,
                                               NULL, on_encoding_error, &l, &r),
                          0);
    CU_ASSERT_EQUAL(mpr_asyncresult_get(r, 10.0, &out), MPR_EENCODING);
    CU_ASSERT_PTR_NULL(out);
    CU_ASSERT_EQUAL_FATAL(mpr_maybe_encoding_error_attrs(&exc, &value), 0);
    CU_ASSERT_STRING_EQUAL(exc, want_exc);
    CU_ASSERT(matches(value, "^<A object at 0x[0-9a-f]+>$"));
    snprintf(want, sizeof(want), "Error sending result: '%s'. Reason: '%s'",
             value, exc);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), want);
    /* error_callback got the same exception, attributes and all */
    CU_ASSERT_EQUAL(l.calls, 1);
    CU_ASSERT_EQUAL(l.code, MPR_EENCODING);
    CU_ASSERT_EQUAL(l.attrs_rc, 0);
    CU_ASSERT_STRING_EQUAL(l.msg, want);
    CU_ASSERT_STRING_EQUAL(l.exc, exc);
    CU_ASSERT_STRING_EQUAL(l.value, value);
    CU_ASSERT_EQUAL(mpr_asyncresult_successful(r), 0);
    mpr_asyncresult_free(r);
    mpr_obj_decref(args);
}

/* CPython's test_unpickleable_result: 20 times in a row the worker sends
 * MaybeEncodingError instead of its result and lives on; the exception's
 * repr follows its class (args, OSError's errno, no message); a class
 * whose reduce gives nothing is PicklingError. */
static void test_pool_unpicklable_result_is_maybe_encoding_error(void)
{
    mpr_pool_process_class_t cls = {.create = count_made};
    mpr_pool_options_t o = {.processes = 2, .process = &cls};
    mpr_obj_t *in = range_list(0, 40), *out = NULL;
    mpr_pool_t *p = NULL;

    workers_made = 0;
    CU_ASSERT_EQUAL_FATAL(mpr_pool_new(&p, &o), 0);
    for (int i = 0; i < 20; i++)
        check_refused(p, 0, "RuntimeError('cannot pickle')");
    check_refused(p, 1, "BrokenPipeError(32, 'Broken pipe')");
    check_refused(p, 2, "EOFError()");
    check_refused(p, 3,
                  "PicklingError('__reduce__ must return a string or "
                  "tuple')");
    /* no worker was lost: none was replaced, and the pool still maps */
    CU_ASSERT_EQUAL(mpr_pool_map(p, sq, in, 1, &out), 0);
    CU_ASSERT(is_range_squares(out, 40));
    CU_ASSERT_EQUAL(workers_made, 2);
    mpr_obj_decref(out);
    mpr_obj_decref(in);
    CU_ASSERT_EQUAL(mpr_pool_close(p), 0);
    CU_ASSERT_EQUAL(mpr_pool_join(p), 0);
    mpr_pool_free(p);
}

/* map over a chunk one of whose results is a Lock: MaybeEncodingError
 * whose value is the chunk's list (result[1]); imap raises it for that
 * chunk alone and goes on; a worker's own MPR_EENCODING has empty
 * attributes; the attributes are there only after a MaybeEncodingError. */
static void test_pool_unpicklable_chunk_in_map_and_imap(void)
{
    mpr_obj_t *in = range_list(0, 6), *out = NULL, *v = NULL;
    const char *exc = NULL, *value = NULL;
    mpr_pool_t *p;
    mpr_imap_t *it;
    int rc, n = 0, failed = 0;

    CU_ASSERT_EQUAL_FATAL(mpr_lock_new(&inherited_lock), 0);
    p = new_pool(2);
    CU_ASSERT_EQUAL(mpr_pool_map(p, lock_for_one, in, 3, &out), MPR_EENCODING);
    CU_ASSERT_STRING_EQUAL(
        mpr_last_error_detail(),
        "Error sending result: '[0, <Lock(owner=None)>, 2]'. Reason: "
        "'RuntimeError('Lock objects should only be shared between processes "
        "through inheritance')'");
    CU_ASSERT_EQUAL(mpr_maybe_encoding_error_attrs(&exc, &value), 0);
    CU_ASSERT_STRING_EQUAL(value, "[0, <Lock(owner=None)>, 2]");
    CU_ASSERT_EQUAL_FATAL(mpr_pool_imap(p, lock_for_one, in, 2, &it), 0);
    while ((rc = mpr_imap_next(it, 10.0, &v)) != 0) {
        if (rc == MPR_EENCODING) {
            failed++;
            CU_ASSERT_EQUAL(mpr_maybe_encoding_error_attrs(&exc, &value), 0);
            CU_ASSERT_STRING_EQUAL(value, "[0, <Lock(owner=None)>]");
            continue;
        }
        CU_ASSERT_EQUAL_FATAL(rc, 1);
        CU_ASSERT(mpr_obj_int_value(v) >= 2);
        mpr_obj_decref(v);
        n++;
    }
    CU_ASSERT_EQUAL(failed, 1);
    CU_ASSERT_EQUAL(n, 4);
    mpr_imap_free(it);
    /* bad inputs: no MaybeEncodingError last, one raised by hand */
    CU_ASSERT_EQUAL(mpr_pool_map(p, sq, in, 1, &out), 0);
    mpr_obj_decref(out);
    CHECK_ERR(mpr_pool_apply(p, never, NULL, NULL, &out), MPR_ERUNTIME,
              "called");
    CHECK_ERR(mpr_maybe_encoding_error_attrs(&exc, &value), MPR_EVALUE,
              "the last error of this thread is not a MaybeEncodingError");
    CHECK_ERR(mpr_pool_apply(p, raises_encoding, NULL, NULL, &out),
              MPR_EENCODING, "by hand");
    CU_ASSERT_EQUAL(mpr_maybe_encoding_error_attrs(&exc, &value), 0);
    CU_ASSERT_STRING_EQUAL(exc, "");
    CU_ASSERT_STRING_EQUAL(value, "");
    CU_ASSERT_EQUAL(mpr_pool_close(p), 0);
    CU_ASSERT_EQUAL(mpr_pool_join(p), 0);
    mpr_pool_free(p);
    mpr_obj_decref(in);
    mpr_lock_free(inherited_lock);
    inherited_lock = NULL;
}

static void test_pool_async_results_and_callbacks(void)
{
    mpr_pool_t *p = new_pool(2);
    mpr_obj_t *three = mpr_obj_tuple_steal(1, mpr_obj_int(3));
    mpr_obj_t *slow = mpr_obj_tuple_steal(1, mpr_obj_float(0.5));
    mpr_obj_t *in = range_list(0, 4), *out = NULL;
    cb_log_t l1 = {0}, l2 = {0}, l3 = {0};
    mpr_asyncresult_t *r;
    char *rep, want[128];
    double t0;

    /* not ready: ready() False, successful() ValueError, get -> Timeout */
    CU_ASSERT_EQUAL_FATAL(
        mpr_pool_apply_async(p, sleep_for, slow, NULL, NULL, NULL, NULL, &r),
        0);
    CU_ASSERT_EQUAL(mpr_asyncresult_ready(r), 0);
    CU_ASSERT_EQUAL(mpr_asyncresult_repr(r, &rep, NULL), 0);
    CU_ASSERT(matches(rep, "^<multiprocessing\\.pool\\.ApplyResult object "
                           "at 0x[0-9a-f]+>$"));
    snprintf(want, sizeof(want), "%s not ready", rep);
    mpr_free(rep);
    CHECK_ERR(mpr_asyncresult_successful(r), MPR_EVALUE, want);
    t0 = mpr_monotonic();
    CU_ASSERT_EQUAL(mpr_asyncresult_get(r, 0.1, &out), MPR_ETIMEOUT);
    CU_ASSERT(mpr_monotonic() - t0 >= 0.1);
    CU_ASSERT_STRING_EQUAL(mpr_err_pytype(MPR_ETIMEOUT),
                           "multiprocessing.context.TimeoutError");
    CU_ASSERT_EQUAL(mpr_asyncresult_wait(r, 0.05), 0);
    CU_ASSERT_EQUAL(mpr_asyncresult_get(r, MPR_TIMEOUT_NONE, &out), 0);
    CU_ASSERT(out != NULL && mpr_obj_is_none(out));
    CU_ASSERT_EQUAL(mpr_asyncresult_successful(r), 1);
    mpr_asyncresult_free(r);

    /* callback gets the value; error_callback the exception; never both */
    CU_ASSERT_EQUAL_FATAL(
        mpr_pool_apply_async(p, sq, three, NULL, on_result, on_error, &l1, &r),
        0);
    CU_ASSERT_EQUAL(mpr_asyncresult_get(r, 5.0, &out), 0);
    CU_ASSERT(l1.calls == 1 && l1.errors == 0 && l1.value == 9);
    mpr_obj_decref(out);
    mpr_asyncresult_free(r);
    CU_ASSERT_EQUAL_FATAL(mpr_pool_apply_async(p, boom, three, NULL, on_result,
                                               on_error, &l2, &r),
                          0);
    CHECK_ERR(mpr_asyncresult_get(r, 5.0, &out), MPR_EVALUE, "bad 3");
    CU_ASSERT(l2.calls == 0 && l2.errors == 1 && l2.code == MPR_EVALUE &&
              strcmp(l2.msg, "bad 3") == 0);
    CU_ASSERT_EQUAL(mpr_asyncresult_successful(r), 0);
    mpr_asyncresult_free(r);
    /* map_async's callback gets the whole list once */
    CU_ASSERT_EQUAL_FATAL(mpr_pool_map_async(p, sq, in, MPR_CHUNKSIZE_NONE,
                                             on_result, on_error, &l3, &r),
                          0);
    CU_ASSERT_EQUAL(mpr_asyncresult_get(r, 5.0, &out), 0);
    CU_ASSERT(is_range_squares(out, 4));
    CU_ASSERT(l3.calls == 1 && l3.value == 4 && l3.errors == 0);
    CU_ASSERT_STRING_EQUAL(mpr_asyncresult_type_name(r), "MapResult");
    mpr_obj_decref(out);
    mpr_asyncresult_free(r);
    mpr_obj_decref(three);
    mpr_obj_decref(slow);
    mpr_obj_decref(in);
    mpr_pool_free(p);
}

static void test_pool_imap_orders_and_unordered_once(void)
{
    mpr_pool_t *p = new_pool(4);
    mpr_obj_t *in = range_list(0, 20), *v;
    mpr_imap_t *it;
    int seen[20] = {0}, ok = 1, n = 0, rc;

    CU_ASSERT_EQUAL_FATAL(mpr_pool_imap(p, slow_sq, in, 1, &it), 0);
    while ((rc = mpr_imap_next(it, 5.0, &v)) == 1) {
        ok &= mpr_obj_int_value(v) == (int64_t)n * n;
        n++;
        mpr_obj_decref(v);
    }
    CU_ASSERT(rc == 0 && ok && n == 20);
    mpr_imap_free(it);
    CU_ASSERT_EQUAL_FATAL(mpr_pool_imap_unordered(p, slow_sq, in, 3, &it), 0);
    n = 0;
    while ((rc = mpr_imap_next(it, 5.0, &v)) == 1) {
        int64_t x = mpr_obj_int_value(v);
        for (int i = 0; i < 20; i++)
            if ((int64_t)i * i == x)
                seen[i]++;
        n++;
        mpr_obj_decref(v);
    }
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_EQUAL(n, 20);
    for (int i = 0; i < 20; i++)
        ok &= seen[i] == 1;
    CU_ASSERT(ok);
    mpr_imap_free(it);
    CHECK_ERR(mpr_pool_imap(p, sq, in, 0, &it), MPR_EVALUE,
              "Chunksize must be 1+, not 0");
    CHECK_ERR(mpr_pool_imap_unordered(p, sq, in, -2, &it), MPR_EVALUE,
              "Chunksize must be 1+, not -2");
    mpr_obj_decref(in);
    mpr_pool_free(p);
}

/* imap yields the results before the failing chunk, raises, continues */
static void test_pool_imap_raises_at_failure_and_continues(void)
{
    mpr_pool_t *p = new_pool(2);
    mpr_obj_t *in = range_list(0, 10), *v = NULL;
    mpr_imap_t *it;
    int n = 0, rc;

    CU_ASSERT_EQUAL_FATAL(mpr_pool_imap(p, boom, in, 1, &it), 0);
    while ((rc = mpr_imap_next(it, 5.0, &v)) == 1) {
        n++;
        mpr_obj_decref(v);
    }
    CU_ASSERT_EQUAL(n, 3);
    CU_ASSERT_EQUAL(rc, MPR_EVALUE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "bad 3");
    CU_ASSERT_EQUAL(mpr_imap_next(it, 5.0, &v), 1);
    CU_ASSERT(v != NULL && mpr_obj_int_value(v) == 16);
    mpr_obj_decref(v);
    mpr_imap_free(it);
    CU_ASSERT_EQUAL_FATAL(mpr_pool_imap(p, boom, in, 2, &it), 0);
    n = 0;
    while ((rc = mpr_imap_next(it, 5.0, &v)) == 1 || rc == MPR_EVALUE) {
        if (rc == MPR_EVALUE)
            break;
        n++;
        mpr_obj_decref(v);
    }
    CU_ASSERT_EQUAL(n, 2); /* item 3 fails chunk [2, 3] */
    mpr_imap_free(it);
    CU_ASSERT_EQUAL(mpr_pool_imap(p, sq, in, 1, &it), 0);
    mpr_imap_free(it); /* an iterator freed before its results came */
    mpr_obj_decref(in);
    mpr_pool_free(p);
}

/* A counting iterator that raises ValueError('when') at item `when`. */
typedef struct {
    int i, total, when, calls;
} count_t;

static int count_next(void *arg, mpr_obj_t **item)
{
    count_t *c = arg;

    c->calls++;
    if (c->i == c->when)
        return mpr_target_error(MPR_EKEY, "when %d", c->i);
    if (c->i >= c->total)
        return 0;
    *item = mpr_obj_int(c->i++);
    return 1;
}

/* Iterators as inputs: list(iterable) raises in map at once without
 * __len__; with it, map raises after the chunks before; imap yields the
 * whole chunks before the failing item, raises, then stops; the iterator
 * is drawn once; no failure gives every result. */
static void test_pool_iterator_inputs(void)
{
    mpr_pool_t *p = new_pool(2);
    count_t c = {0, 10, 7, 0};
    mpr_pool_iter_t it = {.next = count_next, .arg = &c, .len = -1};
    mpr_obj_t *out = NULL, *v = NULL;
    mpr_imap_t *im;
    int n = 0, rc;

    CHECK_ERR(mpr_pool_map_iter(p, sq, &it, 1, &out), MPR_EKEY, "when 7");
    CU_ASSERT_EQUAL(c.calls, 8);
    c = (count_t){0, 10, 7, 0};
    it.len = 10;
    CHECK_ERR(mpr_pool_map_iter(p, sq, &it, MPR_CHUNKSIZE_NONE, &out), MPR_EKEY,
              "when 7");
    c = (count_t){0, 10, -2, 0};
    CU_ASSERT_EQUAL(mpr_pool_map_iter(p, sq, &it, 3, &out), 0);
    CU_ASSERT(out != NULL && is_range_squares(out, 10));
    mpr_obj_decref(out);
    c = (count_t){0, 20, 7, 0};
    CU_ASSERT_EQUAL_FATAL(mpr_pool_imap_iter(p, sq, &it, 2, &im), 0);
    while ((rc = mpr_imap_next(im, 10.0, &v)) == 1) {
        CU_ASSERT_EQUAL(mpr_obj_int_value(v), (int64_t)n * n);
        mpr_obj_decref(v);
        n++;
    }
    CU_ASSERT_EQUAL(n, 6); /* chunk [6, 7] was being filled: dropped */
    CU_ASSERT_EQUAL(rc, MPR_EKEY);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "when 7");
    CU_ASSERT_EQUAL(mpr_imap_next(im, 10.0, &v), 0); /* then it stops */
    mpr_imap_free(im);
    c = (count_t){0, 5, 0, 0};
    CU_ASSERT_EQUAL_FATAL(mpr_pool_imap_unordered_iter(p, sq, &it, 1, &im), 0);
    CHECK_ERR(mpr_imap_next(im, 10.0, &v), MPR_EKEY, "when 0");
    CU_ASSERT_EQUAL(mpr_imap_next(im, 10.0, &v), 0);
    mpr_imap_free(im);
    CHECK_ERR(mpr_pool_imap_iter(p, sq, &it, 0, &im), MPR_EVALUE,
              "Chunksize must be 1+, not 0");
    CU_ASSERT_EQUAL(mpr_pool_close(p), 0);
    CHECK_ERR(mpr_pool_map_iter(p, sq, &it, 1, &out), MPR_EVALUE,
              "Pool not running");
    CU_ASSERT_EQUAL(mpr_pool_join(p), 0);
    mpr_pool_free(p);
}

/* A process class whose 2nd start fails: the worker really started is
 * terminated and joined (the harness checks no child is left), through
 * the hooks, and the error is Pool()'s. */
typedef struct {
    int creates, starts, terminates, joins;
} hooks_log_t;

static void log_create(mpr_process_t *w, void *arg)
{
    (void)w;
    ((hooks_log_t *)arg)->creates++;
}

static int start_then_fail(mpr_process_t *w, void *arg)
{
    if (++((hooks_log_t *)arg)->starts == 2)
        return mpr_target_error(MPR_EVALUE, "no more");
    return mpr_process_start(w);
}

static int log_terminate(mpr_process_t *w, void *arg)
{
    ((hooks_log_t *)arg)->terminates++;
    return mpr_process_terminate(w);
}

static int log_join(mpr_process_t *w, void *arg)
{
    ((hooks_log_t *)arg)->joins++;
    return mpr_process_join(w, MPR_TIMEOUT_NONE);
}

static void test_pool_process_class_start_failure(void)
{
    hooks_log_t log = {0};
    mpr_pool_process_class_t cls = {log_create, start_then_fail, log_terminate,
                                    log_join, &log};
    mpr_pool_options_t o = {.processes = 3, .process = &cls};
    mpr_pool_t *p = NULL;

    CHECK_ERR(mpr_pool_new(&p, &o), MPR_EVALUE, "no more");
    CU_ASSERT_EQUAL(log.creates, 2);
    CU_ASSERT_EQUAL(log.starts, 2);
    CU_ASSERT_EQUAL(log.terminates, 1);
    CU_ASSERT_EQUAL(log.joins, 1);
    CU_ASSERT_EQUAL(mpr_active_children(NULL), 0);
    /* hooks that call the real methods: an ordinary pool */
    log = (hooks_log_t){0};
    cls.start = NULL;
    o.processes = 2;
    CU_ASSERT_EQUAL_FATAL(mpr_pool_new(&p, &o), 0);
    CU_ASSERT_EQUAL(mpr_pool_terminate(p), 0);
    CU_ASSERT_EQUAL(mpr_pool_join(p), 0);
    CU_ASSERT_EQUAL(log.creates, 2);
    CU_ASSERT_EQUAL(log.terminates, 2);
    CU_ASSERT_EQUAL(log.joins, 2);
    mpr_pool_free(p);
}

static void test_pool_use_after_close_or_terminate(void)
{
    mpr_pool_t *p = new_pool(1), *as = NULL;
    mpr_obj_t *in = range_list(0, 3), *out;
    mpr_asyncresult_t *r;
    mpr_imap_t *it;

    CHECK_ERR(mpr_pool_join(p), MPR_EVALUE, "Pool is still running");
    CU_ASSERT_EQUAL(mpr_pool_enter(p, &as), 0); /* with pool as as: */
    CU_ASSERT_PTR_EQUAL(as, p);
    CU_ASSERT_EQUAL(mpr_pool_close(p), 0);
    CHECK_ERR(mpr_pool_enter(p, &as), MPR_EVALUE, "Pool not running");
    CU_ASSERT_PTR_NULL(as);
    CHECK_ERR(mpr_pool_map(p, sq, in, 1, &out), MPR_EVALUE, "Pool not running");
    CHECK_ERR(mpr_pool_apply_async(p, sq, in, NULL, NULL, NULL, NULL, &r),
              MPR_EVALUE, "Pool not running");
    CHECK_ERR(mpr_pool_imap(p, sq, in, 1, &it), MPR_EVALUE, "Pool not running");
    CU_ASSERT_EQUAL(mpr_pool_join(p), 0);
    CU_ASSERT_EQUAL(mpr_active_children(NULL), 0);
    mpr_pool_free(p);

    p = new_pool(2);
    CU_ASSERT_EQUAL(mpr_pool_terminate(p), 0);
    CU_ASSERT_EQUAL(mpr_pool_terminate(p), 0);
    CHECK_ERR(mpr_pool_enter(p, &as), MPR_EVALUE, "Pool not running");
    CHECK_ERR(mpr_pool_map(p, sq, in, 1, &out), MPR_EVALUE, "Pool not running");
    CU_ASSERT_EQUAL(mpr_pool_join(p), 0);
    mpr_pool_free(p);
    mpr_obj_decref(in);
}

/* terminate() does not wait for pending tasks (CPython's test_terminate) */
static void test_pool_terminate_does_not_drain(void)
{
    mpr_pool_t *p = new_pool(2);
    mpr_obj_t *in = mpr_obj_list();
    mpr_asyncresult_t *r;
    double t0;

    for (int i = 0; i < 1000; i++)
        mpr_obj_list_append_steal(in, mpr_obj_float(0.01));
    CU_ASSERT_EQUAL_FATAL(
        mpr_pool_map_async(p, sleep_for, in, 1, NULL, NULL, NULL, &r), 0);
    t0 = mpr_monotonic();
    CU_ASSERT_EQUAL(mpr_pool_terminate(p), 0);
    CU_ASSERT_EQUAL(mpr_pool_join(p), 0);
    CU_ASSERT(mpr_monotonic() - t0 < 2.0);
    CU_ASSERT_EQUAL(mpr_asyncresult_ready(r), 0);
    mpr_asyncresult_free(r);
    mpr_obj_decref(in);
    mpr_pool_free(p);
}

/*
 * A worker killed mid-map is replaced (next counter number) and the pool
 * stays usable, but the in-flight map never completes: CPython's
 * behaviour (get(timeout) is TimeoutError; a plain map would hang).
 */
static void test_pool_killed_worker_is_replaced(void)
{
    mpr_pool_t *p = new_pool(2);
    mpr_obj_t *in = mpr_obj_list(), *who = range_list(0, 8), *out = NULL;
    mpr_obj_t *before = NULL;
    mpr_asyncresult_t *r;
    int killed = 0, ok = 1;

    CU_ASSERT_EQUAL(mpr_pool_map(p, whoami, who, 1, &before), 0);
    for (int i = 0; i < 4; i++)
        mpr_obj_list_append_steal(in, mpr_obj_float(0.5));
    CU_ASSERT_EQUAL_FATAL(
        mpr_pool_map_async(p, sleep_for, in, 1, NULL, NULL, NULL, &r), 0);
    usleep(200000);
    if (before != NULL) {
        pid_t pid =
            (pid_t)mpr_obj_int_value(mpr_obj_item(mpr_obj_item(before, 0), 0));
        killed = kill(pid, SIGKILL) == 0;
    }
    CU_ASSERT(killed);
    CU_ASSERT_EQUAL(mpr_asyncresult_get(r, 2.0, &out), MPR_ETIMEOUT);
    /* new tasks still run, on the survivor and a new worker (never the
     * killed one) */
    CU_ASSERT_EQUAL(mpr_pool_map(p, whoami, who, 1, &out), 0);
    if (before != NULL && out != NULL) {
        const char *dead =
            mpr_obj_str_utf8(mpr_obj_item(mpr_obj_item(before, 0), 1), NULL);
        int fresh = 0;
        for (size_t i = 0; i < mpr_obj_len(out); i++) {
            const char *name =
                mpr_obj_str_utf8(mpr_obj_item(mpr_obj_item(out, i), 1), NULL);
            int known = 0;
            ok &= strcmp(name, dead) != 0;
            for (size_t j = 0; j < mpr_obj_len(before); j++)
                known |=
                    strcmp(name, mpr_obj_str_utf8(
                                     mpr_obj_item(mpr_obj_item(before, j), 1),
                                     NULL)) == 0;
            fresh |= !known;
        }
        ok &= fresh;
    }
    CU_ASSERT(out != NULL && ok);
    mpr_obj_decref(out);
    mpr_obj_decref(before);
    mpr_asyncresult_free(r);
    mpr_obj_decref(in);
    mpr_obj_decref(who);
    mpr_pool_free(p);
}

static void test_pool_maxtasksperchild_and_initializer(void)
{
    mpr_obj_t *initargs = mpr_obj_tuple_steal(1, mpr_obj_int(7));
    mpr_pool_options_t o = {.processes = 1,
                            .maxtasksperchild = 1,
                            .initializer = init,
                            .initargs = initargs};
    mpr_obj_t *in = range_list(0, 4), *out = NULL;
    mpr_pool_t *p;
    int distinct = 1;

    CU_ASSERT_EQUAL_FATAL(mpr_pool_new(&p, &o), 0);
    CU_ASSERT_EQUAL(mpr_pool_map(p, whoami, in, 1, &out), 0);
    for (size_t i = 0; out != NULL && i < 4; i++)
        for (size_t j = 0; j < i; j++)
            distinct &=
                mpr_obj_int_value(mpr_obj_item(mpr_obj_item(out, i), 0)) !=
                mpr_obj_int_value(mpr_obj_item(mpr_obj_item(out, j), 0));
    CU_ASSERT(out != NULL && distinct); /* a fresh worker per task */
    mpr_obj_decref(out);
    CU_ASSERT_EQUAL(mpr_pool_apply(p, get_init, NULL, NULL, &out), 0);
    CU_ASSERT(out != NULL && mpr_obj_int_value(out) == 7);
    CU_ASSERT_EQUAL(init_value, -1); /* ran in the worker only */
    mpr_obj_decref(out);
    CU_ASSERT_EQUAL(mpr_pool_close(p), 0);
    CU_ASSERT_EQUAL(mpr_pool_join(p), 0);
    mpr_pool_free(p);
    mpr_obj_decref(in);
    mpr_obj_decref(initargs);
}

/* map_async of nothing is ready at once with [] and never calls its
 * callback (MapResult.__init__ with _number_left 0); starmap_async
 * unpacks; imap of nothing ends at once; imap's next(timeout) is
 * multiprocessing.TimeoutError while the item is not back. */
static void test_pool_async_edges(void)
{
    mpr_pool_t *p = new_pool(2);
    mpr_obj_t *empty = mpr_obj_list(), *out = NULL, *pairs, *slow;
    cb_log_t l1 = {0}, l2 = {0};
    mpr_asyncresult_t *r;
    mpr_imap_t *it;

    CU_ASSERT_EQUAL_FATAL(mpr_pool_map_async(p, sq, empty, MPR_CHUNKSIZE_NONE,
                                             on_result, on_error, &l1, &r),
                          0);
    CU_ASSERT_EQUAL(l1.calls, 0);
    CU_ASSERT_EQUAL(mpr_asyncresult_ready(r), 1);
    CU_ASSERT_EQUAL(mpr_asyncresult_successful(r), 1);
    CU_ASSERT_EQUAL(mpr_asyncresult_get(r, 0, &out), 0);
    CU_ASSERT(out != NULL && mpr_obj_len(out) == 0);
    mpr_obj_decref(out);
    mpr_asyncresult_free(r);

    pairs = mpr_obj_list_of_steal(
        2, mpr_obj_tuple_steal(2, mpr_obj_int(1), mpr_obj_int(2)),
        mpr_obj_list_of_steal(2, mpr_obj_int(3), mpr_obj_int(4)));
    CU_ASSERT_EQUAL_FATAL(
        mpr_pool_starmap_async(p, add, pairs, 1, on_result, on_error, &l2, &r),
        0);
    out = NULL;
    CU_ASSERT_EQUAL(mpr_asyncresult_get(r, 10.0, &out), 0);
    CU_ASSERT(out != NULL && mpr_obj_len(out) == 2 &&
              mpr_obj_int_value(mpr_obj_item(out, 0)) == 3 &&
              mpr_obj_int_value(mpr_obj_item(out, 1)) == 7);
    mpr_obj_decref(out);
    CU_ASSERT_EQUAL(mpr_asyncresult_wait(r, 5.0), 0);
    CU_ASSERT_EQUAL(l2.calls, 1);
    CU_ASSERT_EQUAL(l2.value, 2);
    CU_ASSERT_EQUAL(l2.errors, 0);
    mpr_asyncresult_free(r);

    CU_ASSERT_EQUAL_FATAL(mpr_pool_imap(p, sq, empty, 1, &it), 0);
    CU_ASSERT_EQUAL(mpr_imap_next(it, 5.0, &out), 0); /* StopIteration */
    mpr_imap_free(it);
    slow = mpr_obj_list_of_steal(1, mpr_obj_int(0)); /* slow_sq(0): 0.2 s */
    CU_ASSERT_EQUAL_FATAL(mpr_pool_imap(p, slow_sq, slow, 1, &it), 0);
    CU_ASSERT_EQUAL(mpr_imap_next(it, 0.01, &out), MPR_ETIMEOUT);
    out = NULL;
    CU_ASSERT_EQUAL(mpr_imap_next(it, 10.0, &out), 1);
    CU_ASSERT(out != NULL && mpr_obj_int_value(out) == 0);
    mpr_obj_decref(out);
    CU_ASSERT_EQUAL(mpr_imap_next(it, 5.0, &out), 0);
    mpr_imap_free(it);
    mpr_obj_decref(empty);
    mpr_obj_decref(pairs);
    mpr_obj_decref(slow);
    CU_ASSERT_EQUAL(mpr_pool_close(p), 0);
    CU_ASSERT_EQUAL(mpr_pool_join(p), 0);
    mpr_pool_free(p);
}

int mprtest_register(CU_pSuite s)
{
    MPRTEST_ADD(s, test_pool_process_class_start_failure,
                "a worker class whose start fails: Pool() raises it, the "
                "started workers are terminated and joined");
    MPRTEST_ADD(s, test_pool_iterator_inputs,
                "iterators as inputs: an exception of the iterable comes "
                "out of map/imap after the chunks before it");
    MPRTEST_ADD(s, test_pool_bad_context_and_repr_length,
                "Pool(context='bad') is ValueError; repr length");
    MPRTEST_ADD(s, test_pool_bad_sizes_are_value_error,
                "Pool(0), Pool(-1), maxtasksperchild 0 or -1 are ValueError");
    MPRTEST_ADD(s, test_pool_default_size_and_worker_names,
                "Pool() has cpu_count workers named ForkPoolWorker-N; repr "
                "in every state");
    MPRTEST_ADD(s, test_pool_map_keeps_input_order,
                "map keeps input order when early items are slowest; [] "
                "gives []; chunksize 0 gives Nones without calls");
    MPRTEST_ADD(s, test_pool_map_packed_chunks_keep_values,
                "map over chunks of ints: a bool, a str, non-int results "
                "in mid-chunk and kept args come back unchanged");
    MPRTEST_ADD(s, test_pool_map_a_million_items,
                "map over 10^6 items with the default chunksize");
    MPRTEST_ADD(s, test_pool_starmap_and_apply,
                "starmap unpacks tuples; apply with args and kwargs");
    MPRTEST_ADD(s, test_pool_worker_exception_is_reraised,
                "a worker's exception is re-raised with its class and "
                "message; the pool goes on");
    MPRTEST_ADD(s, test_pool_async_edges,
                "map_async([]) is ready at once; starmap_async; imap of "
                "nothing; imap next(timeout) is TimeoutError");
    MPRTEST_ADD(s, test_pool_failing_chunks_then_close_and_join,
                "a failing map chunk and a non-iterable starmap item are "
                "re-raised; close and join still end the pool");
    MPRTEST_ADD(s, test_pool_unpicklable_task_fails_its_result,
                "a task that cannot be pickled fails its result with "
                "RecursionError; the pool keeps working");
    MPRTEST_ADD(s, test_pool_unpicklable_result_is_maybe_encoding_error,
                "a result that cannot be pickled is MaybeEncodingError to "
                "get() and error_callback, 20 times, no worker lost");
    MPRTEST_ADD(s, test_pool_unpicklable_chunk_in_map_and_imap,
                "map and imap over a chunk with a Lock result: "
                "MaybeEncodingError of the chunk's list; bad inputs");
    MPRTEST_ADD(s, test_pool_async_results_and_callbacks,
                "AsyncResult before and after completion; callback and "
                "error_callback");
    MPRTEST_ADD(s, test_pool_imap_orders_and_unordered_once,
                "imap is in order; imap_unordered gives each result once; "
                "chunksize < 1 is ValueError");
    MPRTEST_ADD(s, test_pool_imap_raises_at_failure_and_continues,
                "imap raises at the failing chunk and continues after it");
    MPRTEST_ADD(
        s, test_pool_use_after_close_or_terminate,
        "use (and with) after close/terminate is 'Pool not running'; join "
        "before close is 'Pool is still running'");
    MPRTEST_ADD(s, test_pool_terminate_does_not_drain,
                "terminate does not wait for pending tasks");
    MPRTEST_ADD(s, test_pool_killed_worker_is_replaced,
                "a SIGKILLed worker is replaced; its map never completes, "
                "as in CPython");
    MPRTEST_ADD(s, test_pool_maxtasksperchild_and_initializer,
                "maxtasksperchild=1 gives a fresh worker per task; the "
                "initializer runs in each worker");
    return 0;
}
