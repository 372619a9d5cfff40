/*
 * queue.h - Queue, JoinableQueue and SimpleQueue, as CPython 3.11's
 * multiprocessing.queues: protocol-4 pickles carried in order from
 * writers to readers, a Lock for readers, a Lock for writers and, for
 * Queue, a BoundedSemaphore(maxsize) that counts the items put and not yet
 * got.  CPython carries the pickles through a one-way pipe; here they go
 * through a 64 KiB ring of frames in shared memory with futex waits (no
 * system call while writer and reader are both awake), and only pickles
 * longer than 16 KiB through the pipe (in CPython's wire format), which
 * exists as in CPython: its ends are what close() closes.
 *
 * Queue.put hands the value to a per-process feeder thread, as CPython's
 * does: put returns before the data reaches the reader (empty() may still
 * say 1 right after a put; qsize() counts the item at once), and put
 * never blocks on a full ring or pipe.  Items are written in put order.
 * When nothing is queued before it and the ring has room for it, put writes
 * the item itself, which cannot block: empty() right after a put is then
 * 0, one of the outcomes CPython's race allows.  A process that put items
 * waits at its exit until its feeder has written them (exit finalizers:
 * close at priority 10, join at -5), unless cancel_join_thread() was
 * called.  SimpleQueue.put writes synchronously.
 *
 * Objects are valid in the process that made them and in every process
 * forked afterwards (the child starts with an empty buffer and no feeder,
 * CPython's _after_fork).  A spawn or forkserver child gets a queue
 * through mpr_queue_reduce / mpr_queue_rebuild, the analogue of pickling
 * one into a child's args (each reduced value is rebuilt once).
 *
 * Return values follow the conventions of <mpr.h>.  Values put are borrowed:
 * put pickles them at once (CPython's feeder pickles later, so there a list
 * changed right after put may travel changed).  Values got are new references.
 */
#ifndef MPR_QUEUE_H
#define MPR_QUEUE_H

#include "common.h"
#include "obj.h"
#include "timeout.h"

#include <stddef.h>

typedef struct mpr_queue_s mpr_queue_t;   /* Queue and JoinableQueue */
typedef mpr_queue_t mpr_jqueue_t;         /* JoinableQueue */
typedef struct mpr_squeue_s mpr_squeue_t; /* SimpleQueue */

/* SEM_VALUE_MAX: the maxsize of an unbounded Queue (maxsize <= 0). */
#define MPR_QUEUE_MAXSIZE 2147483647

/* ---- Queue ------------------------------------------------------------- */

/*
 * Queue(maxsize=0): maxsize <= 0 means unbounded (MPR_QUEUE_MAXSIZE).
 * Returns: 0 and the object in *out.
 * Errors: -errno from the pipe or the shared memory (-EMFILE, -ENOMEM).
 * Ownership: free with mpr_queue_free().
 */
MPR_EXTERN int mpr_queue_new(mpr_queue_t **out, int maxsize);

/* JoinableQueue(maxsize=0): a Queue that also counts unfinished tasks. */
MPR_EXTERN int mpr_jqueue_new(mpr_jqueue_t **out, int maxsize);

/*
 * Frees the object in this process (NULL is a no-op).  If its feeder is
 * running, this first closes the queue and waits until the feeder has
 * written what was put (as the exit of the process would).
 */
MPR_EXTERN void mpr_queue_free(mpr_queue_t *q);

/*
 * put(obj, block=True, timeout=None): waits for room (block=0 ignores the
 * timeout; a negative timeout counts as 0) and hands o to the feeder.
 * Returns: 0.
 * Errors: MPR_EVALUE "Queue <...Queue object at 0x...> is closed" after
 * close(); MPR_EFULL (queue.Full) when no room came in time; -ENOMEM,
 * -EAGAIN when the feeder thread cannot start.
 * Ownership: o is borrowed (the queue takes its own reference).
 */
MPR_EXTERN int mpr_queue_put(mpr_queue_t *q, const mpr_obj_t *o, int block,
                             double timeout);

/* put_nowait(obj): put(obj, False). */
MPR_EXTERN int mpr_queue_put_nowait(mpr_queue_t *q, const mpr_obj_t *o);

/*
 * get(block=True, timeout=None): takes the oldest item.  With a timeout,
 * the deadline covers both the reader lock and the wait for data; a
 * negative timeout counts as 0 (an item already written is returned).
 * Returns: 0 and a new reference in *out.
 * Errors: MPR_EVALUE "Queue <...> is closed"; MPR_EEMPTY (_queue.Empty)
 * when nothing came in time; MPR_EEOF when the writers are gone in the
 * middle of a long (pipe) item; pickle errors for bytes that are not a
 * data pickle; OS errors.  A get without a timeout waits, as CPython's
 * waits on a pipe whose write end is open in the getting process itself,
 * even when every other writer has died.
 */
MPR_EXTERN int mpr_queue_get(mpr_queue_t *q, mpr_obj_t **out, int block,
                             double timeout);

/* get_nowait(): get(False). */
MPR_EXTERN int mpr_queue_get_nowait(mpr_queue_t *q, mpr_obj_t **out);

/* qsize(): items put and not yet got, by every process (>= 0). */
MPR_EXTERN int mpr_queue_qsize(mpr_queue_t *q);

