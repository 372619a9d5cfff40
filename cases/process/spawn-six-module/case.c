/*
 * process/spawn-six-module: six processes started and joined one after the
 * other, each printing its index and counting up to it.  The Python version
 * imports myFunc from a module; in C it is simply another function.
 */
#include <mpr.h>

#include <inttypes.h>
#include <stdio.h>

static int myFunc(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    int64_t i = mpr_obj_int_value(mpr_obj_item(args, 0));

    (void)kwargs;
    printf("calling myFunc from process n°: %" PRId64 "\n", i);
    for (int64_t j = 0; j < i; j++)
        printf("output from myFunc is :%" PRId64 "\n", j);
    return 0;
}
MPR_TARGET(myFunc)

int main(int argc, char **argv)
{
    if (mpr_main(argc, argv) < 0)
        return 1;
    for (int i = 0; i < 6; i++) {
        mpr_process_t *process;
        mpr_obj_t *args = mpr_obj_tuple_steal(1, mpr_obj_int(i));
        mpr_process_options_t o = {.target = myFunc, .args = args};
        if (args == NULL || mpr_process_new(&process, &o) < 0 ||
            mpr_process_start(process) < 0)
            return 1;
        mpr_process_join(process, MPR_TIMEOUT_NONE);
        mpr_process_free(process);
        mpr_obj_decref(args);
    }
    return 0;
}
