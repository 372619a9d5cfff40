/*
 * channel.c - the channel every multiprocessing queue is built on, and
 * Pool's task and result queues with it (channel.h): a reader Lock, a
 * writer Lock, and the messages, pickles (protocol 4, as ForkingPickler
 * writes them), in a shared-memory ring of frames (ring.h).
 *
 * Python: multiprocessing.queues.Queue/SimpleQueue's _reader, _writer,
 * _rlock, _wlock, CPython 3.11, whose messages go through a pipe, a write
 * and a read (two, with the header) per message.  Here a message up to
 * MPR__RING_INLINE_MAX bytes is copied into the ring and out of it, with
 * no system call while both sides are awake; a longer one leaves a
 * marker frame in the ring and goes through the pipe, where the reader
 * takes it when it reaches the marker (so the order is kept).  The pipe
 * is still made: the long messages need it, and CPython's _reader and
 * _writer are observable as open or closed (empty() after close() is
 * OSError "handle is closed").
 *
 * A writer that dies in the middle of a frame leaves nothing (the frame
 * is published after its bytes are in); one that dies in the middle of a
 * long message leaves the pipe mid-message, and the reader waits for the
 * rest, as CPython's does.  A reader waiting for a frame waits as a read
 * on CPython's pipe does while a writer end is open -- and every process
 * holding the queue holds one -- or until its deadline.
 *
 * Per-process state only (the pipe's descriptors, the two Locks, whose
 * semaphores live in shared memory of their own, and this process's
 * mapping of the ring).
 */
#include "queue/channel.h"
#include "mpr/pickle.h"
#include "base/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int mpr__qchan_init(mpr__qchan_t *c)
{
    int rc;

    memset(c, 0, sizeof(*c));
    if ((rc = mpr_pipe(&c->reader, &c->writer, 0)) < 0 ||
        (rc = mpr_lock_new(&c->rlock)) < 0 ||
        (rc = mpr_lock_new(&c->wlock)) < 0 ||
        (rc = mpr__ring_new(&c->ring)) < 0)
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
    mpr__ring_fini(&c->ring);
    memset(c, 0, sizeof(*c));
}

int mpr__qchan_dumps(const mpr_obj_t *o, char **buf, size_t *len)
{
    return mpr_pickle_dumps(o, 4, buf, len);
}

/* One message out, the writer lock held. */
static int send_locked(mpr__qchan_t *c, const void *buf, size_t len)
{
    if (mpr_conn_closed(c->writer))
        return mpr__error(MPR_ECLOSED, NULL);
    if (len <= MPR__RING_INLINE_MAX) {
        mpr__ring_write(&c->ring, (uint32_t)len, buf, len);
        return 0;
    }
    /* The marker first: the reader must reach it to start reading the
     * pipe, or a message longer than the pipe holds would never get
     * through. */
    mpr__ring_write(&c->ring, MPR__RING_PIPE, NULL, 0);
    return mpr_conn_send_bytes(c->writer, buf, len, 0, MPR_SIZE_NONE);
}

int mpr__qchan_send(mpr__qchan_t *c, const void *buf, size_t len)
{
    int rc;

    mpr_semlock_acquire(c->wlock, 1, MPR_TIMEOUT_NONE);
    rc = send_locked(c, buf, len);
    mpr_semlock_release(c->wlock);
    return rc;
}

int mpr__qchan_try_send(mpr__qchan_t *c, const void *buf, size_t len)
{
    int done = 0;

    if (len > MPR__RING_INLINE_MAX || mpr_conn_closed(c->writer) ||
        mpr_semlock_acquire(c->wlock, 0, 0.0) != 1)
        return 0;
    if (mpr__ring_room(&c->ring, len)) {
        mpr__ring_write(&c->ring, (uint32_t)len, buf, len);
        done = 1;
    }
    mpr_semlock_release(c->wlock);
    return done;
}

