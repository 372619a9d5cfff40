/*
 * process/main-guard-required: a script without the `if __name__ ==
 * '__main__':` guard. The C analogue of the guard is calling mpr_main() first;
 * here it comes only after the work.  Under fork nothing re-runs the program
 * and the child runs.  Under spawn and forkserver the child runs main() from
 * the top, as CPython's child re-imports the main module, reaches start() while
 * still bootstrapping, dies of the RuntimeError (traceback, status 1) and the
 * parent prints exitcode 1.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>

static int task(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args, (void)kwargs;
    printf("task ran\n");
    return 0;
}
MPR_TARGET(task)

/* An uncaught exception: the traceback's first and last lines, exit 1. */
static _Noreturn void uncaught(int rc)
{
    exit(case_fail(rc));
}

int main(int argc, char **argv)
{
    mpr_process_t *p;
    mpr_process_options_t o = {.target = task};
    int rc, code;

    if ((rc = mpr_process_new(&p, &o)) < 0 || (rc = mpr_process_start(p)) < 0)
        uncaught(rc);
    mpr_process_join(p, MPR_TIMEOUT_NONE);
    if (mpr_process_exitcode(p, &code) == 1)
        printf("exitcode: %d\n", code);
    mpr_process_free(p);
    return mpr_main(argc, argv) < 0;
}
