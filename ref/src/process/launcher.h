/*
 * launcher.h - the start methods as one table of launchers
 * (process_popen.c): how each starts a child, reaps it and waits for it,
 * and what the child is.  The process layer's interface to Pool, which
 * asks whether a worker inherits this process's memory.
 */
#ifndef MPR_PROCESS_LAUNCHER_H
#define MPR_PROCESS_LAUNCHER_H

#include "mpr/process.h"

#include <stddef.h>

/* How handle values in args reach the child (reduction.c). */
typedef struct mpr__reduction_s mpr__reduction_t;

typedef struct {
    const char *name;          /* "fork", "spawn", "forkserver" */
    const char *process_class; /* "ForkProcess", ... (a context's Process) */
    /* 1: the child is a fresh copy of the program (spawn, forkserver),
     * told what to run by a description and given handles as tokens;
     * 0: a fork of this process, which inherits them. */
    int fresh;
    /* The reduction table the description's args are pickled with
     * (fresh launchers); NULL for fork, whose child inherits the args,
     * primitives included, as they are. */
    const mpr__reduction_t *reduction;
    /* Starts p (desc/len: the description, NULL for fork); fills p->pid,
     * p->sentinel, p->parent_w.  Returns 0 or a negative code. */
    int (*launch)(mpr_process_t *p, const char *desc, size_t len);
    /* Without blocking: 1 with p->returncode once the child ended. */
    int (*reap)(mpr_process_t *p);
    /* Blocks until the child ended, without reaping it. */
    void (*wait)(mpr_process_t *p);
} mpr__launcher_t;

/* The launcher of a start method's name, or NULL. */
const mpr__launcher_t *mpr__launcher(const char *method);

#endif /* MPR_PROCESS_LAUNCHER_H */
