/*
 * channel.h - the channel every multiprocessing queue is built on (a
 * shared-memory ring of frames, a one-way pipe for the messages too long
 * for the ring, a reader Lock and a writer Lock; channel.c): queue/'s
 * interface to the layers above, as Pool's task and result queues are
 * channels too.
 */
#ifndef MPR_QUEUE_CHANNEL_H
#define MPR_QUEUE_CHANNEL_H

#include "mpr/connection.h"
#include "mpr/lock.h"
#include "mpr/queue.h"
#include "queue/ring.h"

/* Number of values a channel reduces to (reader, writer, rlock, wlock,
 * ring). */
#define MPR__QCHAN_NREDUCED 5

typedef struct {
    mpr_conn_t *reader;   /* _reader: read end of Pipe(duplex=False) */
    mpr_conn_t *writer;   /* _writer: write end */
    mpr_semlock_t *rlock; /* _rlock: one reader at a time */
    mpr_semlock_t *wlock; /* _wlock: one writer at a time */
    mpr__ring_t ring;     /* the frames, in order (ring.h) */
} mpr__qchan_t;

/* Makes the pipe and both locks.  Returns 0.  Errors: -errno. */
int mpr__qchan_init(mpr__qchan_t *c);

/* Closes and frees what the channel holds (members may be NULL). */
void mpr__qchan_fini(mpr__qchan_t *c);

/* Pickles o (protocol 4, ForkingPickler.dumps) into *buf, *len. */
int mpr__qchan_dumps(const mpr_obj_t *o, char **buf, size_t *len);

/* Writes one message under the writer lock (waiting for room in the
 * ring, as a write waits on a full pipe).  Errors: MPR_ECLOSED; what a
 * write to the pipe fails with. */
int mpr__qchan_send(mpr__qchan_t *c, const void *buf, size_t len);

/* Writes one message only if that cannot wait: the writer lock free and
 * room for it in the ring.  Returns: 1 when written, else 0. */
int mpr__qchan_try_send(mpr__qchan_t *c, const void *buf, size_t len);

/* Reads one message under the reader lock and unpickles it (outside the
 * lock, as CPython does). */
int mpr__qchan_recv(mpr__qchan_t *c, mpr_obj_t **out);

/* Reads one message into *buf (free()), *len, with the reader lock held
 * by the caller, waiting until the deadline d (NULL: none).
 * Errors: MPR_EEMPTY at the deadline; MPR_ECLOSED; what reading the pipe
 * fails with; -ENOMEM. */
int mpr__qchan_recv_locked(mpr__qchan_t *c, const mpr_deadline_t *d, char **buf,
                           size_t *len);

/* CPython's _reader.poll(0): 1 if a message is there, 0 if not.
 * Errors: MPR_ECLOSED once the reader is closed. */
int mpr__qchan_poll(mpr__qchan_t *c);

/* Drops every message, without the reader lock (Pool's terminate, when
 * no reader is left; a reader killed mid-message may hold the lock). */
void mpr__qchan_drain(mpr__qchan_t *c);

/* Unpickles a received message and frees it. */
int mpr__qchan_loads(char *buf, size_t len, mpr_obj_t **out);

/* Stores the 4 reduced members into tuple t at index at.. */
int mpr__qchan_reduce(const mpr__qchan_t *c, mpr_obj_t *t, size_t at);

/* Rebuilds the members from tuple t at index at.. (c zeroed first). */
int mpr__qchan_rebuild(const mpr_obj_t *t, size_t at, mpr__qchan_t *c);

/* The channel of a SimpleQueue (the pool waits on it and drains it on
 * terminate).  (squeue.c) */
mpr__qchan_t *mpr__squeue_chan(mpr_squeue_t *q);

#endif /* MPR_QUEUE_CHANNEL_H */
