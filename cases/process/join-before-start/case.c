/*
 * process/join-before-start: join() and join(1) before start() raise
 * AssertionError; after start, join() returns None.
 */
#include <mpr.h>

#include <stdio.h>

static int f(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args, (void)kwargs;
    printf("child ran\n");
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
    if (mpr_process_join(p, MPR_TIMEOUT_NONE) == MPR_EASSERT)
        printf("join before start: AssertionError %s\n",
               mpr_last_error_detail());
    if (mpr_process_join(p, 1) == MPR_EASSERT)
        printf("join(1) before start: AssertionError %s\n",
               mpr_last_error_detail());
    if (mpr_process_start(p) < 0)
        return 1;
    if (mpr_process_join(p, MPR_TIMEOUT_NONE) == 0)
        printf("join after start: None\n");
    if (mpr_process_exitcode(p, &code) == 1)
        printf("exitcode: %d\n", code);
    mpr_process_free(p);
    return 0;
}
