/*
 * pool/default-size: Pool() has os.cpu_count() workers: n + 1 tasks that
 * each sleep one second run n at a time, the last one once a worker is
 * free.  Each task returns (pid, start, end) with time.time() stamps.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int task(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    double start = case_now();

    (void)args;
    (void)kwargs;
    mpr_sleep(1);
    *result =
        mpr_obj_tuple_steal(3, mpr_obj_int(getpid()), mpr_obj_float(start),
                            mpr_obj_float(case_now()));
    return *result ? 0 : mpr_last_error();
}
MPR_TARGET(task)

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    mpr_obj_t *in, *results;
    mpr_pool_t *p;
    double *starts, *ends;
    int rc, n;
    size_t m, distinct = 0;

    if ((rc = mpr_main(argc, argv)) < 0 || (n = rc = mpr_cpu_count()) < 0)
        return case_fail(rc);
    if ((in = case_range_list(0, n + 1)) == NULL)
        return case_fail(mpr_last_error());
    if ((rc = mpr_pool_new(&p, NULL)) < 0 ||
        (rc = mpr_pool_map(p, task, in, MPR_CHUNKSIZE_NONE, &results)) < 0 ||
        (rc = mpr_pool_close(p)) < 0 || (rc = mpr_pool_join(p)) < 0)
        return case_fail(rc);
    m = mpr_obj_len(results);
    starts = calloc(m + 1, sizeof(double));
    ends = calloc(m + 1, sizeof(double));
    if (starts == NULL || ends == NULL)
        return case_fail(-12);
    for (size_t i = 0; i < m; i++) {
        mpr_obj_t *r = mpr_obj_item(results, i);
        int64_t pid = mpr_obj_int_value(mpr_obj_item(r, 0));
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = mpr_obj_int_value(
                       mpr_obj_item(mpr_obj_item(results, j), 0)) == pid;
        distinct += !seen;
        starts[i] = mpr_obj_float_value(mpr_obj_item(r, 1));
        ends[i] = mpr_obj_float_value(mpr_obj_item(r, 2));
    }
    qsort(starts, m, sizeof(double), cmp_double);
    qsort(ends, m, sizeof(double), cmp_double);
    printf("tasks: %s\n", case_bool(m == (size_t)n + 1));
    printf("distinct workers == os.cpu_count(): %s\n",
           case_bool(distinct == (size_t)n));
    printf("the first n tasks ran together: %s\n",
           case_bool(m > 0 && starts[n - 1] < ends[0]));
    printf("the last task waited for a free worker: %s\n",
           case_bool(m > (size_t)n && starts[n] >= ends[0]));
    free(starts);
    free(ends);
    mpr_obj_decref(results);
    mpr_obj_decref(in);
    mpr_pool_free(p);
    return 0;
}
