/*
 * queue/simplequeue-empty-child: a SimpleQueue received by a child (a value
 * in its args: rebuilt under spawn and forkserver) answers empty() there;
 * the child puts empty() twice (True, then False) between two Events.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

/* child(queue, child_can_start, parent_can_continue) */
static int child(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_squeue_t *queue = case_arg(args, 0, MPR_HANDLE_SQUEUE);
    mpr_event_t *child_can_start = case_arg(args, 1, MPR_HANDLE_EVENT);
    mpr_event_t *parent_can_continue = case_arg(args, 2, MPR_HANDLE_EVENT);
    int rc;

    (void)kwargs;
    if (!queue || !child_can_start || !parent_can_continue)
        return mpr_last_error();
    if ((rc = mpr_event_wait(child_can_start, MPR_TIMEOUT_NONE)) < 0)
        return rc;
    /* try: queue.put(queue.empty()) twice; finally: parent_can_continue */
    for (int i = 0; i < 2 && rc >= 0; i++) {
        mpr_obj_t *b = NULL;
        if ((rc = mpr_squeue_empty(queue)) >= 0 &&
            (b = mpr_obj_bool(rc)) != NULL)
            rc = mpr_squeue_put(queue, b);
        mpr_obj_decref(b);
    }
    mpr_event_set(parent_can_continue);
    return rc < 0 ? rc : 0;
}
MPR_TARGET(child)

/* print(label, queue.get()) */
static int print_get(mpr_squeue_t *queue)
{
    mpr_obj_t *o;
    int rc;

    if ((rc = mpr_squeue_get(queue, &o)) < 0)
        return rc;
    rc = case_print_repr("get():", o);
    mpr_obj_decref(o);
    return rc;
}

int main(int argc, char **argv)
{
    mpr_squeue_t *queue;
    mpr_event_t *child_can_start, *parent_can_continue;
    mpr_process_t *p;
    int rc, code = -1;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = mpr_squeue_new(&queue)) < 0 ||
        (rc = mpr_event_new(&child_can_start)) < 0 ||
        (rc = mpr_event_new(&parent_can_continue)) < 0)
        return case_fail(rc);
    mpr_process_options_t o = {
        .target = child,
        .args = mpr_obj_tuple_steal(
            3, mpr_obj_handle(MPR_HANDLE_SQUEUE, queue),
            mpr_obj_handle(MPR_HANDLE_EVENT, child_can_start),
            mpr_obj_handle(MPR_HANDLE_EVENT, parent_can_continue)),
        .daemon = MPR_TRUE};
    if (o.args == NULL)
        return case_fail(mpr_last_error());
    if ((rc = mpr_process_new(&p, &o)) < 0 || (rc = mpr_process_start(p)) < 0)
        return case_fail(rc);
    mpr_obj_decref((mpr_obj_t *)o.args);
    if ((rc = mpr_squeue_empty(queue)) < 0)
        return case_fail(rc);
    printf("empty() before: %s\n", case_bool(rc));
    if ((rc = mpr_event_set(child_can_start)) < 0 ||
        (rc = mpr_event_wait(parent_can_continue, MPR_TIMEOUT_NONE)) < 0 ||
        (rc = mpr_squeue_empty(queue)) < 0)
        return case_fail(rc);
    printf("empty() after the child put: %s\n", case_bool(rc));
    if ((rc = print_get(queue)) < 0 || (rc = print_get(queue)) < 0 ||
        (rc = mpr_squeue_empty(queue)) < 0)
        return case_fail(rc);
    printf("empty() at the end: %s\n", case_bool(rc));
    if ((rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return case_fail(rc);
    mpr_process_exitcode(p, &code);
    printf("exitcode: %d\n", code);
    mpr_process_free(p);
    mpr_event_free(parent_can_continue);
    mpr_event_free(child_can_start);
    mpr_squeue_free(queue);
    return 0;
}
