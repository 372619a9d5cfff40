/*
 * pipe/wait-timeouts: mpr_conn_wait() with timeout -1 returns at once,
 * with nothing ready only after its whole timeout, reports a Connection
 * with data at once, and in a list mixing Connections and a process
 * sentinel returns exactly the ready objects.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

static int signal_and_sleep(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_semlock_t *sem;
    mpr_event_t *go;

    (void)kwargs;
    if ((sem = case_arg(args, 0, MPR_HANDLE_SEMLOCK)) == NULL)
        return mpr_last_error();
    if ((go = case_arg(args, 2, MPR_HANDLE_EVENT)) == NULL)
        return mpr_last_error();
    mpr_sem_release(sem);
    mpr_event_wait(go, MPR_TIMEOUT_NONE);
    mpr_sleep((double)mpr_obj_int_value(mpr_obj_item(args, 1)));
    return 0;
}
MPR_TARGET(signal_and_sleep)

/* wait(items, timeout): the names of the ready items sorted (wait()
 * promises no order), as "['a', 'b']", and the time it took in *d. */
static const char *timed(mpr_wait_item_t *items, const char *const *names,
                         size_t n, double timeout, double *d)
{
    const char *ready[3];
    size_t nready = 0;
    static char out[64];
    double t = mpr_monotonic();
    int r = mpr_conn_wait(items, n, timeout);

    *d = mpr_monotonic() - t;
    if (r < 0)
        return mpr_strerror(r);
    for (size_t i = 0; i < n && i < 3; i++) {
        if (!items[i].ready)
            continue;
        items[i].ready = 0;
        size_t k = nready++;
        for (; k > 0 && strcmp(ready[k - 1], names[i]) > 0; k--)
            ready[k] = ready[k - 1];
        ready[k] = names[i];
    }
    strcpy(out, "[");
    for (size_t k = 0; k < nready; k++) {
        strcat(out, k ? ", '" : "'");
        strcat(out, ready[k]);
        strcat(out, "'");
    }
    strcat(out, "]");
    return out;
}

int main(int argc, char **argv)
{
    mpr_conn_t *a, *b;
    mpr_semlock_t *sem;
    mpr_event_t *go;
    mpr_obj_t *args, *got;
    mpr_process_t *p;
    double d;
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = mpr_pipe(&a, &b, 1)) < 0)
        return case_fail(rc);
    /* [a], [a, b], then [a, sentinel, b] */
    mpr_wait_item_t items[3] = {{.conn = a}, {.conn = b}, {.conn = NULL}};
    static const char *const ab[] = {"a", "b"};
    static const char *const asb[] = {"a", "sentinel", "b"};

    printf("wait([a], timeout=-1): %s", timed(items, ab, 1, -1, &d));
    printf(" after %.3f s\n", d);
    printf("wait([a, b], 0.5), nothing ready: %s",
           timed(items, ab, 2, 0.5, &d));
    printf(" after %.3f s\n", d);
    mpr_obj_t *none = mpr_obj_none();
    if ((rc = mpr_conn_send(b, none)) < 0)
        return case_fail(rc);
    printf("wait([a, b], 20) after b.send: %s", timed(items, ab, 2, 20, &d));
    printf(" after %.3f s\n", d);
    if ((rc = mpr_conn_recv(a, &got)) < 0)
        return case_fail(rc);
    mpr_obj_decref(got);

    if ((rc = mpr_sem_new(&sem, 0)) < 0 || (rc = mpr_event_new(&go)) < 0)
        return case_fail(rc);
    args = mpr_obj_tuple_steal(3, mpr_obj_handle(MPR_HANDLE_SEMLOCK, sem),
                               mpr_obj_int(3),
                               mpr_obj_handle(MPR_HANDLE_EVENT, go));
    mpr_process_options_t o = {.target = signal_and_sleep, .args = args};
    if (args == NULL || (rc = mpr_process_new(&p, &o)) < 0 ||
        (rc = mpr_process_start(p)) < 0)
        return case_fail(rc < 0 ? rc : mpr_last_error());
    int s = mpr_process_sentinel(p);
    printf("sentinel is int: %s\n", case_bool(s >= 0));
    printf("child started: %s\n", case_bool(mpr_sem_acquire(sem, 1, 20) == 1));
    /* [a, sentinel, b] */
    items[1] = (mpr_wait_item_t){.conn = NULL, .fd = s};
    items[2] = (mpr_wait_item_t){.conn = b};
    printf("wait([a, sentinel, b], 0.2) while the child waits: %s\n",
           timed(items, asb, 3, 0.2, &d));
    mpr_event_set(go);
    printf("wait([a, sentinel, b], 23) while the child sleeps: %s",
           timed(items, asb, 3, 3 + 20, &d));
    printf(" after %.3f s\n", d);
    if ((rc = mpr_conn_send(a, none)) < 0)
        return case_fail(rc);
    printf("after a.send: %s", timed(items, asb, 3, 20, &d));
    printf(" after %.3f s\n", d);
    if ((rc = mpr_conn_send(b, none)) < 0)
        return case_fail(rc);
    printf("after b.send: %s", timed(items, asb, 3, 20, &d));
    printf(" after %.3f s\n", d);
    mpr_process_terminate(p);
    mpr_process_join(p, MPR_TIMEOUT_NONE);
    mpr_process_free(p);
    mpr_obj_decref(args);
    mpr_obj_decref(none);
    mpr_event_free(go);
    mpr_sem_free(sem);
    mpr_conn_free(a);
    mpr_conn_free(b);
    return 0;
}
