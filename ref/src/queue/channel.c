/*
 * channel.c - the channel every multiprocessing queue is built on, and
 * Pool's task and result queues with it (channel.h): a one-way pipe, a
 * reader Lock and a writer Lock; messages are pickles (protocol 4, as
 * ForkingPickler writes them).
 *
 * Python: multiprocessing.queues.Queue/SimpleQueue's _reader, _writer,
 * _rlock, _wlock, CPython 3.11.  Per-process state only (the pipe's
 * descriptors and the two Locks, whose semaphores live in shared memory
 * of their own).
 */
#include "queue/channel.h"
#include "mpr/pickle.h"
#include "base/internal.h"

#include <errno.h>
#include <string.h>

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
    if ((rc = mpr_conn_rebuild(&c->reader, mpr_obj_item(t, at))) < 0 ||
        (rc = mpr_conn_rebuild(&c->writer, mpr_obj_item(t, at + 1))) < 0 ||
        (rc = mpr_semlock_rebuild(&c->rlock, mpr_obj_item(t, at + 2))) < 0 ||
        (rc = mpr_semlock_rebuild(&c->wlock, mpr_obj_item(t, at + 3))) < 0)
        goto fail;
    return 0;
fail:
    mpr__qchan_fini(c);
    return rc;
}
