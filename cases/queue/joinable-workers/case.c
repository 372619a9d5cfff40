/*
 * queue/joinable-workers: JoinableQueue.join() returns at once with nothing
 * pending; task_done() with nothing pending is ValueError; four worker
 * processes take ten items and join() returns only after every
 * task_done(); one task_done() short keeps a joining process waiting.
 * Queues go in args as values, as in the Python.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

static mpr_jqueue_t *jq;
static mpr_queue_t *results;

static int worker(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    int rc;

    (void)kwargs;
    if ((rc = case_queue_of(mpr_obj_item(args, 0), &jq)) < 0 ||
        (rc = case_queue_of(mpr_obj_item(args, 1), &results)) < 0)
        return rc;
    for (;;) {
        mpr_obj_t *item, *res;
        int64_t v;
        if ((rc = mpr_queue_get(jq, &item, 1, MPR_TIMEOUT_NONE)) < 0)
            return rc;
        if (mpr_obj_is_none(item)) {
            mpr_obj_decref(item);
            rc = mpr_jqueue_task_done(jq);
            break;
        }
        mpr_sleep(0.1);
        v = mpr_obj_int_value(item);
        res = mpr_obj_tuple_steal(2, item, mpr_obj_int(v * v));
        rc = res ? mpr_queue_put(results, res, 1, MPR_TIMEOUT_NONE)
                 : mpr_last_error();
        mpr_obj_decref(res);
        if (rc < 0 || (rc = mpr_jqueue_task_done(jq)) < 0)
            return rc;
    }
    return rc;
}
MPR_TARGET(worker)

static int joiner(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    int rc = case_queue_of(mpr_obj_item(args, 0), &jq);

    (void)kwargs;
    if (rc < 0 || (rc = mpr_jqueue_join(jq)) < 0)
        return rc;
    printf("joiner: join() returned\n");
    fflush(stdout);
    return 0;
}
MPR_TARGET(joiner)

/* try: jq.task_done() except ValueError as e: print(...) */
static int too_many(void)
{
    int rc = mpr_jqueue_task_done(jq);

    if (rc != MPR_EVALUE)
        return rc < 0 ? rc : MPR_EASSERT;
    printf("task_done: ValueError %s\n", mpr_last_error_detail());
    fflush(stdout);
    return 0;
}

static int too_many_child(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    int rc = case_queue_of(mpr_obj_item(args, 0), &jq);

    (void)kwargs;
    if (rc < 0 || (rc = too_many()) < 0)
        return rc;
    return 0;
}
MPR_TARGET(too_many_child)

/* Process(target=fn, args=(jq, results) or (jq,)), not started */
static int new_process(mpr_process_t **p, mpr_target_t fn, int with_results)
{
    return case_process(
        p, fn,
        with_results
            ? mpr_obj_tuple_steal(2, mpr_obj_handle(MPR_HANDLE_QUEUE, jq),
                                  mpr_obj_handle(MPR_HANDLE_QUEUE, results))
            : mpr_obj_tuple_steal(1, mpr_obj_handle(MPR_HANDLE_QUEUE, jq)));
}

static int put(mpr_obj_t *v)
{
    int rc = v ? mpr_queue_put(jq, v, 1, MPR_TIMEOUT_NONE) : mpr_last_error();

    mpr_obj_decref(v);
    return rc;
}

