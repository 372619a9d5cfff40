/*
 * process/set-start-method-spawn: set_start_method('spawn') fixes the
 * context; the child reports spawn; setting it again raises.
 */
#include <mpr.h>

#include <stdio.h>

static int child(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args, (void)kwargs;
    printf("child: %s\n", mpr_get_start_method());
    return 0;
}
MPR_TARGET(child)

int main(int argc, char **argv)
{
    const char *m;
    mpr_process_t *p;
    mpr_process_options_t o = {.target = child};
    int code;

    if (mpr_main(argc, argv) < 0)
        return 1;
    m = mpr_get_start_method_allow_none();
    printf("before: %s\n", m ? m : "None");
    if (mpr_set_start_method("spawn", 0) < 0)
        return 1;
    printf("after: %s\n", mpr_get_start_method());
    if (mpr_process_new(&p, &o) < 0 || mpr_process_start(p) < 0)
        return 1;
    mpr_process_join(p, MPR_TIMEOUT_NONE);
    if (mpr_process_exitcode(p, &code) == 1)
        printf("exitcode: %d\n", code);
    if (mpr_set_start_method("spawn", 0) == MPR_ERUNTIME)
        printf("again: RuntimeError %s\n", mpr_last_error_detail());
    mpr_process_free(p);
    return 0;
}
