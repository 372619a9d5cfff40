/*
 * process/wait-for-threads: a child waits for its non-daemon threads before
 * it exits, and not for its daemon threads.  The child's target starts
 * two threads (mpr_thread_start, threading.Thread's C form) and returns:
 * the non-daemon one sets the Event after 0.5 s, the daemon one would clear
 * it after 20 s (mpr_sleep scales both by MP_TIME_SCALE).  The Event is set
 * after join() only when the child waited for the first and not for the
 * second.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

static void func1(void *evt)
{
    mpr_sleep(0.5);
    mpr_event_set(evt);
}

static void func2(void *evt)
{
    mpr_sleep(20);
    mpr_event_clear(evt);
}

static int child(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    /* borrowed from args, which the child keeps until it ends */
    mpr_event_t *evt = case_arg(args, 0, MPR_HANDLE_EVENT);
    int rc;

    (void)kwargs;
    if (evt == NULL)
        return mpr_last_error();
    if ((rc = mpr_thread_start(func1, evt, 0)) < 0)
        return rc;
    return mpr_thread_start(func2, evt, 1);
}
MPR_TARGET(child)

int main(int argc, char **argv)
{
    mpr_event_t *evt;
    mpr_process_t *p = NULL;
    int rc, code;

    if (mpr_main(argc, argv) < 0)
        return 1;
    if ((rc = mpr_event_new(&evt)) < 0)
        return case_fail(rc);
    rc = case_start(
        &p, child,
        mpr_obj_tuple_steal(1, mpr_obj_handle(MPR_HANDLE_EVENT, evt)));
    if (rc == 0)
        rc = mpr_process_join(p, MPR_TIMEOUT_NONE);
    if (rc == 0 && (rc = mpr_event_is_set(evt)) >= 0) {
        printf("event set after join: %s\n", case_bool(rc));
        if (mpr_process_exitcode(p, &code) == 1)
            printf("exitcode: %d\n", code);
        else
            printf("exitcode: None\n");
        rc = 0;
    }
    mpr_process_free(p);
    mpr_event_free(evt);
    return rc < 0 ? case_fail(rc) : 0;
}
