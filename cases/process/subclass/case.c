/*
 * process/subclass: a Process subclass overriding run(); its objects are
 * named after the class (MyProcess-N).
 */
#include <mpr.h>

#include <stdio.h>

static int MyProcess_run(mpr_process_t *self)
{
    printf("called run method by %s\n", mpr_process_name(self));
    return 0;
}
MPR_TARGET(MyProcess_run)

int main(int argc, char **argv)
{
    mpr_process_options_t my_process = {.type_name = "MyProcess",
                                        .run = MyProcess_run};

    if (mpr_main(argc, argv) < 0)
        return 1;
    for (int i = 0; i < 10; i++) {
        mpr_process_t *process;
        if (mpr_process_new(&process, &my_process) < 0 ||
            mpr_process_start(process) < 0)
            return 1;
        mpr_process_join(process, MPR_TIMEOUT_NONE);
        mpr_process_free(process);
    }
    return 0;
}
