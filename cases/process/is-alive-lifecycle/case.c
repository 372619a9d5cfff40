/*
 * process/is-alive-lifecycle: is_alive() before start, while running
 * (the child waits on an Event), after join; the main process is alive.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

static int f(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_event_t *ev;

    (void)kwargs;
    if ((ev = case_arg(args, 0, MPR_HANDLE_EVENT)) == NULL)
        return mpr_last_error();
    mpr_event_wait(ev, MPR_TIMEOUT_NONE);
    return 0;
}
MPR_TARGET(f)

int main(int argc, char **argv)
{
    mpr_event_t *ev;
    mpr_obj_t *args;
    mpr_process_t *p;
    int code = -1;

    if (mpr_main(argc, argv) < 0 || mpr_event_new(&ev) < 0)
        return 1;
    args = mpr_obj_tuple_steal(1, mpr_obj_handle(MPR_HANDLE_EVENT, ev));
    mpr_process_options_t o = {.target = f, .args = args};
    if (args == NULL || mpr_process_new(&p, &o) < 0)
        return 1;
    printf("before start: %s\n", case_bool(mpr_process_is_alive(p)));
    if (mpr_process_start(p) < 0)
        return 1;
    printf("after start: %s\n", case_bool(mpr_process_is_alive(p)));
    mpr_event_set(ev);
    mpr_process_join(p, MPR_TIMEOUT_NONE);
    int alive = mpr_process_is_alive(p);
    mpr_process_exitcode(p, &code);
    printf("after join: %s %d\n", case_bool(alive), code);
    printf("main process: %s\n",
           case_bool(mpr_process_is_alive(mpr_current_process())));
    mpr_process_free(p);
    mpr_obj_decref(args);
    mpr_event_free(ev);
    return 0;
}
