/*
 * queue/joinable-task-done: the main process puts five items on a
 * JoinableQueue, starts a daemonic consumer that gets, sleeps one second
 * and calls task_done() for each, waits in join() until all five are
 * done, then calls task_done() once too often.  Every line is flushed at
 * once (flush=True), so the lines come in the order of the events.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

static mpr_jqueue_t *queue;

static int consumer(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    int rc =
        case_queue_of(mpr_obj_item(args, 0), &queue) < 0 ? mpr_last_error() : 0;

    (void)kwargs;
    while (rc == 0) {
        mpr_obj_t *item;
        if ((rc = mpr_queue_get(queue, &item, 1, MPR_TIMEOUT_NONE)) < 0)
            break;
        mpr_sleep(1);
        printf("consumer: item %d processed\n", (int)mpr_obj_int_value(item));
        fflush(stdout);
        mpr_obj_decref(item);
        rc = mpr_jqueue_task_done(queue);
    }
    return rc;
}
MPR_TARGET(consumer)

int main(int argc, char **argv)
{
    mpr_process_options_t o = {.target = consumer, .daemon = MPR_TRUE};
    mpr_process_t *process_consumer;
    char line[512];
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = mpr_jqueue_new(&queue, 0)) < 0)
        return case_fail(rc);
    if ((o.args = mpr_obj_tuple_steal(
             1, mpr_obj_handle(MPR_HANDLE_QUEUE, queue))) == NULL)
        return case_fail(mpr_last_error());
    if ((rc = mpr_process_new(&process_consumer, &o)) < 0)
        return case_fail(rc);
    mpr_obj_decref((mpr_obj_t *)o.args);
    for (int item = 0; item < 5; item++) {
        mpr_obj_t *v = mpr_obj_int(item);
        rc = mpr_queue_put(queue, v, 1, MPR_TIMEOUT_NONE);
        mpr_obj_decref(v);
        if (rc < 0)
            return case_fail(rc);
    }
    printf("main: 5 items put, starting the consumer\n");
    fflush(stdout);
    if ((rc = mpr_process_start(process_consumer)) < 0 ||
        (rc = mpr_jqueue_join(queue)) < 0)
        return case_fail(rc);
    printf("main: join() returned\n");
    fflush(stdout);
    if ((rc = mpr_jqueue_task_done(queue)) == MPR_EVALUE) {
        mpr_err_format(rc, line, sizeof(line));
        printf("%s\n", line); /* print('ValueError:', e) */
        fflush(stdout);
    } else if (rc < 0) {
        return case_fail(rc);
    }
    return 0; /* the daemonic consumer is terminated at exit */
}
