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

/*
 * set_executable(path): the program spawn children run, and the
 * forkserver when it starts next (spawn.get_executable(); fork ignores
 * it).  It must be a copy of this program (a path to the same file, a
 * link to it...), as CPython's must be a Python interpreter: the child
 * runs its main() and finds its targets by name.  A C path is bytes, what
 * os.fsencode makes of CPython's str, bytes or os.PathLike argument.
 * NULL restores the default, this program (/proc/self/exe).  The path is
 * only tried at start(): one that cannot be run makes start() fail with
 * the exec's error (-ENOENT, -EACCES...).  A forked child keeps the
 * setting; a spawned one starts with the default.
 * Returns: 0.
 * Errors: -ENAMETOOLONG for a path of PATH_MAX bytes or more.
 */
MPR_EXTERN int mpr_set_executable(const char *path);

/* get_all_start_methods(): {"fork", "spawn", "forkserver"}, count in *n. */
MPR_EXTERN const char *const *mpr_get_all_start_methods(size_t *n);

/* ---- contexts as objects ----------------------------------------------- */

/*
 * A context: the default context (the multiprocessing module itself,
 * DefaultContext) or a concrete one (ForkContext, SpawnContext,
 * ForkServerContext, what get_context(m) returns).  Every context is a
 * static object, never freed: the same method always gives the same
 * pointer, so `ctx.get_context() is ctx` is pointer equality.
 */
typedef struct mpr_context_s mpr_context_t;

/* The default context (multiprocessing's _default_context), whose methods
 * are mpr_get_start_method, mpr_set_start_method and mpr_get_context. */
MPR_EXTERN mpr_context_t *mpr_default_context(void);

/*
 * ctx.get_context(method=None): the concrete context of method (NULL is
 * None).  With None, a concrete context returns itself and the default
 * context its actual context, fixing it (as mpr_get_start_method).
 * Returns: 0 and the context in *out (NULL on error).
 * Errors: MPR_EVALUE "cannot find context for 'x'".
 */
MPR_EXTERN int mpr_context_get_context(mpr_context_t *ctx, const char *method,
                                       mpr_context_t **out);

/* ctx.get_start_method(allow_none): a concrete context's method; for the
 * default context, mpr_get_start_method or (allow_none)
 * mpr_get_start_method_allow_none.  Static string. */
MPR_EXTERN const char *mpr_context_get_start_method(mpr_context_t *ctx,
                                                    int allow_none);

/*
 * ctx.set_start_method(method, force): for the default context,
 * mpr_set_start_method.
 * Returns: 0.
 * Errors: MPR_EVALUE "cannot set start method of concrete context" from
 * a concrete context, whatever the arguments; those of
 * mpr_set_start_method.
 */
MPR_EXTERN int mpr_context_set_start_method(mpr_context_t *ctx,
                                            const char *method, int force);

/* type(ctx).__name__: "DefaultContext", "ForkContext", "SpawnContext",
 * "ForkServerContext".  Static string. */
MPR_EXTERN const char *mpr_context_type_name(const mpr_context_t *ctx);

/*
 * What ctx.Process (and ctx.Pool) is, as the context field of
 * mpr_process_options_t and mpr_pool_options_t: a concrete context's
 * method ("fork": ForkProcess, and so on), NULL for the default context
 * (Process, its method chosen at start()).  Static string.
 */
MPR_EXTERN const char *mpr_context_method(const mpr_context_t *ctx);

/* ---- the forkserver ---------------------------------------------------- */

/*
 * set_forkserver_preload(module_names): the modules the forkserver imports
 * when it starts, before it forks any child, so that their work is done
 * once and every child inherits it.  A C module is a shared object:
 * importing it is dlopen(name, RTLD_NOW | RTLD_GLOBAL), which runs its
 * constructors (its top level: registering targets, making a Lock...);
 * names are found as dlopen finds them (a path with a slash, or the
 * library search path).  One that fails to load is skipped, as CPython
 * ignores an ImportError there.  The list (copied) applies to a server
 * started afterwards: the first start() that needs one, or the restart
 * after a server died; n 0 clears it.
 * Returns: 0.
 * Errors: MPR_ETYPE "module_names must be a list of strings" for a NULL
 * name (nothing changes); -ENOMEM.
 */
MPR_EXTERN int mpr_set_forkserver_preload(const char *const *names, size_t n);

/* ctx.set_forkserver_preload(module_names): the same for every context
 * (BaseContext's method), whatever its start method. */
MPR_EXTERN int mpr_context_set_forkserver_preload(mpr_context_t *ctx,
                                                  const char *const *names,
                                                  size_t n);

/*
 * cpu_count(): the number of CPUs in the system (os.cpu_count()).
 * Errors: MPR_ENOTIMPL "cannot determine number of cpus".
 */
MPR_EXTERN int mpr_cpu_count(void);

#endif /* MPR_CONTEXT_H */
