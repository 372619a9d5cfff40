/*
 * process/daemon-set-after-start: daemon is settable before start only;
 * the child sees the flag.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

static int f(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args, (void)kwargs;
    printf("child daemon: %s\n",
           case_bool(mpr_process_daemon(mpr_current_process())));
    return 0;
}
MPR_TARGET(f)

int main(int argc, char **argv)
{
    mpr_process_t *p;
    mpr_process_options_t o = {.target = f};
    int code;

    if (mpr_main(argc, argv) < 0 || mpr_process_new(&p, &o) < 0)
        return 1;
    printf("default: %s\n", case_bool(mpr_process_daemon(p)));
    mpr_process_set_daemon(p, 1);
    printf("set before start: %s\n", case_bool(mpr_process_daemon(p)));
    if (mpr_process_start(p) < 0)
        return 1;
    if (mpr_process_set_daemon(p, 0) == MPR_EASSERT)
        printf("set after start: AssertionError %s\n", mpr_last_error_detail());
    mpr_process_join(p, MPR_TIMEOUT_NONE);
    if (mpr_process_exitcode(p, &code) == 1)
        printf("still: %s exitcode: %d\n", case_bool(mpr_process_daemon(p)),
               code);
    mpr_process_free(p);
    return 0;
}
