/*
 * channel.h - the channel every multiprocessing queue is built on (a
 * one-way pipe, a reader Lock and a writer Lock; channel.c): queue/'s
 * interface to the layers above, as Pool's task and result queues are
 * channels too.
 */
#ifndef MPR_QUEUE_CHANNEL_H
#define MPR_QUEUE_CHANNEL_H

#include "mpr/connection.h"
#include "mpr/lock.h"
#include "mpr/queue.h"

/* Number of values a channel reduces to (reader, writer, rlock, wlock). */
#define MPR__QCHAN_NREDUCED 4

typedef struct {
    mpr_conn_t *reader;   /* _reader: read end of Pipe(duplex=False) */
    mpr_conn_t *writer;   /* _writer: write end */
    mpr_semlock_t *rlock; /* _rlock: one reader at a time */
    mpr_semlock_t *wlock; /* _wlock: one writer at a time */
} mpr__qchan_t;

/* Makes the pipe and both locks.  Returns 0.  Errors: -errno. */
int mpr__qchan_init(mpr__qchan_t *c);

/* Closes and frees what the channel holds (members may be NULL). */
void mpr__qchan_fini(mpr__qchan_t *c);

/* Pickles o (protocol 4, ForkingPickler.dumps) into *buf, *len. */
int mpr__qchan_dumps(const mpr_obj_t *o, char **buf, size_t *len);

/* Writes one message under the writer lock. */
int mpr__qchan_send(mpr__qchan_t *c, const void *buf, size_t len);

/* Reads one message under the reader lock and unpickles it (outside the
 * lock, as CPython does). */
int mpr__qchan_recv(mpr__qchan_t *c, mpr_obj_t **out);

/* Unpickles a received message and frees it. */
int mpr__qchan_loads(char *buf, size_t len, mpr_obj_t **out);

/* Stores the 4 reduced members into tuple t at index at.. */
int mpr__qchan_reduce(const mpr__qchan_t *c, mpr_obj_t *t, size_t at);

/* Rebuilds the members from tuple t at index at.. (c zeroed first). */
int mpr__qchan_rebuild(const mpr_obj_t *t, size_t at, mpr__qchan_t *c);

/* The read end of a SimpleQueue (the pool drains it on terminate).
 * (squeue.c) */
mpr_conn_t *mpr__squeue_reader(mpr_squeue_t *q);

#endif /* MPR_QUEUE_CHANNEL_H */
