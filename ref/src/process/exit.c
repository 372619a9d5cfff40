/*
 * exit.c - multiprocessing.util._exit_function, the process layer's exit
 * handler: the base layer's atexit hook (base/finalize.c) runs it, and so
 * does every child at its end.
 *
 * Python: multiprocessing/util.py, CPython 3.11.
 * State, per process: whether the handler is running or ran.
 */
#include "mpr/process.h"
#include "mpr/timeout.h"
#include "process/process_internal.h"

#include <limits.h>

static int exiting;

/* A new Process starts with the handler not run (util's _exiting is a
 * fresh module global in a spawned child and reset in a forked one). */
static void reset_exiting(void)
{
    exiting = 0;
}

/* The main program's end: the interpreter waits for the non-daemon
 * threads (threading._shutdown) before it runs the atexit callbacks, the
 * exit handler among them.  A child has waited for them already (and ran
 * the handler) by the time its exit() runs this. */
static void at_exit(void)
{
    mpr__threads_shutdown();
    mpr_exit_function();
}

void mpr__exit_init(void)
{
    mpr__finalize_set_exit(at_exit);
    mpr__after_fork_register(reset_exiting);
}

void mpr_exit_function(void)
{
    mpr_process_t **list;
    int n;

    if (exiting)
        return;
    exiting = 1;
    mpr__finalize_run_all(0);
    n = mpr_active_children(&list);
    if (n >= 0) {
        for (int i = 0; i < n; i++)
            if (mpr_process_daemon(list[i]))
                mpr_process_terminate(list[i]);
        mpr_free(list);
    }
    n = mpr_active_children(&list);
    if (n >= 0) {
        for (int i = 0; i < n; i++)
            mpr_process_join(list[i], MPR_TIMEOUT_NONE);
        mpr_free(list);
    }
    mpr__finalize_run_all(INT_MIN);
    /* CPython's forkserver notices the end of its last client when the
     * interpreter's descriptors close; we end and reap it here so nothing
     * outlives the program. */
    mpr__forkserver_stop();
}
