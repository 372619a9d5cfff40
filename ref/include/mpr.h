/*
 * mpr.h - libmpref, a C reference implementation of Python's
 * multiprocessing primitives.  The umbrella header, installed at the top of
 * the include root; the others live in mpr/ below it (as uv.h and uv/):
 *
 *     #include <mpr.h>          with  $(pkg-config --cflags --libs mpref)
 *
 * Conventions every header follows:
 * - A function that can fail returns an int: 0 or a non-negative result,
 *   or a negative code (error.h).  Constructors of values (obj.h) return
 *   the value, NULL on failure, and leave the code in mpr_last_error(),
 *   which is only meaningful right after that failing call (it is never
 *   reset by a success: see error.h).
 * - Getters: a property that cannot fail is returned directly (a borrowed
 *   `const char *` for a name, owned by the object or static); one that
 *   can fail, or can be None, returns an int (1 with the value in the out
 *   parameter, 0 for None, negative on error).  A fresh buffer the caller
 *   frees (mpr_free) comes only from a repr, through (char **out,
 *   size_t *len).
 * - Handles travel to a process started later as tokens (values):
 *   mpr_<type>_reduce(const self, &token) and mpr_<type>_rebuild(&out,
 *   token), for every handle type, as CPython pickles them for a child.
 * - mpr_<type>_new(&out, ...) and mpr_<type>_free(NULL-safe);
 *   mpr_<type>_<python_method> for each method; options structs are
 *   zero-initialised for CPython's defaults.
 */
#ifndef MPR_H
#define MPR_H

/* In layer order: base, values, pickle, sync, shared, conn, queue,
 * process, pool, manager (ref/README.md). */
#include "mpr/common.h"
#include "mpr/error.h"
#include "mpr/timeout.h"
#include "mpr/obj.h"
#include "mpr/pickle.h"
#include "mpr/lock.h"
#include "mpr/condition.h"
#include "mpr/event.h"
#include "mpr/barrier.h"
#include "mpr/sharedctypes.h"
#include "mpr/connection.h"
#include "mpr/queue.h"
#include "mpr/main.h"
#include "mpr/context.h"
#include "mpr/process.h"
#include "mpr/pool.h"
#include "mpr/manager.h"

#endif /* MPR_H */
