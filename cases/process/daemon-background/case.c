/*
 * process/daemon-background: two children named background_process and
 * NO_background_process; main() returns right after starting them.
 * background_process is a daemon: the exit handler terminates it
 * when main() returns (its buffered output is lost) and joins the other.
 */
#include <mpr.h>

#include <stdio.h>
#include <string.h>

static int foo(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    const char *name = mpr_process_name(mpr_current_process());

    (void)args, (void)kwargs;
    printf("Starting %s \n\n", name);
    if (strcmp(name, "background_process") == 0) {
        for (int i = 0; i < 5; i++) {
            printf("---> %d \n\n", i);
            mpr_sleep(1);
        }
    } else {
        for (int i = 5; i < 10; i++) {
            printf("---> %d \n\n", i);
            mpr_sleep(1);
        }
    }
    printf("Exiting %s \n\n", name);
    return 0;
}
MPR_TARGET(foo)

int main(int argc, char **argv)
{
    mpr_process_t *background_process, *NO_background_process;
    mpr_process_options_t bg = {.name = "background_process", .target = foo};
    mpr_process_options_t no_bg = {.name = "NO_background_process",
                                   .target = foo};

    if (mpr_main(argc, argv) < 0 ||
        mpr_process_new(&background_process, &bg) < 0 ||
        mpr_process_new(&NO_background_process, &no_bg) < 0)
        return 1;
    mpr_process_set_daemon(background_process, 1);
    mpr_process_set_daemon(NO_background_process, 0);
    if (mpr_process_start(background_process) < 0 ||
        mpr_process_start(NO_background_process) < 0)
        return 1;
    /* The script drops its references, as Python's would at exit; the
     * library keeps both children until the exit handler (registered by
     * the first start) has terminated or joined them. */
    mpr_process_free(background_process);
    mpr_process_free(NO_background_process);
    return 0;
}
