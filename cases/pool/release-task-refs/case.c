/*
 * pool/release-task-refs: after map() the pool keeps no reference to the
 * task arguments nor to the copies the workers sent back.  C has no
 * finaliser to count live instances with, so the case holds one probe
 * reference to each of the 20 objects, drops its own lists, and counts
 * the objects someone else still holds (refcount above the probe's 1):
 * CPython's "instances left" once the probes are all that is left.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

static int identity(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    (void)kwargs;
    *result = mpr_obj_incref(mpr_obj_item(args, 0));
    return 0;
}
MPR_TARGET(identity)

static int run(void)
{
    mpr_pool_options_t o = {.processes = 2};
    mpr_obj_t *objs, *out = NULL, *probes[20] = {NULL};
    int all_lists = 1, same = 0, distinct = 0, released, left, rc;
    mpr_pool_t *p;
    double deadline;

    if ((objs = mpr_obj_list()) == NULL)
        return mpr_last_error();
    /* CountedObject() stands as a fresh one-item list per task */
    for (int i = 0; i < 10; i++)
        if ((rc = mpr_obj_list_append_steal(
                 objs, mpr_obj_list_of_steal(1, mpr_obj_int(i)))) < 0) {
            mpr_obj_decref(objs);
            return rc;
        }
    if ((rc = mpr_pool_new(&p, &o)) < 0) {
        mpr_obj_decref(objs);
        return rc;
    }
    if ((rc = mpr_pool_map(p, identity, objs, MPR_CHUNKSIZE_NONE, &out)) < 0)
        goto out;
    for (size_t i = 0; i < mpr_obj_len(out); i++) {
        all_lists &= mpr_obj_type(mpr_obj_item(out, i)) == MPR_OBJ_LIST;
        same |= mpr_obj_item(out, i) == mpr_obj_item(objs, i);
    }
    printf("copies back: %zu %s %s\n", mpr_obj_len(out),
           all_lists ? "True" : "False", same ? "True" : "False");
    for (size_t i = 0; i < 20; i++) {
        probes[i] = mpr_obj_incref(i < 10 ? mpr_obj_item(objs, i)
                                          : mpr_obj_item(out, i - 10));
        distinct++;
        for (size_t j = 0; j < i; j++)
            distinct -= probes[j] == probes[i];
    }
    printf("instances: %d\n", distinct);
    /* del objs, out */
    mpr_obj_decref(objs);
    mpr_obj_decref(out);
    objs = out = NULL;
    /* the handler threads drop theirs shortly after: wait up to 10 s */
    deadline = mpr_monotonic() + 10;
    for (;;) {
        released = 1;
        left = 0;
        for (int i = 0; i < 20; i++) {
            int held = mpr_obj_refcount(probes[i]) > 1;

            left += held;
            if (i < 10)
                released &= !held;
        }
        if ((released && left == 0) || mpr_monotonic() > deadline)
            break;
        mpr_sleep(0.05);
    }
    printf("arguments released: %s\n", released ? "True" : "False");
    printf("instances left: %d\n", left);
    rc = 0;
out:
    /* with Pool(2) as p: __exit__ terminates */
    mpr_pool_terminate(p);
    mpr_pool_free(p);
    for (int i = 0; i < 20; i++)
        mpr_obj_decref(probes[i]);
    mpr_obj_decref(objs);
    mpr_obj_decref(out);
    return rc;
}

int main(int argc, char **argv)
{
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = run()) < 0)
        return case_fail(rc);
    return 0;
}