int mpr__qchan_loads(char *buf, size_t len, mpr_obj_t **out)
{
    int rc = mpr_pickle_loads(buf, len, out);

    mpr_free(buf);
    return rc;
}

int mpr__qchan_recv_locked(mpr__qchan_t *c, const mpr_deadline_t *d, char **buf,
                           size_t *len)
{
    uint32_t word;
    int rc;

    if (mpr_conn_closed(c->reader))
        return mpr__error(MPR_ECLOSED, NULL);
    if (!mpr__ring_wait(&c->ring, d, &word))
        return mpr__error(MPR_EEMPTY, NULL);
    if (word != MPR__RING_PIPE)
        return mpr__ring_read(&c->ring, word, buf, len);
    /* A long message: in the pipe, maybe not all of it yet.  The marker
     * stays until the message is read, so a get that times out here
     * leaves the message to the next one, in its place. */
    if (d != NULL &&
        (rc = mpr_conn_poll(c->reader, mpr_deadline_seconds(d))) <= 0)
        return rc < 0 ? rc : mpr__error(MPR_EEMPTY, NULL);
    if ((rc = mpr_conn_recv_bytes(c->reader, MPR_SIZE_NONE, buf, len)) < 0)
        return rc;
    mpr__ring_skip(&c->ring);
    return 0;
}

int mpr__qchan_recv(mpr__qchan_t *c, mpr_obj_t **out)
{
    char *buf;
    size_t len;
    int rc;

    mpr_semlock_acquire(c->rlock, 1, MPR_TIMEOUT_NONE);
    rc = mpr__qchan_recv_locked(c, NULL, &buf, &len);
    mpr_semlock_release(c->rlock);
    if (rc < 0)
        return rc;
    return mpr__qchan_loads(buf, len, out);
}

int mpr__qchan_poll(mpr__qchan_t *c)
{
    if (mpr_conn_closed(c->reader))
        return mpr__error(MPR_ECLOSED, NULL);
    return !mpr__ring_empty(&c->ring);
}

void mpr__qchan_drain(mpr__qchan_t *c)
{
    mpr__ring_drain(&c->ring);
    /* Raw bytes, not messages: a reader killed while reading may have
     * left half of one.  Draining the pipe also lets a writer blocked in
     * the middle of a long message finish it. */
    while (mpr_conn_poll(c->reader, 0.0) > 0) {
        char buf[65536];
        if (mpr__sys.read(mpr_conn_fileno(c->reader), buf, sizeof(buf)) <= 0)
            break;
    }
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
    {
        char tok[96];
        mpr__ring_token(&c->ring, tok, sizeof(tok));
        if ((v[4] = mpr_obj_str(tok)) == NULL) {
            rc = mpr_last_error();
            goto fail;
        }
    }
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
    const mpr_obj_t *tok;
    int rc;

    memset(c, 0, sizeof(*c));
    if (mpr_obj_len(t) < at + MPR__QCHAN_NREDUCED)
        return mpr__error(MPR_ETYPE, "not a reduced queue");
    if ((rc = mpr_conn_rebuild(&c->reader, mpr_obj_item(t, at))) < 0 ||
        (rc = mpr_conn_rebuild(&c->writer, mpr_obj_item(t, at + 1))) < 0 ||
        (rc = mpr_semlock_rebuild(&c->rlock, mpr_obj_item(t, at + 2))) < 0 ||
        (rc = mpr_semlock_rebuild(&c->wlock, mpr_obj_item(t, at + 3))) < 0)
        goto fail;
    tok = mpr_obj_item(t, at + 4);
    if (mpr_obj_type(tok) != MPR_OBJ_STR) {
        rc = mpr__error(MPR_ETYPE, "not a reduced queue");
        goto fail;
    }
    if ((rc = mpr__ring_attach(&c->ring, mpr_obj_str_utf8(tok, NULL))) < 0)
        goto fail;
    return 0;
fail:
    mpr__qchan_fini(c);
    return rc;
}
