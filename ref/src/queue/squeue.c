/*
 * squeue.c - multiprocessing.queues.SimpleQueue (CPython 3.11): a locked
 * one-way pipe, and the channel helpers Queue and Pool share with it.
 *
 * Per-process state only (the pipe's descriptors and the two Locks,
 * whose semaphores live in shared memory of their own).
 */
#include "mpr/queue.h"
#include "mpr/pickle.h"
#include "base/internal.h"
#include "process/process_internal.h"
#include "queue/queue_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SQ_TAG "multiprocessing.queues.SimpleQueue"

struct mpr_squeue_s {
    mpr__qchan_t ch;
};

/* ---- the channel --------------------------------------------------------- */

int mpr__qchan_init(mpr__qchan_t *c)
{
    int rc;

    memset(c, 0, sizeof(*c));
    if ((rc = mpr_pipe(&c->reader, &c->writer, 0)) < 0 ||
        (rc = mpr_lock_new(&c->rlock)) < 0 ||
        (rc = mpr_lock_new(&c->wlock)) < 0)
        goto fail;
    return 0;
fail:
    mpr__qchan_fini(c);
    return rc;
}

void mpr__qchan_fini(mpr__qchan_t *c)
{
    mpr_conn_free(c->reader);
    mpr_conn_free(c->writer);
    mpr_semlock_free(c->rlock);
    mpr_semlock_free(c->wlock);
    memset(c, 0, sizeof(*c));
}

int mpr__qchan_dumps(const mpr_obj_t *o, char **buf, size_t *len)
{
    return mpr_pickle_dumps(o, 4, buf, len);
}

int mpr__qchan_send(mpr__qchan_t *c, const void *buf, size_t len)
{
    int rc;

    mpr_semlock_acquire(c->wlock, 1, MPR_TIMEOUT_NONE);
    rc = mpr_conn_send_bytes(c->writer, buf, len, 0, MPR_SIZE_NONE);
    mpr_semlock_release(c->wlock);
    return rc;
}

int mpr__qchan_loads(char *buf, size_t len, mpr_obj_t **out)
{
    int rc = mpr_pickle_loads(buf, len, out);

    mpr_free(buf);
    return rc;
}

int mpr__qchan_recv(mpr__qchan_t *c, mpr_obj_t **out)
{
    char *buf;
    size_t len;
    int rc;

    mpr_semlock_acquire(c->rlock, 1, MPR_TIMEOUT_NONE);
    rc = mpr_conn_recv_bytes(c->reader, MPR_SIZE_NONE, &buf, &len);
    mpr_semlock_release(c->rlock);
    if (rc < 0)
        return rc;
    return mpr__qchan_loads(buf, len, out);
}

int mpr__qchan_reduce(const mpr__qchan_t *c, mpr_obj_t *t, size_t at)
{
    mpr_obj_t *v[MPR__QCHAN_NREDUCED] = {NULL};
    int rc;

    if ((rc = mpr_conn_reduce(c->reader, &v[0])) < 0 ||
        (rc = mpr_conn_reduce(c->writer, &v[1])) < 0 ||
        (rc = mpr_semlock_reduce(c->rlock, &v[2])) < 0 ||
        (rc = mpr_semlock_reduce(c->wlock, &v[3])) < 0)
        goto fail;
    for (size_t i = 0; i < MPR__QCHAN_NREDUCED; i++) {
        rc = mpr_obj_tuple_set_steal(t, at + i, v[i]);
        v[i] = NULL;
        if (rc < 0)
            goto fail;
    }
    return 0;
fail:
    for (size_t i = 0; i < MPR__QCHAN_NREDUCED; i++)
        mpr_obj_decref(v[i]);
    return rc;
}

int mpr__qchan_rebuild(const mpr_obj_t *t, size_t at, mpr__qchan_t *c)
{
    int rc;

    memset(c, 0, sizeof(*c));
    if (mpr_obj_len(t) < at + MPR__QCHAN_NREDUCED)
        return mpr__error(MPR_ETYPE, "not a reduced queue");
    if ((rc = mpr_conn_rebuild(mpr_obj_item(t, at), &c->reader)) < 0 ||
        (rc = mpr_conn_rebuild(mpr_obj_item(t, at + 1), &c->writer)) < 0 ||
        (rc = mpr_semlock_rebuild(&c->rlock, mpr_obj_item(t, at + 2))) < 0 ||
        (rc = mpr_semlock_rebuild(&c->wlock, mpr_obj_item(t, at + 3))) < 0)
        goto fail;
    return 0;
fail:
    mpr__qchan_fini(c);
    return rc;
}

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
    mpr__util_init();
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
    int rc = mpr_conn_poll(q->ch.reader, 0.0);

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

mpr_conn_t *mpr__squeue_reader(mpr_squeue_t *q)
{
    return q->ch.reader;
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

int mpr_squeue_rebuild(const mpr_obj_t *reduced, mpr_squeue_t **out)
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
    mpr__util_init();
    *out = q;
    return 0;
}
