/*
 * process_child.c - how a child starts, runs and ends, whatever started
 * it: BaseProcess._bootstrap (fresh counter and children, stdin on
 * /dev/null, a _ParentProcess; run, exit handler, the "Process NAME:"
 * report of an uncaught error, flush) and sys.exit() inside a process.
 *
 * Python: multiprocessing.process.BaseProcess._bootstrap and the
 * launchers' os._exit / sys.exit, CPython 3.11.  No state of its own.
 */
#include "mpr/process.h"
#include "process/process_internal.h"

#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* util._close_stdin(): fd 0 becomes /dev/null, and whatever stdin had
 * buffered from the parent is dropped. */
static void close_stdin(void)
{
    int fd = mpr__sys.open("/dev/null", O_RDONLY | O_CLOEXEC, 0);

    if (fd < 0)
        return;
    if (fd != 0) {
        dup2(fd, 0);
        mpr__sys.close(fd);
    }
    __fpurge(stdin);
    clearerr(stdin);
}

void mpr__process_become_child(mpr_process_t *p, int parent_sentinel,
                               const char *method)
{
    mpr_process_t *parent = mpr__process_alloc();

    mpr__context_force(p->method ? p->method : method);
    mpr__after_fork_run(); /* drops the parent's finalizers first */
    mpr__forkserver_forget();
    close_stdin();
    if (parent != NULL) {
        parent->kind = MPR__PROC_PARENT;
        parent->type_name = mpr__strdup("_ParentProcess");
        parent->name = mpr__strdup(p->parent_name ? p->parent_name : "");
        parent->pid = p->parent_pid;
        parent->sentinel = parent_sentinel;
        if (parent->type_name == NULL || parent->name == NULL) {
            mpr__process_release(parent);
            parent = NULL;
        }
    }
    mpr__process_reset_state(p, parent);
}

/* Ends the child: wait for its non-daemon threads, flush what the target
 * printed (a child killed by a signal never gets here, so its buffered
 * output is lost, as CPython's is), then _exit like the fork and forkserver
 * launchers or exit like a spawned interpreter, whose atexit handlers run. */
static _Noreturn void end_child(int code)
{
    /* _bootstrap's last finally: threading._shutdown() */
    mpr__threads_shutdown();
    fflush(stdout);
    fflush(stderr);
    if (mpr__process_uses_exit())
        exit(code & 0xff);
    mpr__child_exit(code & 0xff);
}

_Noreturn void mpr__process_bootstrap(mpr_process_t *p)
{
    int rc = mpr_process_run(p);
    char line[1024];

    /* _bootstrap runs util._exit_function() in a finally clause, before
     * it reports an exception: grandchildren are dealt with first. */
    mpr_exit_function();
    if (rc < 0) {
        mpr_err_format(rc, line, sizeof(line));
        fprintf(stderr,
                "Process %s:\nTraceback (most recent call last):\n"
                "%s\n",
                p->name, line);
        end_child(1);
    }
    end_child(0);
}

/* sys.exit(message): message (len bytes, NULs included) and a newline to
 * stderr, then exit code 1; message is freed first when owned. */
static _Noreturn void exit_text(const char *message, size_t len, int owned)
{
    /* _bootstrap catches SystemExit after the exit handler ran (finally)
     * and writes str(code) to stderr; the main program's interpreter
     * prints it at exit. */
    if (mpr__current->kind != MPR__PROC_MAIN)
        mpr_exit_function();
    fwrite(message, 1, len, stderr);
    fputc('\n', stderr);
    if (owned)
        mpr_free((void *)message);
    if (mpr__current->kind == MPR__PROC_MAIN)
        exit(1);
    end_child(1);
}

void mpr_process_exit_msg(const char *message)
{
    exit_text(message, strlen(message), 0);
}

void mpr_process_exit(int code)
{
    if (mpr__current->kind == MPR__PROC_MAIN)
        exit(code);
    mpr_exit_function();
    end_child(code);
}

void mpr_process_exit_obj(const mpr_obj_t *code)
{
    mpr_obj_type_t t = code ? mpr_obj_type(code) : MPR_OBJ_NONE;
    char *text;
    size_t len;

    if (t == MPR_OBJ_NONE)
        mpr_process_exit(0);
    if (t == MPR_OBJ_INT || t == MPR_OBJ_BOOL) {
        int64_t v = mpr_obj_int_value(code);
        if (v >= INT_MIN && v <= INT_MAX)
            mpr_process_exit((int)v);
        if (mpr__current->kind == MPR__PROC_MAIN)
            exit((int)(uint32_t)v);
        mpr_process_exit(1);
    }
    /* str(code): a str's text as it is; for the other types libmpref
     * values have, str() is repr() */
    if (t == MPR_OBJ_STR) {
        const char *s = mpr_obj_str_utf8(code, &len);
        exit_text(s, len, 0);
    }
    if (mpr_obj_repr(code, &text, &len) < 0)
        exit_text("", 0, 0);
    exit_text(text, len, 1);
}
