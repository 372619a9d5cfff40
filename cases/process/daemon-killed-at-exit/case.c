/*
 * process/daemon-killed-at-exit: at the end of the script the exit
 * handler terminates the daemon (-15, its output lost) and joins the
 * worker; an atexit hook registered before the first start() runs after
 * it (atexit is LIFO in C as in Python) and sees both exit codes.
 */
#include <mpr.h>

#include "support.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static mpr_process_t *procs[2];

static int sleeper(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    int64_t secs = mpr_obj_int_value(mpr_obj_item(args, 0));
    const char *name = mpr_process_name(mpr_current_process());

    (void)kwargs;
    printf("%s sleeping %" PRId64 "\n", name, secs);
    mpr_sleep((double)secs);
    printf("%s done\n", name);
    return 0;
}
MPR_TARGET(sleeper)

static void report(void)
{
    for (int i = 0; i < 2; i++) {
        int code;
        char buf[16] = "None";
        if (mpr_process_exitcode(procs[i], &code) == 1)
            snprintf(buf, sizeof(buf), "%d", code);
        printf("at exit: %s daemon %s exitcode %s\n",
               mpr_process_name(procs[i]),
               case_bool(mpr_process_daemon(procs[i])), buf);
    }
}

int main(int argc, char **argv)
{
    mpr_obj_t *a50 = mpr_obj_tuple_steal(1, mpr_obj_int(50));
    mpr_obj_t *a3 = mpr_obj_tuple_steal(1, mpr_obj_int(3));
    mpr_process_options_t d = {
        .target = sleeper, .args = a50, .daemon = MPR_TRUE, .name = "daemon"};
    mpr_process_options_t w = {.target = sleeper, .args = a3, .name = "worker"};

    if (mpr_main(argc, argv) < 0 || a50 == NULL || a3 == NULL ||
        mpr_process_new(&procs[0], &d) < 0 ||
        mpr_process_new(&procs[1], &w) < 0)
        return 1;
    mpr_obj_decref(a50);
    mpr_obj_decref(a3);
    atexit(report);
    for (int i = 0; i < 2; i++)
        if (mpr_process_start(procs[i]) < 0)
            return 1;
    printf("main: end of script\n");
    return 0;
}
