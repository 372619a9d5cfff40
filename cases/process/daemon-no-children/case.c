/*
 * process/daemon-no-children: a daemonic child may construct a Process
 * (daemonic too, inherited) but not start it; a non-daemonic child can.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

static int g(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args, (void)kwargs;
    printf("grandchild ran\n");
    return 0;
}
MPR_TARGET(g)

static int f(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_process_t *me = mpr_current_process(), *q;
    mpr_process_options_t o = {.target = g};
    int rc;

    (void)args, (void)kwargs;
    if ((rc = mpr_process_new(&q, &o)) < 0)
        return rc;
    printf("%s daemon %s new Process daemon %s\n", mpr_process_name(me),
           case_bool(mpr_process_daemon(me)), case_bool(mpr_process_daemon(q)));
    rc = mpr_process_start(q);
    if (rc == MPR_EASSERT)
        printf("%s start: AssertionError %s\n", mpr_process_name(me),
               mpr_last_error_detail());
    else if (rc < 0)
        return rc;
    else
        mpr_process_join(q, MPR_TIMEOUT_NONE);
    mpr_process_free(q);
    return 0;
}
MPR_TARGET(f)

int main(int argc, char **argv)
{
    static const mpr_tristate_t daemons[] = {MPR_TRUE, MPR_FALSE};

    if (mpr_main(argc, argv) < 0)
        return 1;
    for (int i = 0; i < 2; i++) {
        mpr_process_t *p;
        mpr_process_options_t o = {.target = f, .daemon = daemons[i]};
        int code;
        if (mpr_process_new(&p, &o) < 0 || mpr_process_start(p) < 0)
            return 1;
        mpr_process_join(p, MPR_TIMEOUT_NONE);
        if (mpr_process_exitcode(p, &code) == 1)
            printf("exitcode: %d\n", code);
        mpr_process_free(p);
    }
    return 0;
}
