/*
 * queue/child-puts-list: a child puts [42, None, 'hello'] on a Queue; the
 * parent prints what it gets, then joins the child.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

static mpr_queue_t *q;

static int f(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_obj_t *l = mpr_obj_list_of_steal(3, mpr_obj_int(42), mpr_obj_none(),
                                         mpr_obj_str("hello"));
    int rc =
        case_queue_of(mpr_obj_item(args, 0), &q) < 0 ? mpr_last_error() : 0;

    (void)kwargs;
    if (rc == 0)
        rc = l ? mpr_queue_put(q, l, 1, MPR_TIMEOUT_NONE) : mpr_last_error();
    mpr_obj_decref(l);
    return rc; /* the child's exit waits for its feeder */
}
MPR_TARGET(f)

int main(int argc, char **argv)
{
    mpr_process_options_t o = {.target = f};
    mpr_process_t *p;
    mpr_obj_t *got;
    char *r;
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = mpr_queue_new(&q, 0)) < 0)
        return case_fail(rc);
    if ((o.args = mpr_obj_tuple_steal(
             1, mpr_obj_handle(MPR_HANDLE_QUEUE, q))) == NULL)
        return case_fail(mpr_last_error());
    if ((rc = mpr_process_new(&p, &o)) < 0 || (rc = mpr_process_start(p)) < 0)
        return case_fail(rc);
    mpr_obj_decref((mpr_obj_t *)o.args);
    if ((rc = mpr_queue_get(q, &got, 1, MPR_TIMEOUT_NONE)) < 0 ||
        (rc = mpr_obj_repr(got, &r, NULL)) < 0)
        return case_fail(rc);
    printf("%s\n", r); /* print(q.get()) */
    mpr_free(r);
    mpr_obj_decref(got);
    if ((rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return case_fail(rc);
    mpr_process_free(p);
    return 0;
}
