/*
 * main.h - the entry point every libmpref program calls first.
 */
#ifndef MPR_MAIN_H
#define MPR_MAIN_H

#include "common.h"

/*
 * Call first thing in main(), before any other libmpref call: the analogue
 * of Python's `if __name__ == '__main__':` guard.  It applies the
 * environment the conformance runner sets (MP_UNBUFFERED=1 makes stdout
 * unbuffered, as PYTHONUNBUFFERED does for Python; otherwise stdout keeps
 * C's default, block-buffered on a pipe like Python's), reads MP_TIME_SCALE
 * and MP_START_METHOD, and is where spawn and forkserver children enter:
 * in such a child it runs the registered target and never returns.
 * Returns: 0 in the main program.
 * Errors: MPR_EVALUE when MP_START_METHOD names no start method.
 */
MPR_EXTERN int mpr_main(int argc, char **argv);

/*
 * Returns: the start method in force: "fork", "spawn" or "forkserver"
 * (MP_START_METHOD, else "fork", CPython's default on Linux).  Static.
 */
MPR_EXTERN const char *mpr_get_start_method(void);

#endif /* MPR_MAIN_H */
