/*
 * queue/full-empty-timeouts: queue.Full / queue.Empty at once with
 * block=False whatever the timeout, only after T with a timeout; a put or
 * get blocked with a timeout succeeds when a child makes room or brings an
 * item; qsize, empty and full; FIFO; Queue(-5) is unbounded.
 * Queues go in args as values, as in the Python.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

static mpr_queue_t *q;

static int filler(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_obj_t *items = mpr_obj_item(args, 1);
    int rc = case_queue_of(mpr_obj_item(args, 0), &q);

    (void)kwargs;
    for (size_t i = 0; rc >= 0 && i < mpr_obj_len(items); i++)
        rc = mpr_queue_put(q, mpr_obj_item(items, i), 1, MPR_TIMEOUT_NONE);
    return rc < 0 ? rc : 0;
}
MPR_TARGET(filler)

static int late_getter(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    int rc = case_queue_of(mpr_obj_item(args, 0), &q);
    mpr_obj_t *got;
    char *r;

    (void)kwargs;
    if (rc < 0)
        return rc;
    mpr_sleep(0.5);
    if ((rc = mpr_queue_get(q, &got, 1, MPR_TIMEOUT_NONE)) < 0)
        return rc;
    if ((rc = mpr_obj_repr(got, &r, NULL)) == 0) {
        printf("child got %s\n", r);
        fflush(stdout);
        mpr_free(r);
    }
    mpr_obj_decref(got);
    return rc;
}
MPR_TARGET(late_getter)

static int late_putter(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    int rc = case_queue_of(mpr_obj_item(args, 0), &q);
    mpr_obj_t *late = mpr_obj_str("late");

    (void)kwargs;
    if (rc >= 0) {
        mpr_sleep(0.5);
        rc = mpr_queue_put(q, late, 1, MPR_TIMEOUT_NONE);
    }
    mpr_obj_decref(late);
    return rc < 0 ? rc : 0;
}
MPR_TARGET(late_putter)

/* The class name of an exception, as type(e).__name__. */
static const char *short_type(int rc)
{
    const char *t = mpr_err_pytype(rc), *dot = strrchr(t, '.');

    return dot ? dot + 1 : t;
}