int main(int argc, char **argv)
{
    mpr_process_t *workers[4], *p;
    mpr_obj_t *got[10], *l, *a, *b;
    double t;
    char *r;
    int rc, code;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = mpr_jqueue_new(&jq, 0)) < 0 ||
        (rc = mpr_queue_new(&results, 0)) < 0)
        return case_fail(rc);
    t = mpr_monotonic();
    if ((rc = mpr_jqueue_join(jq)) < 0)
        return case_fail(rc);
    printf("join() with nothing pending: None at once: %s\n",
           case_bool(mpr_monotonic() - t < 1.0));
    if ((rc = too_many()) < 0)
        return case_fail(rc);
    for (int i = 0; i < 10; i++)
        if ((rc = put(mpr_obj_int(i))) < 0)
            return case_fail(rc);
    for (int i = 0; i < 4; i++)
        if ((rc = new_process(&workers[i], worker, 1)) < 0)
            return case_fail(rc);
    for (int i = 0; i < 4; i++)
        if ((rc = mpr_process_start(workers[i])) < 0)
            return case_fail(rc);
    if ((rc = mpr_jqueue_join(jq)) < 0)
        return case_fail(rc);
    printf("join() returned; results already put: %d\n",
           mpr_queue_qsize(results));
    for (int i = 0; i < 10; i++) {
        if ((rc = mpr_queue_get(results, &got[i], 1, MPR_TIMEOUT_NONE)) < 0)
            return case_fail(rc);
        /* sorted(): insertion by the first item */
        for (int j = i;
             j > 0 && mpr_obj_int_value(mpr_obj_item(got[j], 0)) <
                          mpr_obj_int_value(mpr_obj_item(got[j - 1], 0));
             j--) {
            mpr_obj_t *tmp = got[j];
            got[j] = got[j - 1];
            got[j - 1] = tmp;
        }
    }
    if ((l = mpr_obj_list()) == NULL)
        return case_fail(mpr_last_error());
    for (int i = 0; i < 10; i++)
        if ((rc = mpr_obj_list_append_steal(l, got[i])) < 0)
            return case_fail(rc);
    if ((rc = mpr_obj_repr(l, &r, NULL)) < 0)
        return case_fail(rc);
    printf("%s\n", r);
    mpr_free(r);
    mpr_obj_decref(l);
    for (int i = 0; i < 4; i++)
        if ((rc = put(mpr_obj_none())) < 0)
            return case_fail(rc);
    if ((rc = mpr_jqueue_join(jq)) < 0)
        return case_fail(rc);
    printf("workers: [");
    for (int i = 0; i < 4; i++) {
        if ((rc = mpr_process_join(workers[i], MPR_TIMEOUT_NONE)) < 0)
            return case_fail(rc);
        mpr_process_exitcode(workers[i], &code);
        printf("%s%d", i ? ", " : "", code);
        mpr_process_free(workers[i]);
    }
    printf("] qsize %d\n", mpr_queue_qsize(jq));
    if ((rc = too_many()) < 0)
        return case_fail(rc);

    if ((rc = put(mpr_obj_str("a"))) < 0 || (rc = put(mpr_obj_str("b"))) < 0 ||
        (rc = mpr_queue_get(jq, &a, 1, MPR_TIMEOUT_NONE)) < 0 ||
        (rc = mpr_queue_get(jq, &b, 1, MPR_TIMEOUT_NONE)) < 0)
        return case_fail(rc);
    printf("got %s %s\n", mpr_obj_str_utf8(a, NULL), mpr_obj_str_utf8(b, NULL));
    fflush(stdout);
    mpr_obj_decref(a);
    mpr_obj_decref(b);
    if ((rc = mpr_jqueue_task_done(jq)) < 0 ||
        (rc = new_process(&p, joiner, 0)) < 0 ||
        (rc = mpr_process_start(p)) < 0 || (rc = mpr_process_join(p, 0.5)) < 0)
        return case_fail(rc);
    printf("one task_done() short, joiner still waiting: %s\n",
           case_bool(mpr_process_is_alive(p) == 1));
    fflush(stdout);
    if ((rc = mpr_jqueue_task_done(jq)) < 0 ||
        (rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return case_fail(rc);
    mpr_process_exitcode(p, &code);
    printf("joiner exitcode %d\n", code);
    fflush(stdout);
    mpr_process_free(p);
    if ((rc = new_process(&p, too_many_child, 0)) < 0 ||
        (rc = mpr_process_start(p)) < 0 ||
        (rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return case_fail(rc);
    mpr_process_free(p);
    mpr_queue_free(jq);
    mpr_queue_free(results);
    return 0;
}
