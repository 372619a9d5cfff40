/*
 * manager/all-types: each type a SyncManager registers (list, dict,
 * Namespace, Lock, RLock, Semaphore, BoundedSemaphore, Condition, Event,
 * Barrier, Queue, Value, Array) made through one manager and used from a
 * child.  The proxies go in its args as values, as in the Python.  a[:]
 * is printed as
 * str(a): the full-slice copy of an array prints the same repr.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { L, D, NS, LOCK, RLOCK, SEM, BSEM, COND, EV, BAR, Q, V, A, N };
static mpr_proxy_t *o[N];
static int rc_fail;

/* repr(x) in a small ring of buffers (valid for the next few calls);
 * drops x. */
static const char *r(mpr_obj_t *x)
{
    static char ring[8][256];
    static int k;
    char *s, *out = ring[k++ % 8];

    if (x == NULL || mpr_obj_repr(x, &s, NULL) < 0) {
        rc_fail = x == NULL ? rc_fail : mpr_last_error();
        mpr_obj_decref(x);
        return "<error>";
    }
    snprintf(out, 256, "%s", s);
    mpr_free(s);
    mpr_obj_decref(x);
    return out;
}

/* proxy._callmethod(m, args) (args stolen; NULL: ()): the result, or NULL
 * with the error kept in rc_fail. */
static mpr_obj_t *cm(int i, const char *m, mpr_obj_t *args)
{
    mpr_obj_t *out = NULL;
    int rc = mpr_proxy_callmethod(o[i], m, args, NULL, &out);

    mpr_obj_decref(args);
    if (rc < 0 && rc_fail == 0)
        rc_fail = rc;
    return rc < 0 ? NULL : out;
}

static const char *str(int i)
{
    static char ring[4][256];
    static int k;
    char *s, *out = ring[k++ % 4];

    if (mpr_proxy_str(o[i], &s, NULL) < 0) {
        rc_fail = mpr_last_error();
        return "<error>";
    }
    snprintf(out, 256, "%s", s);
    mpr_free(s);
    return out;
}

#define B(v) mpr_obj_tuple_steal(1, mpr_obj_bool(v))
#define I(v) mpr_obj_tuple_steal(1, mpr_obj_int(v))

static int child(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_obj_t *x;
    int rc;

    (void)kwargs;
    for (size_t i = 0; i < N; i++)
        if ((rc = case_proxy_of(mpr_obj_item(args, i), &o[i])) < 0)
            return rc;
    printf("child lock.acquire(False): %s\n", r(cm(LOCK, "acquire", B(0))));
    printf("child rlock.acquire(False): %s\n", r(cm(RLOCK, "acquire", B(0))));
    printf("child sem.acquire x3: %s", r(cm(SEM, "acquire", B(0))));
    printf(" %s", r(cm(SEM, "acquire", B(0))));
    printf(" %s\n", r(cm(SEM, "acquire", B(0))));
    printf("child bsem.acquire: %s", r(cm(BSEM, "acquire", NULL)));
    printf(" %s\n", r(cm(BSEM, "release", NULL)));
    if ((rc = mpr_proxy_callmethod(o[BSEM], "release", NULL, NULL, NULL)) ==
        MPR_EVALUE)
        printf("child bsem.release again: ValueError %s\n",
               mpr_last_error_detail());
    r(cm(COND, "acquire", NULL));
    r(cm(COND, "notify", NULL));
    r(cm(COND, "release", NULL));
    x = cm(BAR, "wait", NULL);
    r(cm(Q, "put", x ? mpr_obj_tuple_steal(1, x) : NULL));
    r(cm(EV, "set", NULL));
    r(cm(L, "append", I(3)));
    r(cm(D, "__setitem__",
         mpr_obj_tuple_steal(2, mpr_obj_str("b"), mpr_obj_int(2))));
    x = mpr_obj_str("child");
    if ((rc = mpr_proxy_setattr(o[NS], "y", x)) < 0 && rc_fail == 0)
        rc_fail = rc;
    mpr_obj_decref(x);
    x = cm(V, "get", NULL);
    r(cm(V, "set", x ? I(mpr_obj_int_value(x) + 1) : NULL));
    mpr_obj_decref(x);
    r(cm(A, "__setitem__",
         mpr_obj_tuple_steal(2, mpr_obj_int(0), mpr_obj_int(-1))));
    r(cm(Q, "put", mpr_obj_tuple_steal(1, mpr_obj_str("from child"))));
    return rc_fail;
}
MPR_TARGET(child)

