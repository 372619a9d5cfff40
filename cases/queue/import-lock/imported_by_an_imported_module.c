/*
 * imported_by_an_imported_module: the module of queue/import-lock.  A C
 * module is a shared object; importing it (dlopen) runs this constructor,
 * its top level, while the dynamic loader holds its lock (glibc's
 * dl_load_lock), as Python holds the module's import lock while its top
 * level runs.  It makes a Queue, puts an item and gets it back with a 3 s
 * timeout: the feeder thread that writes the item must not need the
 * loader's lock, or get() times out (issue #22853's deadlock).
 */
#include <mpr.h>

/* The exception the import raised (0: none), for the importer: a
 * constructor cannot make dlopen fail, so the module says it here, as
 * __import__ re-raises what the module's top level raised. */
int import_error;

__attribute__((constructor)) static void imported_by_an_imported_module(void)
{
    mpr_obj_t *item = mpr_obj_str("knock knock"), *got = NULL;
    mpr_queue_t *q;
    int rc;

    if (item == NULL) {
        import_error = mpr_last_error();
        return;
    }
    /* q = multiprocessing.Queue(); q.put('knock knock');
     * q.get(timeout=3); q.close(); del q */
    if ((rc = mpr_queue_new(&q, 0)) == 0) {
        if ((rc = mpr_queue_put(q, item, 1, MPR_TIMEOUT_NONE)) == 0 &&
            (rc = mpr_queue_get(q, &got, 1, 3.0)) == 0)
            rc = mpr_queue_close(q);
        mpr_obj_decref(got);
        mpr_queue_free(q);
    }
    mpr_obj_decref(item);
    import_error = rc;
}
