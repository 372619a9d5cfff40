/*
 * process/join-self: a process cannot join itself, in a child or in the
 * main process.
 */
#include <mpr.h>

#include <stdio.h>

static int f(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args, (void)kwargs;
    if (mpr_process_join(mpr_current_process(), MPR_TIMEOUT_NONE) ==
        MPR_EASSERT)
        printf("child joins itself: AssertionError %s\n",
               mpr_last_error_detail());
    return 0;
}
MPR_TARGET(f)

int main(int argc, char **argv)
{
    mpr_process_t *p;
    mpr_process_options_t o = {.target = f};
    int code;

    if (mpr_main(argc, argv) < 0 || mpr_process_new(&p, &o) < 0 ||
        mpr_process_start(p) < 0)
        return 1;
    mpr_process_join(p, MPR_TIMEOUT_NONE);
    if (mpr_process_exitcode(p, &code) == 1)
        printf("exitcode: %d\n", code);
    if (mpr_process_join(mpr_current_process(), MPR_TIMEOUT_NONE) ==
        MPR_EASSERT)
        printf("main joins itself: AssertionError %s\n",
               mpr_last_error_detail());
    mpr_process_free(p);
    return 0;
}
