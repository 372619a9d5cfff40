/*
 * pool/pool-in-process: a non-daemonic child process creates a Pool(4),
 * maps over it, closes and joins it, and exits with status 0.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

/* _afunc(x): x * x */
static int afunc(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    int64_t x = mpr_obj_int_value(mpr_obj_item(args, 0));

    (void)kwargs;
    *result = mpr_obj_int(x * x);
    return *result ? 0 : mpr_last_error();
}
MPR_TARGET(afunc)

static int pool_in_process(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_pool_options_t o = {.processes = 4};
    mpr_obj_t *in = mpr_obj_list(), *x = NULL;
    mpr_pool_t *pool = NULL;
    char *r = NULL;
    int rc;

    (void)args, (void)kwargs;
    if (in == NULL)
        return mpr_last_error();
    for (int i = 1; i <= 7; i++)
        if ((rc = mpr_obj_list_append_steal(in, mpr_obj_int(i))) < 0)
            goto out;
    if ((rc = mpr_pool_new(&pool, &o)) < 0 ||
        (rc = mpr_pool_map(pool, afunc, in, MPR_CHUNKSIZE_NONE, &x)) < 0 ||
        (rc = mpr_pool_close(pool)) < 0 || (rc = mpr_pool_join(pool)) < 0)
        goto out;
    if ((rc = mpr_obj_repr(x, &r, NULL)) < 0)
        goto out;
    printf("in child: %s\n", r);
    mpr_free(r);
    if ((rc = mpr_active_children(NULL)) < 0)
        goto out;
    printf("workers left in child: %d\n", rc);
    rc = 0;
out:
    mpr_obj_decref(x);
    mpr_pool_free(pool);
    mpr_obj_decref(in);
    return rc;
}
MPR_TARGET(pool_in_process)

int main(int argc, char **argv)
{
    mpr_process_options_t o = {.target = pool_in_process};
    mpr_process_t *proc;
    int rc, code;

    if ((rc = mpr_main(argc, argv)) < 0 ||
        (rc = mpr_process_new(&proc, &o)) < 0 ||
        (rc = mpr_process_start(proc)) < 0 ||
        (rc = mpr_process_join(proc, MPR_TIMEOUT_NONE)) < 0 ||
        (rc = mpr_process_exitcode(proc, &code)) < 0)
        return case_fail(rc);
    printf("exitcode: %d\n", code);
    mpr_process_free(proc);
    return 0;
}
