/*
 * pipe/wait-readers: 4 children each send (i, pid) for i in 0..9 through
 * their own simplex Pipe and close it; the parent calls mpr_conn_wait() on
 * the readers still open, reads one message from each one it reports, and
 * drops a reader at EOF.  Second round: a random sleep before each send.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define NCHILD 4
#define NMSG   10

static int child(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    int slow = mpr_obj_truth(mpr_obj_item(args, 1));
    mpr_conn_t *w = case_arg(args, 0, MPR_HANDLE_CONN);
    int rc = w != NULL ? 0 : mpr_last_error();

    (void)kwargs;
    for (int i = 0; rc == 0 && i < NMSG; i++) {
        if (slow)
            mpr_sleep(case_random() * 0.1);
        mpr_obj_t *m =
            mpr_obj_tuple_steal(2, mpr_obj_int(i), mpr_obj_int(getpid()));
        rc = m ? mpr_conn_send(w, m) : mpr_last_error();
        mpr_obj_decref(m);
    }
    if (rc < 0)
        return rc;
    return mpr_conn_close(w);
}
MPR_TARGET(child)

static int one_round(int slow)
{
    const char *name = slow ? "slow" : "fast";
    mpr_conn_t *readers[NCHILD], *writers[NCHILD];
    mpr_process_t *procs[NCHILD];
    pid_t pids[NCHILD];
    int64_t got[NCHILD * NMSG][2];
    int nmsg = 0, eofs = 0, rc;
    mpr_wait_item_t items[NCHILD];
    size_t open = NCHILD;

    for (int k = 0; k < NCHILD; k++) {
        if ((rc = mpr_pipe(&readers[k], &writers[k], 0)) < 0)
            return rc;
        mpr_obj_t *args = mpr_obj_tuple_steal(
            2, mpr_obj_handle(MPR_HANDLE_CONN, writers[k]), mpr_obj_bool(slow));
        mpr_process_options_t o = {
            .target = child, .args = args, .daemon = MPR_TRUE};
        if (args == NULL || (rc = mpr_process_new(&procs[k], &o)) < 0 ||
            (rc = mpr_process_start(procs[k])) < 0 ||
            (rc = mpr_process_pid(procs[k], &pids[k])) < 0)
            return rc < 0 ? rc : mpr_last_error();
        mpr_obj_decref(args);
        mpr_conn_free(writers[k]); /* w.close() */
        items[k] = (mpr_wait_item_t){.conn = readers[k]};
    }
    while (open) {
        int n = mpr_conn_wait(items, open, MPR_TIMEOUT_NONE);
        if (n <= 0)
            printf("wait() returned %d\n", n);
        for (size_t j = 0; j < open;) {
            if (!items[j].ready) {
                j++;
                continue;
            }
            items[j].ready = 0;
            mpr_obj_t *m;
            rc = mpr_conn_recv(items[j].conn, &m);
            if (rc == MPR_EEOF) {
                mpr_conn_free(items[j].conn);
                items[j] = items[--open]; /* readers.remove(r) */
                eofs++;
                continue;
            }
            if (rc < 0)
                return rc;
            if (nmsg < NCHILD * NMSG) {
                got[nmsg][0] = mpr_obj_int_value(mpr_obj_item(m, 0));
                got[nmsg][1] = mpr_obj_int_value(mpr_obj_item(m, 1));
            }
            nmsg++;
            mpr_obj_decref(m);
            j++;
        }
    }
    for (int k = 0; k < NCHILD; k++)
        if ((rc = mpr_process_join(procs[k], MPR_TIMEOUT_NONE)) < 0)
            return rc;
    /* sorted(messages) == sorted((i, pid) for i ... for p ...): every
     * expected pair exactly once, and nothing else */
    int all = nmsg == NCHILD * NMSG;
    for (int k = 0; k < NCHILD; k++) {
        printf("%s child %d sent [", name, k);
        int first = 1;
        for (int m = 0; m < nmsg && m < NCHILD * NMSG; m++)
            if (got[m][1] == pids[k]) {
                printf("%s%lld", first ? "" : ", ", (long long)got[m][0]);
                first = 0;
            }
        printf("]\n");
        for (int i = 0; i < NMSG; i++) {
            int seen = 0;
            for (int m = 0; m < nmsg && m < NCHILD * NMSG; m++)
                seen += got[m][0] == i && got[m][1] == pids[k];
            all &= seen == 1;
        }
    }
    printf("%s messages: %d, EOFs: %d\n", name, nmsg, eofs);
    printf("%s all expected: %s\n", name, case_bool(all));
    for (int k = 0; k < NCHILD; k++)
        mpr_process_free(procs[k]);
    return 0;
}

int main(int argc, char **argv)
{
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = one_round(0)) < 0 ||
        (rc = one_round(1)) < 0)
        return case_fail(rc);
    return 0;
}
