/*
 * queue/feeder-unpicklable: a Lock put in a Queue is refused by the pickler
 * (RuntimeError "Lock objects should only be shared between processes
 * through inheritance", a handle value outside a child's args), which the
 * feeder reports on stderr; put() itself succeeds, later items arrive and
 * with maxsize=1 the failed item's slot is given back.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

/* q.put(lock); q.put(True); then the prints of one half */
static int round_(mpr_queue_t *q, mpr_obj_t *lock, int bounded)
{
    const char *pre = bounded ? "maxsize=1 " : "";
    mpr_obj_t *t = mpr_obj_bool(1), *got = NULL;
    int rc;

    if ((rc = mpr_queue_put(q, lock, 1, MPR_TIMEOUT_NONE)) < 0)
        return rc;
    if (!bounded)
        printf("put(Lock) returned\n");
    if ((rc = mpr_queue_put(q, t, 1, MPR_TIMEOUT_NONE)) < 0)
        return rc;
    if (bounded) {
        if ((rc = mpr_queue_qsize(q)) < 0)
            return rc;
        printf("maxsize=1 qsize: %d\n", rc);
    }
    if ((rc = mpr_queue_get(q, &got, 1, 10.0)) < 0)
        return rc;
    printf("%sget: ", pre);
    rc = case_print_repr(NULL, got);
    mpr_obj_decref(got);
    if (rc < 0)
        return rc;
    if (bounded) {
        if ((rc = mpr_queue_empty(q)) < 0)
            return rc;
        printf("maxsize=1 empty: %s\n", case_bool(rc));
    }
    if ((rc = mpr_queue_close(q)) < 0)
        return rc;
    return mpr_queue_join_thread(q);
}

int main(int argc, char **argv)
{
    mpr_lock_t *lock;
    mpr_queue_t *q, *q1;
    mpr_obj_t *h;
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = mpr_lock_new(&lock)) < 0 ||
        (rc = mpr_queue_new(&q, 0)) < 0 || (rc = mpr_queue_new(&q1, 1)) < 0)
        return case_fail(rc);
    if ((h = mpr_obj_handle(MPR_HANDLE_SEMLOCK, lock)) == NULL)
        return case_fail(mpr_last_error());
    if ((rc = round_(q, h, 0)) < 0 || (rc = round_(q1, h, 1)) < 0)
        return case_fail(rc);
    mpr_obj_decref(h);
    mpr_queue_free(q1);
    mpr_queue_free(q);
    mpr_lock_free(lock);
    return 0;
}
