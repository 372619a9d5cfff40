/*
 * pool/four-workers-concurrent: Pool(4).map over four tasks that each wait
 * at a 4-party Manager Barrier, so the map ends only if four workers hold a
 * task at once.  A task travels through the pool's pipe as a pickle under
 * every start method, so the barrier goes as a reduced proxy (CPython's
 * RebuildProxy) and each worker rebuilds it.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <unistd.h>

/* meet((barrier, name)) -> (name, barrier.wait(timeout=20), os.getpid()) */
static int meet(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    const mpr_obj_t *task = mpr_obj_item(args, 0);
    mpr_obj_t *wargs = NULL, *index = NULL;
    mpr_proxy_t *barrier;
    int rc;

    (void)kwargs;
    if ((rc = mpr_proxy_rebuild(&barrier, mpr_obj_item(task, 0))) < 0)
        return rc;
    if ((wargs = mpr_obj_tuple_steal(1, mpr_obj_float(20.0))) == NULL)
        rc = mpr_last_error();
    else
        rc = mpr_proxy_callmethod(barrier, "wait", wargs, NULL, &index);
    mpr_obj_decref(wargs);
    mpr_proxy_free(barrier);
    if (rc < 0)
        return rc;
    *result = mpr_obj_tuple_steal(3, mpr_obj_incref(mpr_obj_item(task, 1)),
                                  index, mpr_obj_int(getpid()));
    return *result ? 0 : mpr_last_error();
}
MPR_TARGET(meet)

/*
 * print([name for name, _, _ in results])
 * print(sorted(index for _, index, _ in results))
 * print(len({pid for _, _, pid in results}),
 *       os.getpid() not in {pid for _, _, pid in results})
 */
static int print_results(const mpr_obj_t *results)
{
    mpr_obj_t *names = case_column(results, 0), *indexes = NULL, *sorted = NULL,
              *pids = NULL, *pid_set = NULL, *me = mpr_obj_int(getpid());
    int rc;

    if (names == NULL || (indexes = case_column(results, 1)) == NULL ||
        (sorted = case_sorted(indexes)) == NULL ||
        (pids = case_column(results, 2)) == NULL ||
        (pid_set = case_set(pids)) == NULL || me == NULL) {
        rc = mpr_last_error();
        goto done;
    }
    if ((rc = case_print_repr(NULL, names)) < 0 ||
        (rc = case_print_repr(NULL, sorted)) < 0)
        goto done;
    printf("%zu %s\n", mpr_obj_len(pid_set),
           case_bool(!case_contains(pid_set, me)));
done:
    mpr_obj_decref(me);
    mpr_obj_decref(pid_set);
    mpr_obj_decref(pids);
    mpr_obj_decref(sorted);
    mpr_obj_decref(indexes);
    mpr_obj_decref(names);
    return rc;
}

static int run(void)
{
    mpr_pool_options_t po = {.processes = 4};
    mpr_manager_t *m;
    mpr_proxy_t *barrier = NULL;
    mpr_pool_t *pool = NULL;
    mpr_obj_t *cargs, *reduced = NULL, *tasks = NULL, *results = NULL;
    int rc;

    if ((rc = mpr_manager_new(&m, NULL)) < 0)
        return rc;
    if ((rc = mpr_manager_enter(m)) < 0)
        goto done;
    if ((cargs = mpr_obj_tuple_steal(1, mpr_obj_int(4))) == NULL) {
        rc = mpr_last_error();
        goto done;
    }
    rc = mpr_manager_create(m, "Barrier", cargs, NULL, &barrier);
    mpr_obj_decref(cargs);
    if (rc < 0 || (rc = mpr_proxy_reduce(barrier, &reduced)) < 0)
        goto done;
    if ((tasks = mpr_obj_list()) == NULL) {
        rc = mpr_last_error();
        goto done;
    }
    for (const char *n = "ABCD"; *n && rc == 0; n++)
        rc = mpr_obj_list_append_steal(
            tasks, mpr_obj_tuple_steal(2, mpr_obj_incref(reduced),
                                       mpr_obj_strn(n, 1)));
    if (rc < 0 || (rc = mpr_pool_new(&pool, &po)) < 0)
        goto done;
    rc = mpr_pool_map(pool, meet, tasks, MPR_CHUNKSIZE_NONE, &results);
    mpr_pool_terminate(pool); /* with Pool(4) as p: __exit__ */
    if (rc == 0)
        rc = print_results(results);
done:
    mpr_obj_decref(results);
    mpr_obj_decref(tasks);
    mpr_obj_decref(reduced);
    mpr_pool_free(pool);
    mpr_proxy_free(barrier);
    mpr_manager_exit(m);
    mpr_manager_free(m);
    return rc;
}

int main(int argc, char **argv)
{
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = run()) < 0)
        return case_fail(rc);
    return 0;
}
