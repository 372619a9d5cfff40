/*
 * process/join-timeout-repeat: join(0.1) on a sleeping child returns None
 * with the child still running; join() waits; joining again is harmless.
 * Python evaluates print's arguments left to right, so each line calls
 * join first, then reads exitcode, then is_alive.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

static int f(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args, (void)kwargs;
    mpr_sleep(5);
    return 0;
}
MPR_TARGET(f)

/* exitcode as Python prints it (into a static buffer) */
static const char *exitcode(mpr_process_t *p)
{
    static char buf[16];
    int code;

    if (mpr_process_exitcode(p, &code) != 1)
        return "None";
    snprintf(buf, sizeof(buf), "%d", code);
    return buf;
}

static const char *alive(mpr_process_t *p)
{
    return case_bool(mpr_process_is_alive(p));
}

int main(int argc, char **argv)
{
    mpr_process_t *p;
    mpr_process_options_t o = {.target = f};
    const char *e;

    if (mpr_main(argc, argv) < 0 || mpr_process_new(&p, &o) < 0 ||
        mpr_process_start(p) < 0)
        return 1;
    mpr_process_join(p, 0.1);
    e = exitcode(p);
    printf("join(0.1): None exitcode: %s alive: %s\n", e, alive(p));
    mpr_process_join(p, MPR_TIMEOUT_NONE);
    e = exitcode(p);
    printf("join(): None exitcode: %s alive: %s\n", e, alive(p));
    mpr_process_join(p, MPR_TIMEOUT_NONE);
    printf("join() again: None exitcode: %s\n", exitcode(p));
    mpr_process_join(p, 0);
    printf("join(0) again: None exitcode: %s\n", exitcode(p));
    mpr_process_free(p);
    return 0;
}
