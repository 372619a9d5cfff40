/*
 * process/terminate-exitcode: a process printed before start, while
 * running, right after terminate() and after join(); its exit code -15.
 * print('...', p, p.is_alive()) evaluates is_alive() before str(p) is
 * formatted, so the C code asks is_alive first, then repr.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

static int foo(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args, (void)kwargs;
    printf("Starting function\n");
    for (int i = 0; i < 10; i++) {
        printf("-->%d\n\n", i);
        mpr_sleep(1);
    }
    printf("Finished function\n");
    return 0;
}
MPR_TARGET(foo)

static void show(const char *label, mpr_process_t *p)
{
    int alive = mpr_process_is_alive(p);
    char *r;

    if (mpr_process_repr(p, &r, NULL) == 0) {
        printf("%s %s %s\n", label, r, case_bool(alive));
        mpr_free(r);
    }
}

int main(int argc, char **argv)
{
    mpr_process_t *p;
    mpr_process_options_t o = {.target = foo};
    int code;

    if (mpr_main(argc, argv) < 0 || mpr_process_new(&p, &o) < 0)
        return 1;
    show("Process before execution:", p);
    if (mpr_process_start(p) < 0)
        return 1;
    show("Process running:", p);
    mpr_process_terminate(p);
    show("Process terminated:", p);
    mpr_process_join(p, MPR_TIMEOUT_NONE);
    show("Process joined:", p);
    if (mpr_process_exitcode(p, &code) == 1)
        printf("Process exit code: %d\n", code);
    else
        printf("Process exit code: None\n");
    mpr_process_free(p);
    return 0;
}
