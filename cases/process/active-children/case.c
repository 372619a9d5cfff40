/*
 * process/active-children: mpr_active_children() lists a child only between
 * start and join.  The child waits on an Event the parent sets after looking,
 * as case.py does.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

static int wait_for(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_event_t *ev;

    (void)kwargs;
    if ((ev = case_arg(args, 0, MPR_HANDLE_EVENT)) == NULL)
        return mpr_last_error();
    mpr_event_wait(ev, MPR_TIMEOUT_NONE);
    return 0;
}
MPR_TARGET(wait_for)

/* p in active_children(), as "True"/"False"; also the count in *n. */
static const char *listed(mpr_process_t *p, int *n)
{
    mpr_process_t **list;
    int found = 0;

    *n = mpr_active_children(&list);
    if (*n < 0)
        return "error";
    for (int i = 0; i < *n; i++)
        found |= list[i] == p;
    mpr_free(list);
    return case_bool(found);
}

int main(int argc, char **argv)
{
    mpr_event_t *ev;
    mpr_obj_t *args;
    mpr_process_t *p;
    int n;

    if (mpr_main(argc, argv) < 0 || mpr_event_new(&ev) < 0)
        return 1;
    /* active_children() returns a list: in C an array and its length */
    printf("type: list\n");
    args = mpr_obj_tuple_steal(1, mpr_obj_handle(MPR_HANDLE_EVENT, ev));
    mpr_process_options_t o = {.target = wait_for, .args = args};
    if (args == NULL || mpr_process_new(&p, &o) < 0)
        return 1;
    printf("before start: %s\n", listed(p, &n));
    if (mpr_process_set_daemon(p, 1) < 0 || mpr_process_start(p) < 0)
        return 1;
    printf("after start: %s\n", listed(p, &n));
    printf("count: %d\n", n);
    mpr_event_set(ev);
    mpr_process_join(p, MPR_TIMEOUT_NONE);
    printf("after join: %s\n", listed(p, &n));
    printf("count: %d\n", n);
    mpr_process_free(p);
    mpr_obj_decref(args);
    mpr_event_free(ev);
    return 0;
}
