/*
 * queue/fifo-across-processes: a child puts four colours and None on a
 * Queue; the parent gets them in the same order, then joins the child.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

static const char *colors[] = {"red", "green", "blue", "black"};
static mpr_queue_t *queue;

static int producer(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    int rc =
        case_queue_of(mpr_obj_item(args, 0), &queue) < 0 ? mpr_last_error() : 0;

    (void)kwargs;
    for (size_t i = 0; i < 4 && rc == 0; i++) {
        mpr_obj_t *c = mpr_obj_str(colors[i]);
        rc =
            c ? mpr_queue_put(queue, c, 1, MPR_TIMEOUT_NONE) : mpr_last_error();
        mpr_obj_decref(c);
    }
    if (rc == 0)
        rc = mpr_queue_put(queue, mpr_obj_none(), 1, MPR_TIMEOUT_NONE);
    return rc;
}
MPR_TARGET(producer)

int main(int argc, char **argv)
{
    mpr_process_options_t o = {.target = producer};
    mpr_process_t *p;
    int rc, cnt = 0, code = 0;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = mpr_queue_new(&queue, 0)) < 0)
        return case_fail(rc);
    if ((o.args = mpr_obj_tuple_steal(
             1, mpr_obj_handle(MPR_HANDLE_QUEUE, queue))) == NULL)
        return case_fail(mpr_last_error());
    if ((rc = mpr_process_new(&p, &o)) < 0 || (rc = mpr_process_start(p)) < 0)
        return case_fail(rc);
    mpr_obj_decref((mpr_obj_t *)o.args);
    for (;;) {
        mpr_obj_t *item;
        if ((rc = mpr_queue_get(queue, &item, 1, MPR_TIMEOUT_NONE)) < 0)
            return case_fail(rc);
        if (mpr_obj_is_none(item))
            break;
        printf("item no:  %d   %s\n", cnt, mpr_obj_str_utf8(item, NULL));
        mpr_obj_decref(item);
        cnt++;
    }
    if ((rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return case_fail(rc);
    mpr_process_exitcode(p, &code);
    printf("exitcode: %d\n", code);
    mpr_process_free(p);
    return 0;
}