static int make(mpr_manager_t *m)
{
    static const char *typeids[N] = {"list",
                                     "dict",
                                     "Namespace",
                                     "Lock",
                                     "RLock",
                                     "Semaphore",
                                     "BoundedSemaphore",
                                     "Condition",
                                     "Event",
                                     "Barrier",
                                     "Queue",
                                     "Value",
                                     "Array"};
    mpr_obj_t *args[N] = {NULL};
    int rc = 0;

    args[L] = mpr_obj_tuple_steal(
        1, mpr_obj_list_of_steal(2, mpr_obj_int(1), mpr_obj_int(2)));
    args[SEM] = I(2);
    args[BSEM] = I(1);
    args[BAR] = I(2);
    args[V] = mpr_obj_tuple_steal(2, mpr_obj_str("i"), mpr_obj_int(5));
    args[A] = mpr_obj_tuple_steal(2, mpr_obj_str("i"),
                                  mpr_obj_list_of_steal(3, mpr_obj_int(1),
                                                        mpr_obj_int(2),
                                                        mpr_obj_int(3)));
    for (int i = 0; rc == 0 && i < N; i++) {
        mpr_obj_t *k = NULL;
        if (i == D || i == NS) { /* m.dict(a=1), m.Namespace(x=1) */
            k = mpr_obj_dict();
            mpr_obj_dict_set_steal(k, mpr_obj_str(i == D ? "a" : "x"),
                                   mpr_obj_int(1));
        }
        rc = mpr_manager_create(m, typeids[i], args[i], k, &o[i]);
        mpr_obj_decref(k);
    }
    for (int i = 0; i < N; i++)
        mpr_obj_decref(args[i]);
    return rc;
}

static int run(mpr_manager_t *m)
{
    mpr_process_options_t po = {.target = child};
    mpr_obj_t *cargs = NULL, *idx, *other;
    mpr_process_t *p = NULL;
    int rc, code;

    if ((rc = make(m)) < 0)
        return rc;
    for (int i = 0; i < N; i++)
        printf("%s%s", i ? " " : "", mpr_proxy_type_name(o[i]));
    printf("\n");
    printf("lock.acquire: %s\n", r(cm(LOCK, "acquire", NULL)));
    printf("rlock.acquire x2: %s", r(cm(RLOCK, "acquire", NULL)));
    printf(" %s\n", r(cm(RLOCK, "acquire", NULL)));
    printf("ev.is_set: %s\n", r(cm(EV, "is_set", NULL)));
    if ((po.args = cargs = mpr_obj_tuple_new(N)) == NULL)
        return mpr_last_error();
    for (int i = 0; i < N; i++)
        if ((rc = mpr_obj_tuple_set_steal(
                 cargs, (size_t)i, mpr_obj_handle(MPR_HANDLE_PROXY, o[i]))) < 0)
            return rc;
    if ((rc = mpr_process_new(&p, &po)) < 0)
        return rc;
    r(cm(COND, "acquire", NULL));
    if ((rc = mpr_process_start(p)) < 0)
        return rc;
    printf("cond.wait: %s\n",
           r(cm(COND, "wait", mpr_obj_tuple_steal(1, mpr_obj_int(10)))));
    r(cm(COND, "release", NULL));
    idx = cm(BAR, "wait", NULL);
    other = cm(Q, "get", NULL);
    if (idx && other)
        printf("barrier indices: [%lld, %lld]\n",
               (long long)(mpr_obj_int_value(idx) < mpr_obj_int_value(other)
                               ? mpr_obj_int_value(idx)
                               : mpr_obj_int_value(other)),
               (long long)(mpr_obj_int_value(idx) < mpr_obj_int_value(other)
                               ? mpr_obj_int_value(other)
                               : mpr_obj_int_value(idx)));
    mpr_obj_decref(idx);
    mpr_obj_decref(other);
    if ((other = cm(Q, "get", NULL)) != NULL &&
        mpr_obj_type(other) == MPR_OBJ_STR)
        printf("q.get: %s\n", mpr_obj_str_utf8(other, NULL));
    mpr_obj_decref(other);
    if ((rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return rc;
    mpr_process_exitcode(p, &code);
    printf("exitcode: %d\n", code);
    printf("ev.is_set: %s\n", r(cm(EV, "is_set", NULL)));
    printf("l: %s\n", str(L));
    printf("d: %s\n", str(D));
    printf("ns: %s\n", str(NS));
    printf("v: %s %s\n", str(V), r(cm(V, "get", NULL)));
    printf("a: %s %s %d\n", str(A), str(A), mpr_proxy_len(o[A]));
    printf("sem: %s\n", str(SEM));
    r(cm(SEM, "release", NULL));
    printf("sem: %s\n", str(SEM));
    r(cm(LOCK, "release", NULL));
    printf("lock.acquire(False): %s\n", r(cm(LOCK, "acquire", B(0))));
    r(cm(RLOCK, "release", NULL));
    r(cm(RLOCK, "release", NULL));
    printf("rlock: %s\n", str(RLOCK));
    mpr_obj_decref(cargs);
    mpr_process_free(p);
    for (int i = 0; i < N; i++)
        mpr_proxy_free(o[i]);
    return rc_fail;
}

int main(int argc, char **argv)
{
    return case_main_with_manager(argc, argv, run);
}
