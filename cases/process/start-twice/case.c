/*
 * process/start-twice: start() on a running or joined process raises
 * AssertionError; the last, uncaught one ends the program with a
 * traceback on stderr and exit status 1.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>

static int f(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args, (void)kwargs;
    return 0;
}
MPR_TARGET(f)

/* An uncaught exception in the main program: Python prints the traceback
 * (its last line is the exception) and exits with status 1. */
static _Noreturn void uncaught(int rc)
{
    exit(case_fail(rc));
}

int main(int argc, char **argv)
{
    mpr_process_t *p;
    mpr_process_options_t o = {.target = f};
    int code, rc;

    if (mpr_main(argc, argv) < 0 || mpr_process_new(&p, &o) < 0 ||
        mpr_process_start(p) < 0)
        return 1;
    if (mpr_process_start(p) == MPR_EASSERT)
        printf("while running: AssertionError %s\n", mpr_last_error_detail());
    mpr_process_join(p, MPR_TIMEOUT_NONE);
    if (mpr_process_start(p) == MPR_EASSERT)
        printf("after join: AssertionError %s\n", mpr_last_error_detail());
    if (mpr_process_exitcode(p, &code) == 1)
        printf("exitcode: %d\n", code);
    if ((rc = mpr_process_start(p)) < 0)
        uncaught(rc);
    return 0;
}
