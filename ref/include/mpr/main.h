/*
 * main.h - the entry point every libmpref program calls first
 * (ref/src/process/main.c).  The start methods are in context.h.
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
 * and MP_START_METHOD (the default context, not fixed: set_start_method
 * may still change it), and is where spawn and forkserver children enter.
 * Such a child is a fresh copy of the program (/proc/self/exe): a spawned
 * one is exec'd with argv[1] "--mpr-spawn", a forkserver one is forked by
 * the forkserver, which itself runs before main() and none of the
 * program's code.  Either runs main() from the top, as CPython's child
 * re-imports the main module, and in mpr_main runs its registered target
 * and never returns.  Code before mpr_main therefore runs in every such
 * child (the "missing __main__ guard"): starting a spawn or forkserver
 * child there fails with CPython's bootstrapping RuntimeError.  Everything
 * a target needs (its MPR_TARGET registration, globals it reads) must be
 * set up before mpr_main runs, as a Python module's top level is.
 * Returns: 0 in the main program.
 * Errors: MPR_EVALUE "cannot find context for 'x'" when MP_START_METHOD
 * names no start method.
 */
MPR_EXTERN int mpr_main(int argc, char **argv);

#endif /* MPR_MAIN_H */