/* start a child with args (queue, extra...) and optionally join it */
static int run_child(mpr_target_t fn, mpr_obj_t *extra, int join,
                     mpr_process_t **out)
{
    mpr_process_options_t o = {.target = fn};
    mpr_process_t *p;
    mpr_obj_t *args =
        extra
            ? mpr_obj_tuple_steal(2, mpr_obj_handle(MPR_HANDLE_QUEUE, q), extra)
            : mpr_obj_tuple_steal(1, mpr_obj_handle(MPR_HANDLE_QUEUE, q));
    int rc;

    if (args == NULL)
        return mpr_last_error();
    o.args = args;
    rc = mpr_process_new(&p, &o);
    mpr_obj_decref(args);
    if (rc < 0)
        return rc;
    if ((rc = mpr_process_start(p)) < 0)
        return rc;
    if (join) {
        rc = mpr_process_join(p, MPR_TIMEOUT_NONE);
        mpr_process_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

static void print_state(const char *label, int with_empty)
{
    if (with_empty)
        printf("%s: empty=%s full=%s qsize=%d\n", label,
               case_bool(mpr_queue_empty(q)), case_bool(mpr_queue_full(q)),
               mpr_queue_qsize(q));
    else
        printf("%s: full=%s qsize=%d\n", label, case_bool(mpr_queue_full(q)),
               mpr_queue_qsize(q));
}

/* One put or get attempt: its result as the Python prints it ('Full',
 * 'Empty' or repr of the value) and how long it took. */
static int attempt(int is_put, int block, double timeout, char *res,
                   size_t size, double *dt)
{
    mpr_obj_t *nine = mpr_obj_int(9), *got = NULL;
    double t = mpr_monotonic();
    int rc;

    rc = is_put ? mpr_queue_put(q, nine, block, timeout)
                : mpr_queue_get(q, &got, block, timeout);
    *dt = mpr_monotonic() - t;
    mpr_obj_decref(nine);
    if (rc == MPR_EFULL || rc == MPR_EEMPTY) {
        snprintf(res, size, "%s", short_type(rc));
        return 0;
    }
    if (rc < 0)
        return rc;
    if (got) {
        char *r;
        rc = mpr_obj_repr(got, &r, NULL);
        mpr_obj_decref(got);
        if (rc < 0)
            return rc;
        snprintf(res, size, "%s", r);
        mpr_free(r);
    } else {
        snprintf(res, size, "None");
    }
    return 0;
}

/* print('got', [q.get() for i in range(3)]...) */
static int get3(void)
{
    printf("got [");
    for (int i = 0; i < 3; i++) {
        mpr_obj_t *got;
        int rc;
        if ((rc = mpr_queue_get(q, &got, 1, MPR_TIMEOUT_NONE)) < 0)
            return rc;
        printf("%s%d", i ? ", " : "", (int)mpr_obj_int_value(got));
        mpr_obj_decref(got);
    }
    printf("]");
    return 0;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *label;
        int block;
        double timeout;
    } put_now[] = {{"put(9, False)", 0, MPR_TIMEOUT_NONE},
                   {"put(9, False, None)", 0, MPR_TIMEOUT_NONE},
                   {"put(9, False, 5)", 0, 5},
                   {"put(9, timeout=-1)", 1, -1},
                   {"put(9, True, 0)", 1, 0}},
      get_now[] = {{"get(False)", 0, MPR_TIMEOUT_NONE},
                   {"get(False, None)", 0, MPR_TIMEOUT_NONE},
                   {"get(False, 5)", 0, 5},
                   {"get(timeout=-1)", 1, -1},
                   {"get(True, 0)", 1, 0}};
    mpr_process_t *p;
    mpr_queue_t *q2;
    char res[64];
    double dt;
    int rc, ok;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = mpr_queue_new(&q, 3)) < 0)
        return case_fail(rc);
    print_state("new", 1);
    if ((rc = run_child(filler,
                        mpr_obj_list_of_steal(3, mpr_obj_int(0), mpr_obj_int(1),
                                              mpr_obj_int(2)),
                        1, NULL)) < 0)
        return case_fail(rc);
    print_state("a child put 3", 1);
    for (size_t i = 0; i < sizeof(put_now) / sizeof(put_now[0]); i++) {
        if ((rc = attempt(1, put_now[i].block, put_now[i].timeout, res,
                          sizeof(res), &dt)) < 0)
            return case_fail(rc);
        printf("%s: %s at once: %s\n", put_now[i].label, res,
               case_bool(dt < 1.0));
    }
    {
        mpr_obj_t *nine = mpr_obj_int(9);
        double t = mpr_monotonic();
        rc = mpr_queue_put_nowait(q, nine);
        dt = mpr_monotonic() - t;
        mpr_obj_decref(nine);
        if (rc != MPR_EFULL)
            return case_fail(rc < 0 ? rc : MPR_EASSERT);
        printf("put_nowait(9): %s at once: %s\n", short_type(rc),
               case_bool(dt < 1.0));
    }
    for (int i = 0; i < 2; i++) {
        if ((rc = attempt(1, 1, 0.3, res, sizeof(res), &dt)) < 0)
            return case_fail(rc);
        printf("%s: %s waited 0.3: %s\n",
               i ? "put(9, timeout=0.3)" : "put(9, True, 0.3)", res,
               case_bool(0.3 <= dt && dt < 5.0));
    }
    print_state("still", 0);
    if ((rc = get3()) < 0)
        return case_fail(rc);
    printf("\n");
    print_state("drained", 1);
    for (size_t i = 0; i < sizeof(get_now) / sizeof(get_now[0]); i++) {
        if ((rc = attempt(0, get_now[i].block, get_now[i].timeout, res,
                          sizeof(res), &dt)) < 0)
            return case_fail(rc);
        printf("%s: %s at once: %s\n", get_now[i].label, res,
               case_bool(dt < 1.0));
    }
    {
        mpr_obj_t *got;
        double t = mpr_monotonic();
        rc = mpr_queue_get_nowait(q, &got);
        dt = mpr_monotonic() - t;
        if (rc != MPR_EEMPTY)
            return case_fail(rc < 0 ? rc : MPR_EASSERT);
        printf("get_nowait(): %s at once: %s\n", short_type(rc),
               case_bool(dt < 1.0));
    }
    for (int i = 0; i < 2; i++) {
        if ((rc = attempt(0, 1, 0.3, res, sizeof(res), &dt)) < 0)
            return case_fail(rc);
        printf("%s: %s waited 0.3: %s\n",
               i ? "get(timeout=0.3)" : "get(True, 0.3)", res,
               case_bool(0.3 <= dt && dt < 5.0));
    }
    fflush(stdout);

    if ((rc = run_child(late_putter, NULL, 0, &p)) < 0 ||
        (rc = attempt(0, 1, 30, res, sizeof(res), &dt)) < 0)
        return case_fail(rc);
    printf("get(True, 30) while a child puts: %s before the timeout: %s\n", res,
           case_bool(dt < 30));
    if ((rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return case_fail(rc);
    mpr_process_free(p);

    for (int i = 10; i <= 12; i++) {
        mpr_obj_t *v = mpr_obj_int(i);
        rc = mpr_queue_put(q, v, 1, MPR_TIMEOUT_NONE);
        mpr_obj_decref(v);
        if (rc < 0)
            return case_fail(rc);
    }
    print_state("refilled", 0);
    fflush(stdout);
    if ((rc = run_child(late_getter, NULL, 0, &p)) < 0)
        return case_fail(rc);
    {
        mpr_obj_t *v = mpr_obj_int(99);
        double t = mpr_monotonic();
        rc = mpr_queue_put(q, v, 1, 30);
        dt = mpr_monotonic() - t;
        mpr_obj_decref(v);
        if (rc < 0 && rc != MPR_EFULL)
            return case_fail(rc);
        if ((ok = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
            return case_fail(ok);
        mpr_process_free(p);
        printf("put(99, timeout=30) while a child gets: %s before the timeout: "
               "%s\n",
               rc == MPR_EFULL ? "Full" : "None", case_bool(dt < 30));
    }
    if ((rc = get3()) < 0)
        return case_fail(rc);
    printf(" %d\n", mpr_queue_qsize(q));

    if ((rc = mpr_queue_new(&q2, -5)) < 0)
        return case_fail(rc);
    for (int i = 0; i < 40; i++) {
        mpr_obj_t *v = mpr_obj_int(i);
        rc = mpr_queue_put_nowait(q2, v);
        mpr_obj_decref(v);
        if (rc < 0)
            return case_fail(rc);
    }
    printf("Queue(-5) after 40 put_nowait: full=%s qsize=%d\n",
           case_bool(mpr_queue_full(q2)), mpr_queue_qsize(q2));
    ok = 1;
    for (int i = 0; i < 40; i++) {
        mpr_obj_t *got;
        if ((rc = mpr_queue_get(q2, &got, 1, 30)) < 0)
            return case_fail(rc);
        ok = ok && mpr_obj_type(got) == MPR_OBJ_INT &&
             mpr_obj_int_value(got) == i;
        mpr_obj_decref(got);
    }
    printf("in order: %s\n", case_bool(ok));
    mpr_queue_free(q2);
    mpr_queue_free(q);
    return 0;
}
