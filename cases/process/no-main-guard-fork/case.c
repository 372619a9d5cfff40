/*
 * process/no-main-guard-fork: the document's program without the
 * `if __name__ == '__main__':` guard, under fork.  The C analogue of the
 * guard is mpr_main(), called here only after the work: with fork nothing
 * re-runs the program, so it works as CPython's does.
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
    for (int i = 0; i < 6; i++) {
        mpr_process_t *process;
        mpr_obj_t *args = mpr_obj_tuple_steal(1, mpr_obj_int(i));
        mpr_process_options_t o = {.target = myFunc, .args = args};
        int code;
        if (args == NULL || mpr_process_new(&process, &o) < 0 ||
            mpr_process_start(process) < 0)
            return 1;
        mpr_process_join(process, MPR_TIMEOUT_NONE);
        if (mpr_process_exitcode(process, &code) == 1)
            printf("exit code: %d\n", code);
        mpr_process_free(process);
        mpr_obj_decref(args);
    }
    return mpr_main(argc, argv) < 0;
}
