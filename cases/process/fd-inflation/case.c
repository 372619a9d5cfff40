/*
 * process/fd-inflation: under spawn and forkserver, 5 children running at
 * once count their open descriptors (/proc/self/fd): one distinct count.
 */
#include <mpr.h>

#include "support.h"

#include <dirent.h>
#include <stdio.h>

#define N 5

static mpr_queue_t *q;

/* len(os.listdir('/proc/self/fd')): the directory's own descriptor counts,
 * as the listing's does in Python */
static int fd_count(void)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    int n = 0;

    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static int report(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_event_t *evt = case_arg(args, 0, MPR_HANDLE_EVENT);
    int rc;

    (void)kwargs;
    if (evt == NULL)
        return mpr_last_error();
    if ((rc = case_queue_of(mpr_obj_item(args, 1), &q)) < 0)
        return rc;
    mpr_obj_t *o = mpr_obj_int(fd_count());
    rc = o ? mpr_queue_put(q, o, 1, MPR_TIMEOUT_NONE) : mpr_last_error();
    mpr_obj_decref(o);
    if (rc == 0)
        mpr_event_wait(evt, MPR_TIMEOUT_NONE);
    return rc;
}
MPR_TARGET(report)

int main(int argc, char **argv)
{
    mpr_process_t *procs[N];
    mpr_event_t *evt;
    mpr_obj_t *args[N];
    int64_t counts[N];
    int rc, distinct = 0;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = mpr_event_new(&evt)) < 0 ||
        (rc = mpr_queue_new(&q, 0)) < 0)
        return case_fail(rc);
    for (int i = 0; i < N; i++) {
        if ((args[i] = mpr_obj_tuple_steal(
                 2, mpr_obj_handle(MPR_HANDLE_EVENT, evt),
                 mpr_obj_handle(MPR_HANDLE_QUEUE, q))) == NULL)
            return case_fail(mpr_last_error());
        mpr_process_options_t o = {.target = report, .args = args[i]};
        if ((rc = mpr_process_new(&procs[i], &o)) < 0 ||
            (rc = mpr_process_start(procs[i])) < 0)
            return case_fail(rc);
    }
    for (int i = 0; i < N; i++) {
        mpr_obj_t *o;
        if ((rc = mpr_queue_get(q, &o, 1, MPR_TIMEOUT_NONE)) < 0)
            return case_fail(rc);
        counts[i] = mpr_obj_int_value(o);
        mpr_obj_decref(o);
        int seen = 0;
        for (int k = 0; k < i; k++)
            seen |= counts[k] == counts[i];
        distinct += !seen;
    }
    mpr_event_set(evt);
    printf("distinct descriptor counts among 5 running siblings: %d\n",
           distinct);
    printf("exit codes: [");
    for (int i = 0; i < N; i++) {
        int c = 1000;
        if ((rc = mpr_process_join(procs[i], MPR_TIMEOUT_NONE)) < 0)
            return case_fail(rc);
        mpr_process_exitcode(procs[i], &c);
        printf("%s%d", i ? ", " : "", c);
        mpr_process_free(procs[i]);
        mpr_obj_decref(args[i]);
    }
    printf("]\n");
    mpr_queue_close(q);
    mpr_queue_join_thread(q);
    mpr_queue_free(q);
    mpr_event_free(evt);
    return 0;
}
