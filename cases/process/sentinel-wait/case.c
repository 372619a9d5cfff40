/*
 * process/sentinel-wait: sentinel raises ValueError before start; after
 * start it is an int that connection.wait() reports ready once the child
 * ended.
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
    mpr_wait_item_t item = {.conn = NULL};
    int s, code;

    if (mpr_main(argc, argv) < 0 || mpr_event_new(&ev) < 0)
        return 1;
    args = mpr_obj_tuple_steal(1, mpr_obj_handle(MPR_HANDLE_EVENT, ev));
    mpr_process_options_t o = {.target = f, .args = args};
    if (args == NULL || mpr_process_new(&p, &o) < 0)
        return 1;
    if (mpr_process_sentinel(p) == MPR_EVALUE)
        printf("before start: ValueError %s\n", mpr_last_error_detail());
    if (mpr_process_start(p) < 0 || (s = mpr_process_sentinel(p)) < 0)
        return 1;
    printf("type: int\n");
    item.fd = s;
    printf("wait(timeout=0) while running: %s\n",
           mpr_conn_wait(&item, 1, 0) == 0 ? "[]" : "[ready]");
    mpr_event_set(ev);
    printf("wait() after set: %s\n",
           case_bool(mpr_conn_wait(&item, 1, MPR_TIMEOUT_NONE) == 1 &&
                     item.ready));
    if (mpr_process_exitcode(p, &code) == 1)
        printf("exitcode without join: %d\n", code);
    else
        printf("exitcode without join: None\n");
    mpr_process_join(p, MPR_TIMEOUT_NONE);
    mpr_process_free(p);
    mpr_obj_decref(args);
    mpr_event_free(ev);
    return 0;
}
