/*
 * main.h - the entry point every libmpref program calls first, and the
 * start-method contexts (multiprocessing.get_start_method and friends).
 */
#ifndef MPR_MAIN_H
#define MPR_MAIN_H

#include "common.h"

#include <stddef.h>

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

/*
 * get_start_method(): the method of the default context, which this
 * fixes (later set_start_method without force raises).  "fork" unless
 * MP_START_METHOD or set_start_method says otherwise.  Static string.
 */
MPR_EXTERN const char *mpr_get_start_method(void);

/* get_start_method(allow_none=True): NULL while the context is not
 * fixed.  Static string. */
MPR_EXTERN const char *mpr_get_start_method_allow_none(void);

/*
 * set_start_method(method, force).  method NULL with force resets the
 * context (unfixed).
 * Returns: 0.
 * Errors: MPR_ERUNTIME "context has already been set" (even for the same
 * method) unless force; MPR_EVALUE "cannot find context for 'x'".
 */
MPR_EXTERN int mpr_set_start_method(const char *method, int force);

/*
 * get_context(method): validates a method name, or with NULL resolves
 * (and fixes) the default context.  The context's name goes to *out (may
 * be NULL): pass it as mpr_process_options_t.context.
 * Returns: 0.  Errors: MPR_EVALUE "cannot find context for 'x'".
 */
MPR_EXTERN int mpr_get_context(const char *method, const char **out);

/* get_all_start_methods(): {"fork", "spawn", "forkserver"}, count in *n. */
MPR_EXTERN const char *const *mpr_get_all_start_methods(size_t *n);

#endif /* MPR_MAIN_H */
