/*
 * queue/write-read: a writer process puts 'A', 'B', 'C' on a Queue with a
 * random pause after each; a reader process gets and prints for ever; the
 * parent joins the writer and terminates the reader.  The reader's lines
 * are block-buffered in the reader (stdout is a pipe) and die with it, as
 * in CPython.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static mpr_queue_t *q;

static int write_(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    static const char *values[] = {"A", "B", "C"};
    int rc =
        case_queue_of(mpr_obj_item(args, 0), &q) < 0 ? mpr_last_error() : 0;

    (void)kwargs;
    for (size_t i = 0; i < 3 && rc == 0; i++) {
        mpr_obj_t *v = mpr_obj_str(values[i]);
        printf("Put %s to queue...\n", values[i]);
        rc = mpr_queue_put(q, v, 1, MPR_TIMEOUT_NONE);
        mpr_obj_decref(v);
        mpr_sleep(case_random());
    }
    return rc;
}
MPR_TARGET(write_)

static int read_(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    int rc =
        case_queue_of(mpr_obj_item(args, 0), &q) < 0 ? mpr_last_error() : 0;

    (void)kwargs;
    while (rc == 0) {
        mpr_obj_t *value;
        if ((rc = mpr_queue_get(q, &value, 1, MPR_TIMEOUT_NONE)) < 0)
            break;
        printf("Get %s from queue.\n", mpr_obj_str_utf8(value, NULL));
        mpr_obj_decref(value);
    }
    return rc;
}
MPR_TARGET(read_)

int main(int argc, char **argv)
{
    mpr_process_options_t ow = {.target = write_}, orr = {.target = read_};
    mpr_process_t *pw, *pr;
    mpr_obj_t *args;
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = mpr_queue_new(&q, 0)) < 0)
        return case_fail(rc);
    if ((ow.args = args = mpr_obj_tuple_steal(
             1, mpr_obj_handle(MPR_HANDLE_QUEUE, q))) == NULL ||
        (rc = mpr_process_new(&pw, &ow)) < 0)
        return case_fail(args ? rc : mpr_last_error());
    mpr_obj_decref(args);
    if ((orr.args = args = mpr_obj_tuple_steal(
             1, mpr_obj_handle(MPR_HANDLE_QUEUE, q))) == NULL ||
        (rc = mpr_process_new(&pr, &orr)) < 0)
        return case_fail(args ? rc : mpr_last_error());
    mpr_obj_decref(args);
    if ((rc = mpr_process_start(pw)) < 0 || (rc = mpr_process_start(pr)) < 0 ||
        (rc = mpr_process_join(pw, MPR_TIMEOUT_NONE)) < 0 ||
        (rc = mpr_process_terminate(pr)) < 0)
        return case_fail(rc);
    mpr_process_free(pw);
    mpr_process_free(pr);
    return 0;
}
