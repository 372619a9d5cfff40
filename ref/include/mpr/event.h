/*
 * event.h - multiprocessing.Event, process-shared, with CPython 3.11's
 * synchronize.Event behaviour: a flag guarded by a Lock; set() wakes every
 * waiter; wait(timeout) waits once and returns the flag.
 */
#ifndef MPR_EVENT_H
#define MPR_EVENT_H

#include "common.h"
#include "obj.h"

#include <stddef.h>

typedef struct mpr_event_s mpr_event_t;

/* Event(): unset.  Returns 0 and the object in *out.  Errors: -errno. */
MPR_EXTERN int mpr_event_new(mpr_event_t **out);

/* Drops this process's reference (NULL is a no-op). */
MPR_EXTERN void mpr_event_free(mpr_event_t *e);

/* is_set().  Returns: 1 or 0. */
MPR_EXTERN int mpr_event_is_set(mpr_event_t *e);

/* set() wakes every waiter; clear().  Return 0. */
MPR_EXTERN int mpr_event_set(mpr_event_t *e);
MPR_EXTERN int mpr_event_clear(mpr_event_t *e);

/*
 * wait(timeout=None) (MPR_TIMEOUT_NONE: none; negative: 0).
 * Returns: the flag when it returns: 1 set, 0 not set (timeout).
 * Errors: -EINVAL for a NaN or huge timeout.
 */
MPR_EXTERN int mpr_event_wait(mpr_event_t *e, double timeout);

/*
 * repr: "<Event at 0x55d0c0ffee00 unset>" / "... set>", the address being
 * this process's object, as CPython prints id(self).
 * Returns 0 and a buffer in *out (mpr_free).  Errors: -ENOMEM.
 */
MPR_EXTERN int mpr_event_repr(mpr_event_t *e, char **out, size_t *len);

/* Token for a process started later (see mpr_semlock_reduce), and back. */
MPR_EXTERN int mpr_event_reduce(const mpr_event_t *e, mpr_obj_t **out);
MPR_EXTERN int mpr_event_rebuild(mpr_event_t **out, const mpr_obj_t *tok);

#endif /* MPR_EVENT_H */
