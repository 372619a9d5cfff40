/*
 * manager/sync-types-child: one SyncManager per type, as the suite's setUp
 * starts one per test; the object (Event, Lock, Barrier(5), Queue(2),
 * JoinableQueue(2), Value('i', 1)) is used by a daemonic child, then
 * checked by the parent.
 * The proxy goes in the child's args as a value, as in the Python.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the object of the test running (a fork child inherits it) */
static mpr_proxy_t *obj;
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

/* obj._callmethod(m, args) (args stolen; NULL: ()): the result, or NULL
 * with the error kept in rc_fail. */
static mpr_obj_t *cm(const char *m, mpr_obj_t *args)
{
    mpr_obj_t *out = NULL;
    int rc = mpr_proxy_callmethod(obj, m, args, NULL, &out);

    mpr_obj_decref(args);
    if (rc < 0 && rc_fail == 0)
        rc_fail = rc;
    return rc < 0 ? NULL : out;
}

#define F(v) mpr_obj_tuple_steal(1, mpr_obj_float(v))
#define I(v) mpr_obj_tuple_steal(1, mpr_obj_int(v))
#define S(v) mpr_obj_tuple_steal(1, mpr_obj_str(v))

static void child_event(void)
{
    printf("  child: is_set %s", r(cm("is_set", NULL)));
    printf(" wait() %s\n", r(cm("wait", NULL)));
    r(cm("clear", NULL));
    printf("  child: clear(); wait(0.001) %s\n", r(cm("wait", F(0.001))));
}

static void child_lock(void)
{
    printf("  child: acquire() %s\n", r(cm("acquire", NULL)));
}

static void child_barrier(void)
{
    /* obj.parties: BarrierProxy's property reads the server's attribute */
    printf("  child: parties %s\n", r(cm("__getattribute__", S("parties"))));
    printf("  child: reset() %s\n", r(cm("reset", NULL)));
}

static void child_queue(void)
{
    printf("  child: qsize %s", r(cm("qsize", NULL)));
    printf(" full %s", r(cm("full", NULL)));
    printf(" empty %s\n", r(cm("empty", NULL)));
    printf("  child: get %s", r(cm("get", NULL)));
    printf(" empty %s\n", r(cm("empty", NULL)));
    printf("  child: get %s", r(cm("get", NULL)));
    printf(" empty %s\n", r(cm("empty", NULL)));
}

static void child_value(void)
{
    /* obj.value is ValueProxy's property over get() */
    printf("  child: value %s", r(cm("get", NULL)));
    printf(" get() %s\n", r(cm("get", NULL)));
    r(cm("set", I(2)));
}

static void (*const children[])(void) = {child_event, child_lock, child_barrier,
                                         child_queue, child_value};

/* worker(index of the child function, the proxy) */
static int worker(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    int rc;

    (void)kwargs;
    if ((rc = case_proxy_of(mpr_obj_item(args, 1), &obj)) < 0)
        return rc;
    children[mpr_obj_int_value(mpr_obj_item(args, 0))]();
    return rc_fail;
}
MPR_TARGET(worker)

/* run_worker(child, obj): a daemonic child, joined; its exit code */
static int run_worker(int child)
{
    mpr_process_options_t po = {.target = worker, .daemon = MPR_TRUE};
    mpr_process_t *p = NULL;
    int rc, code = -1;

    po.args = mpr_obj_tuple_steal(2, mpr_obj_int(child),
                                  mpr_obj_handle(MPR_HANDLE_PROXY, obj));
    if (po.args == NULL)
        return mpr_last_error();
    if ((rc = mpr_process_new(&p, &po)) == 0 &&
        (rc = mpr_process_start(p)) == 0 &&
        (rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) == 0) {
        mpr_process_exitcode(p, &code);
        printf("  child exitcode: %d\n", code);
    }
    mpr_obj_decref((mpr_obj_t *)po.args);
    mpr_process_free(p);
    return rc;
}

static void test_event(void)
{
    r(cm("set", NULL));
    run_worker(0);
    printf("is_set: %s", r(cm("is_set", NULL)));
    printf(" wait(0.001): %s\n", r(cm("wait", F(0.001))));
}

static void test_lock(void)
{
    int rc;

    run_worker(1);
    printf("release(): %s\n", r(cm("release", NULL)));
    rc = mpr_proxy_callmethod(obj, "release", NULL, NULL, NULL);
    if (rc == MPR_ERUNTIME)
        printf("release() again: RuntimeError %s\n", mpr_last_error_detail());
    else
        printf("release() again: %d\n", rc);
}

static void test_barrier(void)
{
    run_worker(2);
    printf("parties n_waiting broken: %s",
           r(cm("__getattribute__", S("parties"))));
    printf(" %s", r(cm("__getattribute__", S("n_waiting"))));
    printf(" %s\n", r(cm("__getattribute__", S("broken"))));
}

static void test_queue(void)
{
    r(cm("put", I(5)));
    r(cm("put", I(6)));
    run_worker(3);
    printf("empty full: %s", r(cm("empty", NULL)));
    printf(" %s\n", r(cm("full", NULL)));
}

static void test_value(void)
{
    run_worker(4);
    printf("value get(): %s", r(cm("get", NULL)));
    printf(" %s\n", r(cm("get", NULL)));
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        void (*test)(void);
    } tests[] = {{"Event", test_event},         {"Lock", test_lock},
                 {"Barrier", test_barrier},     {"Queue", test_queue},
                 {"JoinableQueue", test_queue}, {"Value", test_value}};
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0)
        return case_fail(rc);
    for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
        mpr_obj_t *args = NULL;
        mpr_manager_t *manager = NULL;

        if (i == 2)
            args = I(5);
        else if (i == 3 || i == 4)
            args = I(2);
        else if (i == 5)
            args = mpr_obj_tuple_steal(2, mpr_obj_str("i"), mpr_obj_int(1));
        if ((rc = mpr_manager_new(&manager, NULL)) < 0 ||
            (rc = mpr_manager_start(manager)) < 0 ||
            (rc = mpr_manager_create(manager, tests[i].name, args, NULL,
                                     &obj)) < 0) {
            mpr_obj_decref(args);
            mpr_manager_free(manager);
            return case_fail(rc);
        }
        mpr_obj_decref(args);
        printf("%s\n", tests[i].name);
        tests[i].test();
        mpr_proxy_free(obj);
        obj = NULL;
        mpr_manager_shutdown(manager);
        mpr_manager_free(manager);
        if (rc_fail < 0)
            return case_fail(rc_fail);
    }
    return 0;
}
