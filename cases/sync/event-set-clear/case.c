/*
 * sync/event-set-clear: three processes wait for an Event; set() releases
 * them all; then the flag through is_set, wait, clear and a timed wait.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

static int waiter(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_event_t *event;
    int r;

    (void)kwargs;
    if ((event = case_arg(args, 0, MPR_HANDLE_EVENT)) == NULL)
        return mpr_last_error();
    if ((r = mpr_event_wait(event, MPR_TIMEOUT_NONE)) < 0)
        return r;
    printf("waiter %lld: event received\n",
           (long long)mpr_obj_int_value(mpr_obj_item(args, 1)));
    return 0;
}
MPR_TARGET(waiter)

int main(int argc, char **argv)
{
    mpr_process_options_t opts = {.target = waiter};
    mpr_process_t *waiters[3];
    mpr_obj_t *args;
    mpr_event_t *event;

    if (mpr_main(argc, argv) < 0 || mpr_event_new(&event) < 0)
        return 1;
    printf("is_set() at start: %s\n", case_bool(mpr_event_is_set(event)));
    for (int i = 0; i < 3; i++) {
        args = mpr_obj_tuple_steal(2, mpr_obj_handle(MPR_HANDLE_EVENT, event),
                                   mpr_obj_int(i));
        opts.args = args;
        if (mpr_process_new(&waiters[i], &opts) < 0)
            return 1;
        mpr_obj_decref(args);
    }
    for (int i = 0; i < 3; i++)
        if (mpr_process_start(waiters[i]) < 0)
            return 1;
    mpr_sleep(1);
    printf("waiters still waiting after 1 s: [");
    for (int i = 0; i < 3; i++)
        printf("%s%s", i ? ", " : "",
               case_bool(mpr_process_is_alive(waiters[i]) == 1));
    printf("]\n");
    fflush(stdout);
    mpr_event_set(event);
    for (int i = 0; i < 3; i++) {
        mpr_process_join(waiters[i], MPR_TIMEOUT_NONE);
        mpr_process_free(waiters[i]);
    }
    printf("is_set() after set(): %s\n", case_bool(mpr_event_is_set(event)));
    printf("wait() on a set event returns %s\n",
           case_bool(mpr_event_wait(event, MPR_TIMEOUT_NONE)));
    mpr_event_clear(event);
    printf("is_set() after clear(): %s\n", case_bool(mpr_event_is_set(event)));
    printf("wait(0.2) on a clear event returns %s\n",
           case_bool(mpr_event_wait(event, 0.2)));
    mpr_event_free(event);
    return 0;
}
