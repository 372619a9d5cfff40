/*
 * main.c - mpr_main(), the entry point of every libmpref program: stdio
 * buffering, the environment the runner sets, and the door through which
 * spawn children and the forkserver enter a fresh copy of the program.
 *
 * Python: the `if __name__ == '__main__':` guard, what the interpreter
 * does with PYTHONUNBUFFERED, and multiprocessing.spawn.spawn_main.
 */
#include "mpr/main.h"
#include "mpr/timeout.h"
#include "process/process_internal.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *mpr__argv0;
int mpr__bootstrapping;

/* A descriptor number passed on our command line, or -1. */
static int fd_arg(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);

    return (*s && !*end && v >= 0 && v < 1 << 20) ? (int)v : -1;
}

int mpr__forkserver_child_fd = -1;
static int served; /* the forkserver ran from the constructor */

/*
 * glibc calls ELF constructors with (argc, argv, envp).  A spawn child
 * runs the program's main() from the top, and so does a forkserver child
 * (the server loop runs here, before main(), and returns in each child);
 * until that main() calls mpr_main() the process is "bootstrapping", as a
 * spawned CPython is while it re-imports the main module, and starting a
 * spawn or forkserver child then is refused (otherwise a program that
 * starts processes before mpr_main() would spawn itself without end).
 */
__attribute__((constructor)) static void detect_child(int argc, char **argv)
{
    if (argc < 2 || argv == NULL || argv[1] == NULL)
        return;
    if (strcmp(argv[1], "--mpr-spawn") == 0)
        mpr__bootstrapping = 1;
    if (argc >= 4 && strcmp(argv[1], "--mpr-forkserver") == 0) {
        int ctl = fd_arg(argv[2]), alive = fd_arg(argv[3]);
        if (ctl >= 0 && alive >= 0) {
            mpr__bootstrapping = 1;
            mpr__argv0 = argv[0];
            served = 1;
            /* argv[4..]: the modules to preload; returns in a child */
            mpr__forkserver_main(ctl, alive, argv + 4, argc - 4);
        }
    }
}

int mpr_main(int argc, char **argv)
{
    const char *unbuffered = getenv("MP_UNBUFFERED");
    const char *env = getenv("MP_START_METHOD");

    if (argc > 0)
        mpr__argv0 = argv[0];
    mpr__bootstrapping = 0;
    /* Python's stdout is block-buffered on a pipe and unbuffered under
     * PYTHONUNBUFFERED; C's stdio has the same default, so only the second
     * case needs work.  stderr is unbuffered in C and line-buffered in
     * Python 3.11: both write each line at once. */
    if (unbuffered != NULL && *unbuffered != '\0' && strcmp(unbuffered, "0"))
        setvbuf(stdout, NULL, _IONBF, 0);
    mpr_time_scale();
    if (argc == 4 && strcmp(argv[1], "--mpr-spawn") == 0) {
        int r = fd_arg(argv[2]), w = fd_arg(argv[3]);
        if (r >= 0 && w >= 0) {
            /* w stays open until we exit: it is the parent's sentinel.
             * Our own children must not inherit it through exec. */
            fcntl(w, F_SETFD, FD_CLOEXEC);
            mpr__spawn_child_main(r, 1);
        }
    }
    if (argc >= 4 && strcmp(argv[1], "--mpr-forkserver") == 0 && !served) {
        /* no argv for constructors: serve from here (returns in a child) */
        int ctl = fd_arg(argv[2]), alive = fd_arg(argv[3]);
        if (ctl >= 0 && alive >= 0)
            mpr__forkserver_main(ctl, alive, argv + 4, argc - 4);
    }
    if (mpr__forkserver_child_fd >= 0) {
        int fd = mpr__forkserver_child_fd;
        mpr__forkserver_child_fd = -1;
        mpr__spawn_child_main(fd, 0);
    }
    if (env != NULL && *env != '\0' && mpr__method_canon(env) == NULL)
        return mpr__error(MPR_EVALUE, "cannot find context for '%s'", env);
    return 0;
}
