/*
 * process/creator-only-methods: a child may not test, join or start a
 * process object its parent created (fork: the child inherits the
 * objects).  The objects reach the child as pointers, which only fork
 * can do, like the case itself (methods: fork).
 */
#include <mpr.h>

#include "support.h"

#include <stdint.h>
#include <stdio.h>

static int idle(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args, (void)kwargs;
    return 0;
}

static int meddle(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_process_t *other =
        (mpr_process_t *)(intptr_t)mpr_obj_int_value(mpr_obj_item(args, 0));
    struct {
        const char *label;
        int rc;
    } calls[3];

    (void)kwargs;
    calls[0].label = "is_alive()";
    calls[0].rc = mpr_process_is_alive(other);
    if (calls[0].rc == MPR_EASSERT)
        printf("%s AssertionError %s\n", calls[0].label,
               mpr_last_error_detail());
    calls[1].label = "join()";
    calls[1].rc = mpr_process_join(other, MPR_TIMEOUT_NONE);
    if (calls[1].rc == MPR_EASSERT)
        printf("%s AssertionError %s\n", calls[1].label,
               mpr_last_error_detail());
    calls[2].label = "start()";
    calls[2].rc = mpr_process_start(other);
    if (calls[2].rc == MPR_EASSERT)
        printf("%s AssertionError %s\n", calls[2].label,
               mpr_last_error_detail());
    return 0;
}

int main(int argc, char **argv)
{
    mpr_process_t *started, *fresh, *objs[2];
    mpr_process_options_t idle_opts = {.target = idle};
    int code = -1;

    if (mpr_main(argc, argv) < 0 || mpr_process_new(&started, &idle_opts) < 0 ||
        mpr_process_start(started) < 0 ||
        mpr_process_new(&fresh, &idle_opts) < 0)
        return 1;
    objs[0] = started;
    objs[1] = fresh;
    for (int i = 0; i < 2; i++) {
        mpr_process_t *p;
        mpr_obj_t *args =
            mpr_obj_tuple_steal(1, mpr_obj_int((intptr_t)objs[i]));
        mpr_process_options_t o = {.target = meddle, .args = args};
        if (args == NULL || mpr_process_new(&p, &o) < 0 ||
            mpr_process_start(p) < 0)
            return 1;
        mpr_process_join(p, MPR_TIMEOUT_NONE);
        mpr_process_free(p);
        mpr_obj_decref(args);
    }
    mpr_process_join(started, MPR_TIMEOUT_NONE);
    int alive = mpr_process_is_alive(started);
    mpr_process_exitcode(started, &code);
    printf("creator: %s %d %s\n", case_bool(alive), code,
           case_bool(mpr_process_is_alive(fresh)));
    mpr_process_free(started);
    mpr_process_free(fresh);
    return 0;
}
