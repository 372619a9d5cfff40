/*
 * queue/producer-consumer: two Process subclasses, producer and consumer,
 * share a Queue passed to their constructors (here: their args).  The
 * producer puts ten random items, one a second, printing the queue size;
 * the consumer gets until it finds the queue empty.  Each prints from its
 * own process (block-buffered through the pipe: its lines come out when
 * it ends).
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static mpr_queue_t *queue;

static int producer_run(mpr_process_t *self)
{
    int rc = case_queue_of(mpr_obj_item(mpr_process_args(self), 0), &queue) < 0
                 ? mpr_last_error()
                 : 0;

    for (int i = 0; i < 10 && rc == 0; i++) {
        int item = case_randint(0, 256);
        mpr_obj_t *v = mpr_obj_int(item);
        rc = mpr_queue_put(queue, v, 1, MPR_TIMEOUT_NONE);
        mpr_obj_decref(v);
        printf("Process Producer : item %d appended  to queue %s\n", item,
               mpr_process_name(self));
        mpr_sleep(1);
        printf("The size of queue is %d\n", mpr_queue_qsize(queue));
    }
    return rc;
}
MPR_TARGET(producer_run)

static int consumer_run(mpr_process_t *self)
{
    int rc = case_queue_of(mpr_obj_item(mpr_process_args(self), 0), &queue) < 0
                 ? mpr_last_error()
                 : 0;

    while (rc == 0) {
        mpr_obj_t *item;
        if ((rc = mpr_queue_empty(queue)) < 0)
            break;
        if (rc == 1) {
            printf("the queue is empty\n");
            rc = 0;
            break;
        }
        mpr_sleep(2);
        if ((rc = mpr_queue_get(queue, &item, 1, MPR_TIMEOUT_NONE)) < 0)
            break;
        printf("Process Consumer : item %d popped  from by %s \n\n",
               (int)mpr_obj_int_value(item), mpr_process_name(self));
        mpr_obj_decref(item);
        mpr_sleep(1);
    }
    return rc;
}
MPR_TARGET(consumer_run)

int main(int argc, char **argv)
{
    mpr_process_options_t po = {.type_name = "producer", .run = producer_run};
    mpr_process_options_t co = {.type_name = "consumer", .run = consumer_run};
    mpr_process_t *process_producer, *process_consumer;
    mpr_obj_t *args;
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = mpr_queue_new(&queue, 0)) < 0)
        return case_fail(rc);
    if ((po.args = args = mpr_obj_tuple_steal(
             1, mpr_obj_handle(MPR_HANDLE_QUEUE, queue))) == NULL ||
        (rc = mpr_process_new(&process_producer, &po)) < 0)
        return case_fail(args ? rc : mpr_last_error());
    mpr_obj_decref(args);
    if ((co.args = args = mpr_obj_tuple_steal(
             1, mpr_obj_handle(MPR_HANDLE_QUEUE, queue))) == NULL ||
        (rc = mpr_process_new(&process_consumer, &co)) < 0)
        return case_fail(args ? rc : mpr_last_error());
    mpr_obj_decref(args);
    if ((rc = mpr_process_start(process_producer)) < 0 ||
        (rc = mpr_process_start(process_consumer)) < 0 ||
        (rc = mpr_process_join(process_producer, MPR_TIMEOUT_NONE)) < 0 ||
        (rc = mpr_process_join(process_consumer, MPR_TIMEOUT_NONE)) < 0)
        return case_fail(rc);
    mpr_process_free(process_producer);
    mpr_process_free(process_consumer);
    return 0;
}
