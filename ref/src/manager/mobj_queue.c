/*
 * mobj_queue.c - the queue.Queue a manager's server holds (SyncManager's
 * 'Queue' and 'JoinableQueue' typeids, CPython 3.11: both queue.Queue,
 * behind AutoProxy[Queue] and AutoProxy[JoinableQueue]), with queue's
 * messages.  Blocking get/put/join wait on the server's one condition
 * (mobj.c).  State, under the server lock: the items (a list, oldest
 * first), maxsize (<= 0: unbounded) and unfinished_tasks.
 */
#include "manager/manager_internal.h"

#include <stdio.h>

typedef struct {
    mpr__mobj_t head;
    mpr_obj_t *items;   /* a list, oldest first */
    int64_t maxsize;    /* <= 0: unbounded */
    int64_t unfinished; /* unfinished_tasks: puts not yet task_done() */
} mqueue_t;

#define Q(o) ((mqueue_t *)(o))

static int q_not_empty(const mpr__mobj_t *o, unsigned long client)
{
    (void)client;
    return mpr_obj_len(Q(o)->items) > 0;
}

static int q_not_full(const mpr__mobj_t *o, unsigned long client)
{
    (void)client;
    return Q(o)->maxsize <= 0 ||
           (int64_t)mpr_obj_len(Q(o)->items) < Q(o)->maxsize;
}

/* (block, timeout) of get/put, with queue.Queue's check. */
static int q_block(const mpr_obj_t *b, const mpr_obj_t *tobj, double *t)
{
    int rc;

    if (b != NULL && !mpr_obj_truth(b)) {
        *t = 0;
        return 0;
    }
    if ((rc = mpr__mtimeout_arg(tobj, t)) < 0)
        return rc;
    if (tobj != NULL && !mpr_obj_is_none(tobj) && *t < 0)
        return mpr__error(MPR_EVALUE,
                          "'timeout' must be a non-negative number");
    return 0;
}

static int q_get(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                 unsigned long c, mpr_obj_t **out)
{
    double t;
    int rc;

    if ((rc = q_block(ARG(0, "block"), ARG(1, "timeout"), &t)) < 0)
        return rc;
    if (!mpr__mwait_until(o, c, q_not_empty, t))
        return mpr__error(MPR_EEMPTY, NULL);
    return mpr_obj_list_pop(Q(o)->items, 0, out);
}

/* put(item, block=True, timeout=None) */
static int put(mpr__mobj_t *o, const mpr_obj_t *item, const mpr_obj_t *b,
               const mpr_obj_t *tobj, unsigned long c, mpr_obj_t **out)
{
    double t;
    int rc;

    if ((rc = q_block(b, tobj, &t)) < 0)
        return rc;
    if (!mpr__mwait_until(o, c, q_not_full, t))
        return mpr__error(MPR_EFULL, NULL);
    if ((rc = mpr_obj_list_append(Q(o)->items, (mpr_obj_t *)item)) < 0)
        return rc;
    Q(o)->unfinished++;
    RET_NONE();
}

static int q_put(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                 unsigned long c, mpr_obj_t **out)
{
    return put(o, ARG(0, "item"), ARG(1, "block"), ARG(2, "timeout"), c, out);
}

static int q_get_nowait(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                        unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw;
    if (!q_not_empty(o, c))
        return mpr__error(MPR_EEMPTY, NULL);
    return mpr_obj_list_pop(Q(o)->items, 0, out);
}

static int q_put_nowait(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                        unsigned long c, mpr_obj_t **out)
{
    return put(o, ARG(0, "item"), mpr_obj_bool(0), NULL, c, out);
}

static int q_qsize(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                   unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw, (void)c;
    RET(mpr_obj_int((int64_t)mpr_obj_len(Q(o)->items)));
}

static int q_empty(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                   unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw;
    RET_BOOL(!q_not_empty(o, c));
}

static int q_full(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                  unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw;
    RET_BOOL(Q(o)->maxsize > 0 && !q_not_full(o, c));
}

static int q_all_done(const mpr__mobj_t *o, unsigned long client)
{
    (void)client;
    return Q(o)->unfinished == 0;
}

/* task_done(): the waiters in join() are woken after the call (mobj.c). */
static int q_task_done(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                       unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw, (void)c;
    if (Q(o)->unfinished <= 0)
        return mpr__error(MPR_EVALUE, "task_done() called too many times");
    Q(o)->unfinished--;
    RET_NONE();
}

static int q_join(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                  unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw;
    mpr__mwait_until(o, c, q_all_done, -1);
    RET_NONE();
}

/* public_methods(queue.Queue()), in dir()'s order: what AutoProxy exposes */
static const mpr__mmeth_t methods[] = {
    {"empty", q_empty, MPR__PYDEF(0, "")},
    {"full", q_full, MPR__PYDEF(0, "")},
    {"get", q_get, MPR__PYDEF(0, "block timeout")},
    {"get_nowait", q_get_nowait, MPR__PYDEF(0, "")},
    {"join", q_join, MPR__PYDEF(0, "")},
    {"put", q_put, MPR__PYDEF(1, "item block timeout")},
    {"put_nowait", q_put_nowait, MPR__PYDEF(1, "item")},
    {"qsize", q_qsize, MPR__PYDEF(0, "")},
    {"task_done", q_task_done, MPR__PYDEF(0, "")},
    {NULL, NULL, MPR__OWNARGS}};

static int q_init(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw)
{
    int rc;

    if (ARG(0, "maxsize") &&
        (rc = mpr_obj_as_int64(ARG(0, "maxsize"), &Q(o)->maxsize)) < 0)
        return rc;
    return (Q(o)->items = mpr_obj_list()) ? 0 : mpr_last_error();
}

static void q_free(mpr__mobj_t *o)
{
    mpr_obj_decref(Q(o)->items);
}

static int q_repr(const mpr__mobj_t *o, mpr_obj_t **out)
{
    char buf[80];

    snprintf(buf, sizeof(buf), "<queue.Queue object at %p>", (const void *)o);
    return mpr__mstr_out(buf, out);
}

/* SyncManager registers queue.Queue twice: as 'Queue' and as
 * 'JoinableQueue' (the same class behind another typeid) */
#define QUEUE_TYPE(id)                                                         \
    {                                                                          \
        .typeid = id, .proxytype = "AutoProxy[" id "]", .pyname = "Queue",     \
        .pyclass = "queue.Queue", .size = sizeof(mqueue_t), .init = q_init,    \
        .init_args = MPR__PYDEF(0, "maxsize"), .free = q_free, .repr = q_repr, \
        .methods = methods,                                                    \
    }

const mpr__mtype_t mpr__mtype_queue = QUEUE_TYPE("Queue");
const mpr__mtype_t mpr__mtype_jqueue = QUEUE_TYPE("JoinableQueue");
