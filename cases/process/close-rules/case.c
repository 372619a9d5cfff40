/*
 * process/close-rules: close() refuses a running process; after close()
 * every attribute but name and daemon raises ValueError, and close()
 * again is a no-op.  The child waits on an Event it receives in its args.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

static int f(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_event_t *ev;

    (void)kwargs;
    if ((ev = case_arg(args, 0, MPR_HANDLE_EVENT)) == NULL)
        return mpr_last_error();
    mpr_event_wait(ev, MPR_TIMEOUT_NONE);
    return 0;
}
MPR_TARGET(f)

/* attempt(label, fn): "label ValueError msg" or "label ok result" */
static void attempt(const char *label, int rc, const char *ok)
{
    if (rc == MPR_EVALUE)
        printf("%s ValueError %s\n", label, mpr_last_error_detail());
    else
        printf("%s ok %s\n", label, ok);
}

int main(int argc, char **argv)
{
    mpr_event_t *ev;
    mpr_obj_t *args;
    mpr_process_t *p;
    pid_t pid;
    int code;
    char *r;

    if (mpr_main(argc, argv) < 0 || mpr_event_new(&ev) < 0)
        return 1;
    args = mpr_obj_tuple_steal(1, mpr_obj_handle(MPR_HANDLE_EVENT, ev));
    mpr_process_options_t o = {.target = f, .args = args};
    if (args == NULL || mpr_process_new(&p, &o) < 0 || mpr_process_start(p) < 0)
        return 1;
    attempt("close while running:", mpr_process_close(p), "None");
    mpr_event_set(ev);
    mpr_process_join(p, MPR_TIMEOUT_NONE);
    attempt("close after join:", mpr_process_close(p), "None");
    attempt("pid:", mpr_process_pid(p, &pid), "");
    attempt("ident:", mpr_process_ident(p, &pid), "");
    attempt("exitcode:", mpr_process_exitcode(p, &code), "");
    attempt("sentinel:", mpr_process_sentinel(p), "");
    attempt("is_alive():", mpr_process_is_alive(p), "");
    attempt("join():", mpr_process_join(p, MPR_TIMEOUT_NONE), "");
    attempt("start():", mpr_process_start(p), "");
    attempt("terminate():", mpr_process_terminate(p), "");
    attempt("kill():", mpr_process_kill(p), "");
    attempt("name:", 0, mpr_process_name(p));
    attempt("daemon:", 0, case_bool(mpr_process_daemon(p)));
    attempt("close again:", mpr_process_close(p), "None");
    if (mpr_process_repr(p, &r, NULL) == 0) {
        printf("%s\n", r);
        mpr_free(r);
    }
    mpr_process_free(p);
    mpr_obj_decref(args);
    mpr_event_free(ev);
    return 0;
}
