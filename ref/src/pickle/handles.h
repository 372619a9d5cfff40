/*
 * handles.h - pickling handle values (obj.h's MPR_OBJ_HANDLE), pickle/'s
 * interface to the process layer: the analogue of pickling with the
 * spawning Popen set (context.set_spawning_popen).  mpr_pickle_dumps
 * refuses a handle (CPython's assert_spawning); these two calls let the
 * process layer reduce each handle the way its start method chose, and
 * rebuild it in the child.  A handle is written as GLOBAL 'mpr.handle'
 * KIND, the kind's token, TUPLE1, REDUCE; mpr_pickle_loads still refuses
 * both opcodes, so peers (queues, managers) never rebuild anything.
 *
 * The same hooks carry the one other object libmpref exchanges with
 * CPython: the exception instance of a manager's ('#ERROR', exc) reply,
 * which CPython pickles as its class (STACK_GLOBAL module name), its
 * args, REDUCE, and BUILD with its __dict__ when it has one.  The
 * pickler asks as_call whether a value stands for such a call; the
 * unpickler hands each class to find_class and each REDUCE of it to call
 * (and BUILD to build) instead of importing or calling anything.  Only
 * the manager sets them (manager/mexc.c); a hook left NULL refuses the
 * opcode, as mpr_pickle_loads does.
 */
#ifndef MPR_PICKLE_HANDLES_H
#define MPR_PICKLE_HANDLES_H

#include "mpr/obj.h"

#include <stddef.h>

typedef struct {
    /* Reduces the handle h to a plain value (*token, new reference). */
    int (*reduce)(void *ctx, const mpr_obj_t *h, mpr_obj_t **token);
    /* Rebuilds a value of kind from its token: a new handle in *out. */
    int (*rebuild)(void *ctx, int kind, const mpr_obj_t *token,
                   mpr_obj_t **out);
    void *ctx;
    /* Pickling: 1 when o stands for module.name(*args), with the three
     * (borrowed from o: str, str, tuple) in *mod, *name, *args; else 0. */
    int (*as_call)(void *ctx, const mpr_obj_t *o, const mpr_obj_t **mod,
                   const mpr_obj_t **name, const mpr_obj_t **args);
    /* Unpickling GLOBAL or STACK_GLOBAL module name (other than
     * mpr.handle): a new reference in *out standing for the class. */
    int (*find_class)(void *ctx, const char *mod, const char *name,
                      mpr_obj_t **out);
    /* REDUCE: fn (what the stack holds: find_class's value or not)
     * called with args (a tuple or not): a new reference in *out. */
    int (*call)(void *ctx, const mpr_obj_t *fn, const mpr_obj_t *args,
                mpr_obj_t **out);
    /* BUILD: obj (left on the stack) given state. */
    int (*build)(void *ctx, const mpr_obj_t *obj, const mpr_obj_t *state);
} mpr__pickle_handles_t;

/* mpr_pickle_dumps, with each handle reduced by hooks->reduce. */
int mpr__pickle_dumps_handles(const mpr_obj_t *o, int protocol,
                              const mpr__pickle_handles_t *hooks, char **out,
                              size_t *len);

/* mpr_pickle_loads, with each handle rebuilt by hooks->rebuild.
 * Errors: MPR_EUNPICKLE "unknown handle kind 'X'" for a kind this program
 * has not registered; the errors of the rebuild. */
int mpr__pickle_loads_handles(const void *data, size_t len,
                              const mpr__pickle_handles_t *hooks,
                              mpr_obj_t **out);

#endif /* MPR_PICKLE_HANDLES_H */
