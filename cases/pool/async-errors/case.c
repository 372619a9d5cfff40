/*
 * pool/async-errors: a task's exception comes back from get(), apply(),
 * map() and imap with its class and message; error_callback gets it and
 * callback does not (the reverse on success), both in the parent;
 * ready()/successful() before and after completion; get(timeout) on a slow
 * task is TimeoutError, wait(timeout) returns; Pool(0), Pool(-1) and
 * maxtasksperchild 0/-1 are ValueError; after close() or terminate() the
 * pool refuses work with 'Pool not running'; terminate() does not wait.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static pid_t parent;

static int slow(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    (void)kwargs;
    mpr_sleep((double)mpr_obj_int_value(mpr_obj_item(args, 0)));
    *result = mpr_obj_incref(mpr_obj_item(args, 0));
    return 0;
}
MPR_TARGET(slow)

static int fail(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    (void)kwargs, (void)result;
    return mpr_target_error(
        MPR_EVALUE, "bad %lld",
        (long long)mpr_obj_int_value(mpr_obj_item(args, 0)));
}
MPR_TARGET(fail)

static int fail_some(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    int64_t x = mpr_obj_int_value(mpr_obj_item(args, 0));

    (void)kwargs;
    if (x == 3) /* KeyError(3): str() is repr(3) */
        return mpr_target_error(MPR_EKEY, "%lld", (long long)x);
    *result = mpr_obj_int(-x);
    return *result ? 0 : mpr_last_error();
}
MPR_TARGET(fail_some)

static int add(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    mpr_obj_t *b = NULL;
    int64_t bv = 10;

    if (mpr_obj_len(args) > 1)
        bv = mpr_obj_int_value(mpr_obj_item(args, 1));
    else if (kwargs != NULL && mpr_obj_dict_get_str(kwargs, "b", &b) == 1)
        bv = mpr_obj_int_value(b);
    *result = mpr_obj_int(mpr_obj_int_value(mpr_obj_item(args, 0)) + bv);
    return *result ? 0 : mpr_last_error();
}
MPR_TARGET(add)

static const char *where(void)
{
    return getpid() == parent ? "parent" : "worker";
}

static void callback(mpr_obj_t *value, void *tag)
{
    char *r;

    if (mpr_obj_repr(value, &r, NULL) == 0) {
        printf("%s callback: %s in %s %s\n", (const char *)tag, r, where(),
               mpr_process_name(mpr_current_process()));
        mpr_free(r);
    }
}

static void error_callback(int code, const char *message, void *tag)
{
    const char *cls = strrchr(mpr_err_pytype(code), '.');

    printf("%s error_callback: %s %s in %s %s\n", (const char *)tag,
           cls ? cls + 1 : mpr_err_pytype(code), message, where(),
           mpr_process_name(mpr_current_process()));
}

/* case_show(what, lambda: Pool(processes, maxtasksperchild=maxtasks)) */
static void try_pool(const char *what, int processes, int maxtasks,
                     unsigned flags)
{
    mpr_pool_options_t o = {
        .processes = processes, .maxtasksperchild = maxtasks, .flags = flags};
    mpr_pool_t *p = NULL;
    int rc = mpr_pool_new(&p, &o);

    case_show(what, rc, rc < 0 ? NULL : mpr_obj_str("a pool"));
    mpr_pool_free(p);
}

static void print_pool(const mpr_pool_t *p)
{
    char *r;

    if (mpr_pool_repr(p, &r, NULL) == 0) {
        printf("%s\n", r);
        mpr_free(r);
    }
}

/* case_show(what, lambda: (r.ready(), r.successful())) */
static void show_state(mpr_asyncresult_t *r)
{
    int ready = mpr_asyncresult_ready(r), ok = mpr_asyncresult_successful(r);

    if (ok < 0)
        case_show("ready, successful:", ok, NULL);
    else
        case_show(
            "ready, successful:", 0,
            mpr_obj_tuple_steal(2, mpr_obj_bool(ready), mpr_obj_bool(ok)));
}

static void show_get(const char *what, mpr_asyncresult_t *r, double timeout)
{
    mpr_obj_t *out = NULL;
    int rc = mpr_asyncresult_get(r, timeout, &out);

    case_show(what, rc, out);
}

