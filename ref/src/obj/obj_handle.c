/*
 * obj_handle.c - handle values: a Lock, Queue, Connection... held in an
 * mpr_obj_t, as a Python object sits in a Process's args, and the table of
 * kinds the subsystems above fill in (objimpl.h), so that obj/ can name,
 * print and free a primitive it does not know.
 *
 * Python: the objects multiprocessing pickles with a reduction of their
 * own (reduction.py, synchronize.py, queues.py, sharedctypes.py), CPython
 * 3.11.  State: the kinds' ops, written by constructors before main().
 */
#include "mpr/obj.h"
#include "base/buf.h"
#include "base/internal.h"
#include "obj/objimpl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const mpr__handle_ops_t *kinds[MPR_HANDLE_KINDS];

void mpr__handle_register(mpr_handle_kind_t kind, const mpr__handle_ops_t *ops)
{
    if (kind > 0 && kind < MPR_HANDLE_KINDS)
        kinds[kind] = ops;
}

const mpr__handle_ops_t *mpr__handle_ops(int kind)
{
    return kind > 0 && kind < MPR_HANDLE_KINDS ? kinds[kind] : NULL;
}

int mpr__handle_kind_named(const char *name)
{
    /* a kind that cannot be rebuilt (an object of the program's own
     * class) is never named by a pickle: a hostile one that names it
     * gets "unknown handle kind" */
    for (int k = 1; k < MPR_HANDLE_KINDS; k++)
        if (kinds[k] != NULL && kinds[k]->rebuild != NULL &&
            strcmp(kinds[k]->name, name) == 0)
            return k;
    return 0;
}

mpr_obj_t *mpr__obj_handle_owned(int kind, void *ptr)
{
    mpr_obj_t *o = mpr__sys.calloc(1, sizeof(*o));

    if (o == NULL) {
        mpr__error(MPR__ERR(ENOMEM), NULL);
        return NULL;
    }
    atomic_init(&o->refcnt, 1);
    o->type = MPR_OBJ_HANDLE;
    o->u.h.kind = (mpr_handle_kind_t)kind;
    o->u.h.ptr = ptr;
    o->u.h.owned = ptr != NULL;
    return o;
}

mpr_obj_t *mpr_obj_handle(mpr_handle_kind_t kind, void *ptr)
{
    mpr_obj_t *o;

    /* an object's pointer is obj_object.c's own: mpr_obj_object makes it */
    if (kind <= 0 || kind >= MPR_HANDLE_KINDS || kind == MPR_HANDLE_OBJECT ||
        ptr == NULL) {
        mpr__error(MPR_EVALUE, "unknown handle kind %d", (int)kind);
        return NULL;
    }
    if ((o = mpr__obj_handle_owned(kind, ptr)) != NULL)
        o->u.h.owned = 0; /* borrowed: the caller keeps the primitive */
    return o;
}

int mpr_obj_handle_kind(const mpr_obj_t *o)
{
    return o->type == MPR_OBJ_HANDLE ? (int)o->u.h.kind : 0;
}

void *mpr_obj_handle_ptr(const mpr_obj_t *o, mpr_handle_kind_t kind)
{
    if (o == NULL || o->type != MPR_OBJ_HANDLE || o->u.h.kind != kind)
        return NULL;
    return o->u.h.ptr;
}

/* type(o).__name__ of a handle: the kind's class, or a generic name when
 * the kind has no ops (a program that never linked that subsystem). */
const char *mpr__handle_type_name(const mpr_obj_t *o)
{
    const mpr__handle_ops_t *ops = mpr__handle_ops(o->u.h.kind);

    if (ops == NULL || o->u.h.ptr == NULL)
        return "handle";
    return ops->type_name(o->u.h.ptr);
}

int mpr__handle_repr(mpr__buf_t *b, const mpr_obj_t *o)
{
    const mpr__handle_ops_t *ops = mpr__handle_ops(o->u.h.kind);
    char *s = NULL, tmp[128];
    size_t n;
    int rc;

    if (ops == NULL || ops->repr == NULL || o->u.h.ptr == NULL) {
        /* object.__repr__ */
        snprintf(tmp, sizeof(tmp), "<%s object at %p>",
                 mpr__handle_type_name(o), o->u.h.ptr);
        return mpr__buf_puts(b, tmp);
    }
    if ((rc = ops->repr(o->u.h.ptr, &s, &n)) < 0)
        return rc;
    mpr__buf_put(b, s, n);
    free(s);
    return b->err;
}

void mpr__handle_free(mpr_obj_t *o)
{
    const mpr__handle_ops_t *ops = mpr__handle_ops(o->u.h.kind);

    /* An owned handle exists only once its kind rebuilt it, so its ops
     * are there to free it. */
    if (o->u.h.owned && ops != NULL && ops->free != NULL)
        ops->free(o->u.h.ptr);
}

int mpr__handle_refuse(const mpr_obj_t *h)
{
    const mpr__handle_ops_t *ops = mpr__handle_ops(h->u.h.kind);

    if (ops == NULL)
        return mpr__error(MPR_EPICKLE, "cannot pickle a handle of kind %d",
                          (int)h->u.h.kind);
    if (ops->refuse != NULL && h->u.h.ptr != NULL)
        return ops->refuse(h->u.h.ptr);
    /* context.assert_spawning(obj) */
    return mpr__error(MPR_ERUNTIME,
                      "%s objects should only be shared between processes "
                      "through inheritance",
                      mpr__handle_type_name(h));
}
