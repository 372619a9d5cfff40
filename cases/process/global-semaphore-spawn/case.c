/*
 * process/global-semaphore-spawn: a Semaphore made at the top level of a
 * program that starts a spawn child.  The top level of a C program is
 * what runs before mpr_main (the analogue of the __main__ guard): the
 * spawn child, a fresh copy of the program, runs it again and makes its
 * own Semaphore, as CPython's child re-imports the main module.  Neither
 * may leak: nothing on stderr, nothing left behind (the runner checks
 * /dev/shm and the processes).
 */
#include <mpr.h>

#include "support.h"

static mpr_context_t *ctx;
static mpr_sem_t *global_resource;

static int submain(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args, (void)kwargs;
    return 0;
}
MPR_TARGET(submain)

int main(int argc, char **argv)
{
    mpr_process_t *p;
    int rc;

    /* module level: ctx = mp.get_context('spawn');
     * global_resource = ctx.Semaphore() */
    if ((rc = mpr_context_get_context(mpr_default_context(), "spawn", &ctx)) <
            0 ||
        (rc = mpr_sem_new(&global_resource, 1)) < 0)
        return case_fail(rc);
    /* if __name__ == '__main__': (a spawn child runs submain in here) */
    if ((rc = mpr_main(argc, argv)) < 0)
        return case_fail(rc);
    mpr_process_options_t o = {.target = submain,
                               .context = mpr_context_method(ctx)};
    if ((rc = mpr_process_new(&p, &o)) < 0)
        return case_fail(rc);
    if ((rc = mpr_process_start(p)) < 0 ||
        (rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0) {
        mpr_process_free(p);
        return case_fail(rc);
    }
    mpr_process_free(p);
    mpr_sem_free(global_resource);
    return 0;
}