#define I(v)     mpr_obj_int(v)
#define T1(a)    mpr_obj_tuple_steal(1, a)
#define T2(a, b) mpr_obj_tuple_steal(2, a, b)

static int run(void)
{
    mpr_pool_options_t o = {.processes = 2}, o1 = {.processes = 1};
    mpr_obj_t *a1 = T1(I(1)), *a2 = T1(I(2)), *a34 = T2(I(3), I(4)),
              *a60 = T1(I(60)), *kw = mpr_obj_dict(), *out = NULL, *r6, *l;
    mpr_asyncresult_t *r = NULL;
    mpr_imap_t *it = NULL;
    mpr_pool_t *p = NULL, *q = NULL, *p3 = NULL;
    char *rr, detail[256];
    double t;
    int rc;

    if (a1 == NULL || a2 == NULL || a34 == NULL || a60 == NULL || kw == NULL ||
        mpr_obj_dict_set_steal(kw, mpr_obj_str("b"), I(2)) < 0)
        return mpr_last_error();
    try_pool("Pool(0):", 0, 0, MPR_POOL_PROCESSES_SET);
    try_pool("Pool(-1):", -1, 0, MPR_POOL_PROCESSES_SET);
    try_pool("Pool(1, maxtasksperchild=0):", 1, 0,
             MPR_POOL_PROCESSES_SET | MPR_POOL_MAXTASKS_SET);
    try_pool("Pool(1, maxtasksperchild=-1):", 1, -1,
             MPR_POOL_PROCESSES_SET | MPR_POOL_MAXTASKS_SET);
    if ((rc = mpr_pool_new(&p, &o)) < 0)
        return rc;
    print_pool(p);
    if ((rc = mpr_pool_apply_async(p, slow, a2, NULL, NULL, NULL, NULL, &r)) <
        0)
        return rc;
    printf("type: %s %s\n", mpr_asyncresult_type_name(r),
           case_bool(mpr_asyncresult_ready(r)));
    if ((rc = mpr_asyncresult_successful(r)) == MPR_EVALUE) {
        snprintf(detail, sizeof(detail), "%s", mpr_last_error_detail());
        if ((rc = mpr_asyncresult_repr(r, &rr, NULL)) < 0)
            return rc;
        printf("successful() too early: ValueError %s\n",
               case_bool(strncmp(detail, rr, strlen(rr)) == 0 &&
                         strcmp(detail + strlen(rr), " not ready") == 0));
        mpr_free(rr);
    }
    show_get("get(timeout=0.2):", r, 0.2);
    case_show("wait(0.01):", mpr_asyncresult_wait(r, 0.01), NULL);
    if ((rc = mpr_asyncresult_get(r, 0.01, &out)) == MPR_ETIMEOUT)
        printf("TimeoutError is %s False\n", mpr_err_pytype(rc));
    show_get("get():", r, MPR_TIMEOUT_NONE);
    show_state(r);
    mpr_asyncresult_free(r);
    rc = mpr_pool_apply(p, add, a1, kw, &out);
    case_show("apply kwds:", rc, out);
    rc = mpr_pool_apply(p, add, a1, NULL, &out);
    case_show("apply default:", rc, out);
    rc = mpr_pool_apply(p, fail, a1, NULL, &out);
    case_show("apply fail:", rc, out);
    if ((rc = mpr_pool_apply_async(p, fail, a2, NULL, callback, error_callback,
                                   "apply", &r)) < 0)
        return rc;
    mpr_asyncresult_wait(r, MPR_TIMEOUT_NONE);
    show_state(r);
    show_get("get():", r, MPR_TIMEOUT_NONE);
    show_get("get() again:", r, MPR_TIMEOUT_NONE);
    mpr_asyncresult_free(r);
    if ((rc = mpr_pool_apply_async(p, add, a34, NULL, callback, error_callback,
                                   "apply", &r)) < 0)
        return rc;
    show_get("get():", r, 30);
    mpr_asyncresult_free(r);
    r6 = mpr_obj_list_of_steal(6, I(0), I(1), I(2), I(3), I(4), I(5));
    rc = mpr_pool_map(p, fail_some, r6, MPR_CHUNKSIZE_NONE, &out);
    case_show("map fail_some:", rc, out);
    rc = mpr_pool_map(p, fail_some, r6, 2, &out);
    case_show("map fail_some chunksize=2:", rc, out);
    mpr_obj_decref(r6);
    l = mpr_obj_list_of_steal(3, I(0), I(1), I(2));
    rc = mpr_pool_map(p, fail_some, l, MPR_CHUNKSIZE_NONE, &out);
    case_show("map ok:", rc, out);
    mpr_obj_decref(l);
    l = mpr_obj_list_of_steal(2, I(1), I(3));
    if ((rc = mpr_pool_map_async(p, fail_some, l, MPR_CHUNKSIZE_NONE, callback,
                                 error_callback, "map", &r)) < 0)
        return rc;
    mpr_obj_decref(l);
    mpr_asyncresult_wait(r, MPR_TIMEOUT_NONE);
    show_get("map_async get():", r, MPR_TIMEOUT_NONE);
    mpr_asyncresult_free(r);
    l = mpr_obj_list_of_steal(2, I(1), I(2));
    if ((rc = mpr_pool_map_async(p, fail_some, l, MPR_CHUNKSIZE_NONE, callback,
                                 error_callback, "map", &r)) < 0)
        return rc;
    mpr_obj_decref(l);
    show_get("map_async get():", r, 30);
    mpr_asyncresult_free(r);
    l = mpr_obj_list_of_steal(3, I(2), I(3), I(4));
    if ((rc = mpr_pool_imap(p, fail_some, l, 1, &it)) < 0)
        return rc;
    mpr_obj_decref(l);
    for (int i = 0; i < 3; i++) {
        out = NULL;
        rc = mpr_imap_next(it, MPR_TIMEOUT_NONE, &out);
        case_show("imap next:", rc, out);
    }
    mpr_imap_free(it);
    it = NULL;
    mpr_pool_close(p);
    print_pool(p);
    l = mpr_obj_list_of_steal(1, I(1));
    rc = mpr_pool_apply(p, add, a1, NULL, &out);
    case_show("apply after close:", rc, out);
    rc = mpr_pool_map(p, add, l, MPR_CHUNKSIZE_NONE, &out);
    case_show("map after close:", rc, out);
    r = NULL;
    rc = mpr_pool_apply_async(p, add, a1, NULL, NULL, NULL, NULL, &r);
    case_show("apply_async after close:", rc,
              rc < 0 ? NULL : mpr_obj_str("a result"));
    mpr_asyncresult_free(r);
    r = NULL;
    rc = mpr_pool_imap(p, add, l, 1, &it);
    case_show("imap after close:", rc,
              rc < 0 ? NULL : mpr_obj_str("an iterator"));
    mpr_imap_free(it);
    case_show("join:", mpr_pool_join(p), NULL);
    if ((rc = mpr_pool_new(&q, &o1)) < 0 ||
        (rc = mpr_pool_apply_async(q, slow, a60, NULL, NULL, NULL, NULL, &r)) <
            0)
        return rc;
    t = mpr_monotonic();
    mpr_pool_terminate(q);
    print_pool(q);
    mpr_pool_join(q);
    printf("terminate did not wait: %s\n", case_bool(mpr_monotonic() - t < 30));
    case_show("ready after terminate:", 0,
              mpr_obj_bool(mpr_asyncresult_ready(r)));
    mpr_asyncresult_free(r);
    r = NULL;
    rc =
        mpr_pool_map_async(q, add, l, MPR_CHUNKSIZE_NONE, NULL, NULL, NULL, &r);
    case_show("map_async after terminate:", rc,
              rc < 0 ? NULL : mpr_obj_str("a result"));
    mpr_asyncresult_free(r);
    if ((rc = mpr_pool_new(&p3, &o1)) < 0)
        return rc;
    case_show("join() of a running pool:", mpr_pool_join(p3), NULL);
    mpr_pool_free(p3);
    mpr_pool_free(q);
    mpr_pool_free(p);
    mpr_obj_decref(l);
    mpr_obj_decref(a1);
    mpr_obj_decref(a2);
    mpr_obj_decref(a34);
    mpr_obj_decref(a60);
    mpr_obj_decref(kw);
    return 0;
}

int main(int argc, char **argv)
{
    int rc;

    parent = getpid();
    if ((rc = mpr_main(argc, argv)) == 0)
        rc = run();
    return rc < 0 ? case_fail(rc) : 0;
}
