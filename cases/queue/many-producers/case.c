/*
 * queue/many-producers: four processes put (k, i) for i in range(100) on
 * one Queue; the parent gets 400 items, checks that they are distinct and
 * that each producer's come in its own order, then that the queue is
 * empty.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

static mpr_queue_t *q;

static int produce(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    int64_t k = mpr_obj_int_value(mpr_obj_item(args, 1));
    int rc =
        case_queue_of(mpr_obj_item(args, 0), &q) < 0 ? mpr_last_error() : 0;

    (void)kwargs;
    for (int i = 0; i < 100 && rc == 0; i++) {
        mpr_obj_t *t = mpr_obj_tuple_steal(2, mpr_obj_int(k), mpr_obj_int(i));
        rc = t ? mpr_queue_put(q, t, 1, MPR_TIMEOUT_NONE) : mpr_last_error();
        mpr_obj_decref(t);
    }
    return rc;
}
MPR_TARGET(produce)

int main(int argc, char **argv)
{
    mpr_process_t *ps[4];
    mpr_obj_t *items[400];
    int rc, next[4] = {0}, in_order[4] = {1, 1, 1, 1};
    size_t distinct = 0;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = mpr_queue_new(&q, 0)) < 0)
        return case_fail(rc);
    for (int k = 0; k < 4; k++) {
        mpr_process_options_t o = {.target = produce};
        if ((o.args =
                 mpr_obj_tuple_steal(2, mpr_obj_handle(MPR_HANDLE_QUEUE, q),
                                     mpr_obj_int(k))) == NULL)
            return case_fail(mpr_last_error());
        rc = mpr_process_new(&ps[k], &o);
        mpr_obj_decref((mpr_obj_t *)o.args);
        if (rc < 0)
            return case_fail(rc);
    }
    for (int k = 0; k < 4; k++)
        if ((rc = mpr_process_start(ps[k])) < 0)
            return case_fail(rc);
    for (int n = 0; n < 400; n++)
        if ((rc = mpr_queue_get(q, &items[n], 1, MPR_TIMEOUT_NONE)) < 0)
            return case_fail(rc);
    for (int k = 0; k < 4; k++)
        if ((rc = mpr_process_join(ps[k], MPR_TIMEOUT_NONE)) < 0)
            return case_fail(rc);
    /* len(set(items)) */
    for (int n = 0; n < 400; n++) {
        int seen = 0;
        for (int m = 0; m < n && !seen; m++)
            seen = mpr_obj_eq(items[m], items[n]) == 1;
        distinct += !seen;
    }
    printf("%d %zu\n", 400, distinct);
    for (int n = 0; n < 400; n++) {
        int64_t k = mpr_obj_int_value(mpr_obj_item(items[n], 0));
        int64_t i = mpr_obj_int_value(mpr_obj_item(items[n], 1));
        if (k >= 0 && k < 4 && i != next[k]++)
            in_order[k] = 0;
    }
    for (int k = 0; k < 4; k++)
        printf("%d %s\n", k, case_bool(in_order[k] && next[k] == 100));
    if ((rc = mpr_queue_empty(q)) < 0)
        return case_fail(rc);
    printf("%s\n", case_bool(rc));
    for (int n = 0; n < 400; n++)
        mpr_obj_decref(items[n]);
    for (int k = 0; k < 4; k++)
        mpr_process_free(ps[k]);
    return 0;
}
