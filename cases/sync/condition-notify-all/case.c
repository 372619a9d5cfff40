/*
 * sync/condition-notify-all: three processes wait on a Condition until a
 * shared Value says ready; one notify_all() wakes them all.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

static int ready_value(void *arg)
{
    int64_t v = 0;

    mpr_value_get_int64(arg, &v);
    return (int)v;
}

static int waiter(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_value_t *ready;
    mpr_cond_t *condition;
    int r;

    (void)kwargs;
    if ((condition = case_arg(args, 0, MPR_HANDLE_COND)) == NULL)
        return mpr_last_error();
    if ((ready = case_arg(args, 1, MPR_HANDLE_VALUE)) == NULL)
        return mpr_last_error();
    mpr_cond_enter(condition);
    while (!ready_value(ready))
        if ((r = mpr_cond_wait(condition, MPR_TIMEOUT_NONE)) < 0)
            return r;
    printf("waiter %lld: woken, ready = %d\n",
           (long long)mpr_obj_int_value(mpr_obj_item(args, 2)),
           ready_value(ready));
    mpr_cond_exit(condition);
    return 0;
}
MPR_TARGET(waiter)

int main(int argc, char **argv)
{
    mpr_process_options_t opts = {.target = waiter};
    mpr_obj_t *args;
    mpr_process_t *waiters[3];
    mpr_value_t *ready;
    mpr_cond_t *condition;
    int code;

    if (mpr_main(argc, argv) < 0 || mpr_cond_new(&condition, NULL) < 0 ||
        mpr_value_new(&ready, "i", NULL, NULL) < 0)
        return 1;
    for (int i = 0; i < 3; i++) {
        args = mpr_obj_tuple_steal(
            3, mpr_obj_handle(MPR_HANDLE_COND, condition),
            mpr_obj_handle(MPR_HANDLE_VALUE, ready), mpr_obj_int(i));
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
    mpr_cond_enter(condition);
    mpr_value_set_int64(ready, 1);
    mpr_cond_notify_all(condition);
    mpr_cond_exit(condition);
    for (int i = 0; i < 3; i++)
        mpr_process_join(waiters[i], MPR_TIMEOUT_NONE);
    printf("exit codes: [");
    for (int i = 0; i < 3; i++) {
        if (mpr_process_exitcode(waiters[i], &code) == 1)
            printf("%s%d", i ? ", " : "", code);
        else
            printf("%sNone", i ? ", " : "");
        mpr_process_free(waiters[i]);
    }
    printf("]\n");
    mpr_cond_free(condition);
    mpr_value_free(ready);
    return 0;
}
