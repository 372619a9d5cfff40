/*
 * pool/four-workers-concurrent: Pool(4).map over four tasks that each wait
 * at a 4-party Manager Barrier, so the map ends only if four workers hold a
 * task at once.  A task travels through the pool's pipe as a pickle under
 * every start method, so the barrier goes as a reduced proxy (CPython's
 * RebuildProxy) and each worker rebuilds it.
 */
#include <mpr.h>

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

static int print_results(const mpr_obj_t *results)
{
    mpr_obj_t *names = mpr_obj_list();
    int seen[4] = {0}, pids[4], distinct = 0, parent_in = 0;
    size_t n = mpr_obj_len(results);
    char *s;
    int rc;

    if (names == NULL)
        return mpr_last_error();
    for (size_t i = 0; i < n; i++) {
        const mpr_obj_t *r = mpr_obj_item(results, i);
        int64_t index = mpr_obj_int_value(mpr_obj_item(r, 1));
        int pid = (int)mpr_obj_int_value(mpr_obj_item(r, 2)), j;
        mpr_obj_list_append_steal(names, mpr_obj_incref(mpr_obj_item(r, 0)));
        if (index >= 0 && index < 4)
            seen[index]++;
        for (j = 0; j < distinct && pids[j] != pid; j++)
            ;
        if (j == distinct && distinct < 4)
            pids[distinct++] = pid;
        parent_in |= pid == (int)getpid();
    }
    if ((rc = mpr_obj_repr(names, &s, NULL)) < 0) {
        mpr_obj_decref(names);
        return rc;
    }
    printf("%s\n", s);
    mpr_free(s);
    mpr_obj_decref(names);
    /* sorted(indexes), as a list: each count printed in order */
    printf("[");
    for (int i = 0, first = 1; i < 4; i++)
        for (int k = 0; k < seen[i]; k++, first = 0)
            printf("%s%d", first ? "" : ", ", i);
    printf("]\n");
    printf("%d %s\n", distinct, parent_in ? "False" : "True");
    return 0;
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
    char line[512];
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = run()) < 0) {
        fflush(stdout);
        mpr_err_format(rc, line, sizeof(line));
        fprintf(stderr, "Traceback (most recent call last):\n%s\n", line);
        return 1;
    }
    return 0;
}