/*
 * empty(): 1 when no item is waiting to be read (an item still in a
 * feeder's buffer is not seen), else 0.
 * Errors: MPR_ECLOSED "handle is closed" once the feeder closed the
 * queue's reader after close().
 */
MPR_EXTERN int mpr_queue_empty(mpr_queue_t *q);

/* full(): 1 when maxsize items are in the queue, else 0. */
MPR_EXTERN int mpr_queue_full(mpr_queue_t *q);

/*
 * close(): no more put or get in this process; the feeder (if started)
 * writes what remains, then closes both ends of the pipe in this process.
 * Idempotent.
 * Returns: 0.
 */
MPR_EXTERN int mpr_queue_close(mpr_queue_t *q);

/*
 * join_thread(): waits for the feeder to end (after close()).
 * Returns: 0.
 * Errors: MPR_EASSERT "Queue <...> not closed" on an open queue.
 */
MPR_EXTERN int mpr_queue_join_thread(mpr_queue_t *q);

/* cancel_join_thread(): the process will not wait for the feeder at exit
 * (data not yet written is lost). */
MPR_EXTERN void mpr_queue_cancel_join_thread(mpr_queue_t *q);

/*
 * repr(): "<multiprocessing.queues.Queue object at 0x...>" (JoinableQueue
 * for a joinable one).  Returns 0 and a buffer in *out (mpr_free), its
 * length in *len (may be NULL).  Errors: -ENOMEM.
 */
MPR_EXTERN int mpr_queue_repr(const mpr_queue_t *q, char **out, size_t *len);

/*
 * task_done() (JoinableQueue): one item got earlier is processed.
 * Returns: 0.
 * Errors: MPR_EVALUE "task_done() called too many times"; MPR_EATTR
 * (AttributeError) "'Queue' object has no attribute 'task_done'" on a
 * plain Queue.
 */
MPR_EXTERN int mpr_jqueue_task_done(mpr_jqueue_t *q);

/*
 * join() (JoinableQueue): blocks until every item put has had its
 * task_done(), at once when none is pending.
 * Returns: 0.  Errors: MPR_EATTR "'Queue' object has no attribute 'join'"
 * on a plain Queue.
 */
MPR_EXTERN int mpr_jqueue_join(mpr_jqueue_t *q);

/*
 * Reduces q for a spawn or forkserver child (CPython's Queue.__getstate__:
 * maxsize, reader, writer, rlock, wlock, sem, opid, and here the ring's
 * segment; JoinableQueue adds its condition and task counter) into a plain
 * value (*out, new reference)
 * to put in the child's args.  This process must keep q until the child
 * has rebuilt it.  Errors: MPR_ECLOSED when the pipe was closed; -ENOMEM;
 * OS errors.
 */
MPR_EXTERN int mpr_queue_reduce(const mpr_queue_t *q, mpr_obj_t **out);

/* Rebuilds a queue from a reduced value (in the child).  Returns 0 and a
 * new object in *out.  Errors: MPR_ETYPE for a value that is not a reduced
 * Queue; MPR_EVALUE "bad shared handle" for a ring token that names no
 * ring; the errors of mpr_conn_rebuild and mpr_semlock_rebuild. */
MPR_EXTERN int mpr_queue_rebuild(mpr_queue_t **out, const mpr_obj_t *reduced);

/* ---- SimpleQueue ------------------------------------------------------- */

/* SimpleQueue().  Returns 0 and the object in *out.  Errors: as Queue. */
MPR_EXTERN int mpr_squeue_new(mpr_squeue_t **out);

/* Frees the object in this process (closing its ends).  NULL: no-op. */
MPR_EXTERN void mpr_squeue_free(mpr_squeue_t *q);

/*
 * put(obj): pickles o and writes it under the writer lock, synchronously
 * (waiting for room in the ring, as CPython's waits on a full pipe).
 * Errors: MPR_ECLOSED "handle is closed" after close(); -EPIPE (a long
 * item, once every reader is closed); pickle errors (MPR_ERECURSION).
 */
MPR_EXTERN int mpr_squeue_put(mpr_squeue_t *q, const mpr_obj_t *o);

/* get(): blocks for the next item (new reference in *out).
 * Errors: MPR_ECLOSED; MPR_EEOF (as Queue's get); pickle errors; OS
 * errors. */
MPR_EXTERN int mpr_squeue_get(mpr_squeue_t *q, mpr_obj_t **out);

/* empty(): 1 or 0.  Errors: MPR_ECLOSED after close(). */
MPR_EXTERN int mpr_squeue_empty(mpr_squeue_t *q);

/* close(): closes both ends in this process; idempotent.  Returns 0. */
MPR_EXTERN int mpr_squeue_close(mpr_squeue_t *q);

/* repr(): "<multiprocessing.queues.SimpleQueue object at 0x...>". */
MPR_EXTERN int mpr_squeue_repr(const mpr_squeue_t *q, char **out, size_t *len);

/* Reduce / rebuild for a spawn or forkserver child (reader, writer, rlock,
 * wlock, ring), as for Queue. */
MPR_EXTERN int mpr_squeue_reduce(const mpr_squeue_t *q, mpr_obj_t **out);
MPR_EXTERN int mpr_squeue_rebuild(mpr_squeue_t **out, const mpr_obj_t *reduced);

#endif /* MPR_QUEUE_H */
