/*
 * process/terminate-no-cleanup: terminate() kills the child with SIGTERM:
 * neither its atexit hooks nor its finally blocks run, and its own child
 * lives on (it still sends through the Pipe it was given).
 * The write end of the Pipe reaches spawn and forkserver children as a
 * passed descriptor (pass_fds), as CPython's DupFd does.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>

static void child_atexit(void)
{
    printf("child atexit ran\n");
    fflush(stdout);
}

static int grandchild(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_conn_t *conn;
    mpr_obj_t *msg = mpr_obj_str("grandchild still alive");
    int rc;

    (void)kwargs;
    mpr_sleep(3);
    rc = mpr_conn_new(&conn, (int)mpr_obj_int_value(mpr_obj_item(args, 0)), 0,
                      1);
    if (rc < 0)
        return rc;
    rc = mpr_conn_send(conn, msg);
    mpr_conn_free(conn);
    mpr_obj_decref(msg);
    return rc < 0 ? rc : 0;
}
MPR_TARGET(grandchild)

static int child(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_event_t *ev;
    mpr_process_t *g;
    int fd = (int)mpr_obj_int_value(mpr_obj_item(args, 1));
    mpr_obj_t *gargs = mpr_obj_tuple_steal(1, mpr_obj_int(fd));
    mpr_process_options_t o = {
        .target = grandchild, .args = gargs, .pass_fds = &fd, .n_pass_fds = 1};
    int rc;

    (void)kwargs;
    atexit(child_atexit);
    if ((ev = case_arg(args, 0, MPR_HANDLE_EVENT)) == NULL)
        return mpr_last_error();
    if ((rc = mpr_process_new(&g, &o)) < 0 || (rc = mpr_process_start(g)) < 0)
        return rc;
    printf("child started\n");
    fflush(stdout);
    mpr_event_set(ev);
    mpr_sleep(50);
    printf("child finally ran\n");
    fflush(stdout);
    return 0;
}
MPR_TARGET(child)

int main(int argc, char **argv)
{
    mpr_event_t *ev;
    mpr_conn_t *r, *w;
    mpr_obj_t *args, *msg;
    mpr_process_t *p;
    int fd, code;

    if (mpr_main(argc, argv) < 0 || mpr_event_new(&ev) < 0 ||
        mpr_pipe(&r, &w, 0) < 0)
        return 1;
    fd = mpr_conn_fileno(w);
    args = mpr_obj_tuple_steal(2, mpr_obj_handle(MPR_HANDLE_EVENT, ev),
                               mpr_obj_int(fd));
    mpr_process_options_t o = {
        .target = child, .args = args, .pass_fds = &fd, .n_pass_fds = 1};
    if (args == NULL || mpr_process_new(&p, &o) < 0 || mpr_process_start(p) < 0)
        return 1;
    mpr_event_wait(ev, MPR_TIMEOUT_NONE);
    mpr_process_terminate(p);
    printf("is_alive right after terminate: %s\n",
           case_bool(mpr_process_is_alive(p)));
    mpr_process_join(p, MPR_TIMEOUT_NONE);
    int alive = mpr_process_is_alive(p);
    if (mpr_process_exitcode(p, &code) == 1)
        printf("exitcode: %d is_alive: %s\n", code, case_bool(alive));
    if (mpr_conn_recv(r, &msg) < 0)
        return 1;
    printf("%s\n", mpr_obj_str_utf8(msg, NULL));
    mpr_obj_decref(msg);
    mpr_process_free(p);
    mpr_obj_decref(args);
    mpr_conn_free(r);
    mpr_conn_free(w);
    mpr_event_free(ev);
    return 0;
}
