/*
 * sync/barrier-thousand: five processes pass a Barrier(5, timeout=30) 1000
 * times, each sending the pass number through one Pipe under a shared Lock;
 * the parent reads 5000 values and checks they arrive grouped by pass.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

#define N      5
#define PASSES 1000

/* f(barrier, passes, conn, lock) */
static int f(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_barrier_t *barrier = case_arg(args, 0, MPR_HANDLE_BARRIER);
    mpr_conn_t *conn = case_arg(args, 2, MPR_HANDLE_CONN);
    mpr_lock_t *lock = case_arg(args, 3, MPR_HANDLE_SEMLOCK);
    int64_t passes = 0;
    int rc;

    (void)kwargs;
    if (!barrier || !conn || !lock)
        return mpr_last_error();
    rc = mpr_obj_as_int64(mpr_obj_item(args, 1), &passes);
    for (int64_t i = 0; rc == 0 && i < passes; i++) {
        mpr_obj_t *v;

        if ((rc = mpr_barrier_wait(barrier, MPR_TIMEOUT_NONE)) < 0)
            break;
        if ((rc = mpr_lock_acquire(lock, 1, MPR_TIMEOUT_NONE)) < 0)
            break;
        v = mpr_obj_int(i);
        rc = v == NULL ? mpr_last_error() : mpr_conn_send(conn, v);
        mpr_obj_decref(v);
        mpr_lock_release(lock);
    }
    return rc < 0 ? rc : 0;
}
MPR_TARGET(f)

int main(int argc, char **argv)
{
    mpr_barrier_options_t bo = {.has_timeout = 1, .timeout = 30};
    mpr_conn_t *conn, *child_conn;
    mpr_process_t *procs[N];
    mpr_barrier_t *barrier;
    mpr_lock_t *lock;
    int bad = 0, rc;

    if (mpr_main(argc, argv) < 0)
        return 1;
    if ((rc = mpr_barrier_new(&barrier, N, &bo)) < 0 ||
        (rc = mpr_lock_new(&lock)) < 0 ||
        (rc = mpr_pipe(&conn, &child_conn, 0)) < 0)
        return case_fail(rc);
    for (int j = 0; j < N; j++) {
        rc = case_process(
            &procs[j], f,
            mpr_obj_tuple_steal(4, mpr_obj_handle(MPR_HANDLE_BARRIER, barrier),
                                mpr_obj_int(PASSES),
                                mpr_obj_handle(MPR_HANDLE_CONN, child_conn),
                                mpr_obj_handle(MPR_HANDLE_SEMLOCK, lock)));
        if (rc < 0)
            return case_fail(rc);
    }
    for (int j = 0; j < N; j++)
        if ((rc = mpr_process_start(procs[j])) < 0)
            return case_fail(rc);
    /* every party sends pass i before any party passes the barrier again:
     * the values arrive grouped, N times 0, N times 1, ... */
    for (int i = 0; i < PASSES; i++)
        for (int j = 0; j < N; j++) {
            mpr_obj_t *got = NULL;
            int64_t v = -1;

            if ((rc = mpr_conn_recv(conn, &got)) < 0)
                return case_fail(rc);
            mpr_obj_as_int64(got, &v);
            mpr_obj_decref(got);
            if (v != i && bad < 5) {
                printf("expected %d, got %lld\n", i, (long long)v);
                bad++;
            }
        }
    for (int j = 0; j < N; j++)
        mpr_process_join(procs[j], MPR_TIMEOUT_NONE);
    printf("received %d values grouped by pass: %s\n", PASSES * N,
           case_bool(bad == 0));
    printf("exitcodes: [");
    for (int j = 0; j < N; j++) {
        int code = -1;
        mpr_process_exitcode(procs[j], &code);
        printf("%s%d", j ? ", " : "", code);
    }
    printf("]\n");
    printf("broken n_waiting: %s %d\n", case_bool(mpr_barrier_broken(barrier)),
           mpr_barrier_n_waiting(barrier));
    for (int j = 0; j < N; j++)
        mpr_process_free(procs[j]);
    mpr_conn_free(conn);
    mpr_conn_free(child_conn);
    mpr_semlock_free(lock);
    mpr_barrier_free(barrier);
    return 0;
}
