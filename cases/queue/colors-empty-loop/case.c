/*
 * queue/colors-empty-loop: one process puts four colours on a Queue, then
 * gets while empty() says no.  As in CPython, empty() looks at the pipe
 * only: an item still in the feeder thread's buffer is not seen, so how
 * many colours come out depends on how far the feeder got.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

static const char *colors[] = {"red", "green", "blue", "black"};

int main(int argc, char **argv)
{
    mpr_queue_t *queue;
    int rc, cnt = 1;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = mpr_queue_new(&queue, 0)) < 0)
        return case_fail(rc);
    printf("pushing items to queue:\n");
    for (size_t i = 0; i < 4; i++) {
        mpr_obj_t *c = mpr_obj_str(colors[i]);
        printf("item no:  %d   %s\n", cnt, colors[i]);
        rc = mpr_queue_put(queue, c, 1, MPR_TIMEOUT_NONE);
        mpr_obj_decref(c);
        if (rc < 0)
            return case_fail(rc);
        cnt++;
    }
    printf("\npopping items from queue:\n");
    cnt = 0;
    while ((rc = mpr_queue_empty(queue)) == 0) {
        mpr_obj_t *item;
        if ((rc = mpr_queue_get(queue, &item, 1, MPR_TIMEOUT_NONE)) < 0)
            return case_fail(rc);
        printf("item no:  %d   %s\n", cnt, mpr_obj_str_utf8(item, NULL));
        mpr_obj_decref(item);
        cnt++;
    }
    if (rc < 0)
        return case_fail(rc);
    return 0; /* the queue stays open, as the script leaves it */
}
