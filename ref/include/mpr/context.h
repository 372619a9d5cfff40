/*
 * context.h - the start-method contexts: multiprocessing.get_start_method,
 * set_start_method, get_context, get_all_start_methods, and cpu_count.
 * Implemented in ref/src/process/.
 */
#ifndef MPR_CONTEXT_H
#define MPR_CONTEXT_H

#include "common.h"

#include <stddef.h>

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

/*
 * cpu_count(): the number of CPUs in the system (os.cpu_count()).
 * Errors: MPR_ENOTIMPL "cannot determine number of cpus".
 */
MPR_EXTERN int mpr_cpu_count(void);

#endif /* MPR_CONTEXT_H */
