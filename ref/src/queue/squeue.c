/*
 * squeue.c - multiprocessing.queues.SimpleQueue (CPython 3.11): a channel
 * (channel.h), a locked ring of frames.
 *
 * Per-process state only (the channel's descriptors, its mapping of the
 * ring and the two Locks, whose semaphores live in shared memory of their
 * own).
 */
#include "mpr/queue.h"
#include "base/internal.h"
#include "base/finalize.h"
#include "queue/channel.h"
#include "obj/objimpl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SQ_TAG "multiprocessing.queues.SimpleQueue"

struct mpr_squeue_s {
    mpr__qchan_t ch;
};

/* ---- SimpleQueue --------------------------------------------------------- */

int mpr_squeue_new(mpr_squeue_t **out)
{
    mpr_squeue_t *q = mpr__sys.calloc(1, sizeof(*q));
    int rc;

    if (q == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    if ((rc = mpr__qchan_init(&q->ch)) < 0) {
        free(q);
        return rc;
    }
    mpr__finalize_init();
    *out = q;
    return 0;
}

void mpr_squeue_free(mpr_squeue_t *q)
{
    if (q == NULL)
        return;
    mpr__qchan_fini(&q->ch);
    free(q);
}

int mpr_squeue_put(mpr_squeue_t *q, const mpr_obj_t *o)
{
    char *buf;
    size_t len;
    int rc;

    /* Serialise before taking the lock, as CPython does. */
    if ((rc = mpr__qchan_dumps(o, &buf, &len)) < 0)
        return rc;
    rc = mpr__qchan_send(&q->ch, buf, len);
    mpr_free(buf);
    return rc;
}

int mpr_squeue_get(mpr_squeue_t *q, mpr_obj_t **out)
{
    return mpr__qchan_recv(&q->ch, out);
}

int mpr_squeue_empty(mpr_squeue_t *q)
{
    int rc = mpr__qchan_poll(&q->ch);

    return rc < 0 ? rc : !rc;
}

int mpr_squeue_close(mpr_squeue_t *q)
{
    mpr_conn_close(q->ch.reader);
    mpr_conn_close(q->ch.writer);
    return 0;
}

int mpr_squeue_repr(const mpr_squeue_t *q, char **out, size_t *len)
{
    char tmp[128];
    int n = snprintf(tmp, sizeof(tmp), "<%s object at %p>", SQ_TAG,
                     (const void *)q);

    if ((*out = mpr__strdup(tmp)) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    if (len != NULL)
        *len = (size_t)n;
    return 0;
}

mpr__qchan_t *mpr__squeue_chan(mpr_squeue_t *q)
{
    return &q->ch;
}

int mpr_squeue_reduce(const mpr_squeue_t *q, mpr_obj_t **out)
{
    mpr_obj_t *t = mpr_obj_tuple_new(1 + MPR__QCHAN_NREDUCED);
    int rc;

    if (t == NULL)
        return mpr_last_error();
    if ((rc = mpr_obj_tuple_set_steal(t, 0, mpr_obj_str(SQ_TAG))) < 0 ||
        (rc = mpr__qchan_reduce(&q->ch, t, 1)) < 0) {
        mpr_obj_decref(t);
        return rc;
    }
    *out = t;
    return 0;
}

int mpr_squeue_rebuild(mpr_squeue_t **out, const mpr_obj_t *reduced)
{
    mpr_obj_t *tag = mpr_obj_item(reduced, 0);
    mpr_squeue_t *q;
    int rc;

    if (mpr_obj_type(reduced) != MPR_OBJ_TUPLE || tag == NULL ||
        mpr_obj_type(tag) != MPR_OBJ_STR ||
        strcmp(mpr_obj_str_utf8(tag, NULL), SQ_TAG) != 0)
        return mpr__error(MPR_ETYPE, "not a reduced SimpleQueue");
    if ((q = mpr__sys.calloc(1, sizeof(*q))) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    if ((rc = mpr__qchan_rebuild(reduced, 1, &q->ch)) < 0) {
        free(q);
        return rc;
    }
    mpr__finalize_init();
    *out = q;
    return 0;
}

/* ---- as a handle value (obj.h): what obj/ and the process layer use ---- */

static const char *squeue_type_name(const void *p)
{
    (void)p;
    return "SimpleQueue";
}

static int squeue_repr_h(void *p, char **out, size_t *len)
{
    return mpr_squeue_repr(p, out, len);
}

static int squeue_reduce_h(const void *p, mpr_obj_t **tok)
{
    return mpr_squeue_reduce(p, tok);
}

static int squeue_rebuild_h(const mpr_obj_t *tok, void **out)
{
    mpr_squeue_t *o = NULL;
    int rc = mpr_squeue_rebuild(&o, tok);

    *out = o;
    return rc;
}

static void squeue_free_h(void *p)
{
    mpr_squeue_free(p);
}

MPR__HANDLE_INIT static void squeue_handle_init(void)
{
    static const mpr__handle_ops_t ops = {
        .name = "SimpleQueue",
        .type_name = squeue_type_name,
        .repr = squeue_repr_h,
        .reduce = squeue_reduce_h,
        .rebuild = squeue_rebuild_h,
        .free = squeue_free_h,
    };
    mpr__handle_register(MPR_HANDLE_SQUEUE, &ops);
}
