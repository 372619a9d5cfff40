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

/* the children's end of the Pipe; a fork child inherits it */
static mpr_conn_t *child_conn;

/* f(barrier, passes, conn, lock): under fork the conn is inherited
 * (args[2] is None), otherwise rebuilt as case_take_conns does. */
static int f(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    const mpr_obj_t *conns = mpr_obj_item(args, 2);
    mpr_conn_t *conn = child_conn;
    mpr_barrier_t *barrier;
    mpr_lock_t *lock;
    int64_t passes = 0;
    int rc;

    (void)kwargs;
    if ((rc = mpr_barrier_rebuild(&barrier, mpr_obj_item(args, 0), NULL)) < 0)
        return rc;
    if ((rc = mpr_semlock_rebuild(&lock, mpr_obj_item(args, 3))) < 0) {
        mpr_barrier_free(barrier);
        return rc;
    }
    mpr_obj_as_int64(mpr_obj_item(args, 1), &passes);
    rc = case_take_conns(conns, 1, &conn);
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
    if (mpr_obj_len(conns) == 1) /* rebuilt here, not inherited */
        mpr_conn_free(conn);
    mpr_semlock_free(lock);
    mpr_barrier_free(barrier);
    return rc < 0 ? rc : 0;
}
MPR_TARGET(f)

int main(int argc, char **argv)
{
    mpr_barrier_options_t bo = {.has_timeout = 1, .timeout = 30};
    mpr_conn_t *conn;
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
        mpr_obj_t *bt = NULL, *lt = NULL;

        mpr_barrier_reduce(barrier, &bt);
        mpr_semlock_reduce(lock, &lt);
        rc = case_process(&procs[j], f,
                          mpr_obj_tuple_steal(4, bt, mpr_obj_int(PASSES),
                                              case_conn_args(1, &child_conn),
                                              lt));
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
