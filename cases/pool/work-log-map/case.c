/*
 * pool/work-log-map: Pool(4).map(work_log, work) where each item is
 * [name, seconds]: every worker prints that it waits, sleeps, and prints
 * that it finished.  The pool is left to the exit handler.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

static int work_log(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    mpr_obj_t *work_data = mpr_obj_item(args, 0);
    const char *name = mpr_obj_str_utf8(mpr_obj_item(work_data, 0), NULL);
    int64_t secs = mpr_obj_int_value(mpr_obj_item(work_data, 1));

    (void)kwargs;
    printf(" Process %s waiting %d seconds\n", name, (int)secs);
    mpr_sleep((double)secs);
    printf(" Process %s Finished.\n", name);
    *result = mpr_obj_none();
    return 0;
}
MPR_TARGET(work_log)

int main(int argc, char **argv)
{
    static const char *names[] = {"A", "B", "C", "D"};
    static const int secs[] = {5, 2, 1, 3};
    mpr_pool_options_t o = {.processes = 4};
    mpr_obj_t *work, *out;
    mpr_pool_t *p;
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0)
        return case_fail(rc);
    if ((work = mpr_obj_tuple_new(4)) == NULL)
        return case_fail(mpr_last_error());
    for (size_t i = 0; i < 4; i++)
        if ((rc = mpr_obj_tuple_set_steal(
                 work, i,
                 mpr_obj_list_of_steal(2, mpr_obj_str(names[i]),
                                       mpr_obj_int(secs[i])))) < 0)
            return case_fail(rc);
    if ((rc = mpr_pool_new(&p, &o)) < 0 ||
        (rc = mpr_pool_map(p, work_log, work, MPR_CHUNKSIZE_NONE, &out)) < 0)
        return case_fail(rc);
    mpr_obj_decref(out);
    mpr_obj_decref(work);
    return 0;
}
