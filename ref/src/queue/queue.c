/*
 * queue.c - multiprocessing.queues.Queue and JoinableQueue (CPython
 * 3.11): a channel (channel.h), a BoundedSemaphore(maxsize)
 * counting the items in the queue, and a per-process feeder thread that
 * pickles the values put and writes them to the channel in put order.
 *
 * Shared state lives in the channel's ring and in the Locks and
 * Semaphores (their own segments):
 *   ch.ring             the items written, in order
 *   ch.rlock, ch.wlock  reader and writer locks
 *   sem                 maxsize - qsize
 *   unfinished, cond    JoinableQueue: tasks not yet done, and the
 *                       Condition join() waits on
 * Per-process state: the buffer, the feeder, the closed flag and the
 * exit finalizers; reset in a forked child (CPython's _after_fork).
 */
#include "mpr/queue.h"
#include "mpr/condition.h"
#include "base/internal.h"
#include "base/finalize.h"
#include "queue/channel.h"
#include "obj/objimpl.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define Q_TAG  "multiprocessing.queues.Queue"
#define JQ_TAG "multiprocessing.queues.JoinableQueue"

typedef struct item_s {
    char *buf;  /* the pickled value; NULL: the sentinel */
    size_t len; /* its length */
    struct item_s *next;
} item_t;

struct mpr_queue_s {
    int joinable;              /* JoinableQueue */
    int maxsize;               /* _maxsize */
    mpr__qchan_t ch;           /* _reader, _writer, _rlock, _wlock */
    mpr_semlock_t *sem;        /* _sem: BoundedSemaphore(maxsize) */
    mpr_semlock_t *unfinished; /* _unfinished_tasks: Semaphore(0) */
    mpr_cond_t *cond;          /* _cond: Condition() */
    pid_t opid;                /* _opid */
    pthread_mutex_t mu;        /* _notempty's lock */
    pthread_cond_t notempty;   /* _notempty */
    item_t *head, *tail;       /* _buffer */
    int started;               /* _thread is not None */
    int sending;               /* the feeder is writing an item */
    int joined;                /* the feeder was joined */
    int returned;              /* the feeder has returned */
    pthread_t thread;          /* the feeder */
    int joincancelled;         /* _joincancelled */
    int closed;                /* _closed */
    long close_fin, join_fin;  /* _close, _jointhread (0: None) */
    item_t *close_item;        /* the sentinel _close will put (made with
                                  the thread: closing cannot fail) */
    mpr_queue_t *prev, *next;  /* this process's live queues (fork) */
};

/* ---- the live list, reset in a forked child ------------------------------ */

static pthread_mutex_t live_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;
static mpr_queue_t *live;

static void free_items(item_t *it)
{
    while (it != NULL) {
        item_t *next = it->next;
        mpr_free(it->buf);
        free(it);
        it = next;
    }
}

/*
 * Holding every lock across fork gives the child consistent buffers, and
 * keeps the feeders out of the allocator (see feed()).  A feeder that has
 * returned may still be in its thread's teardown, which frees memory: it
 * is joined first.
 */
static void before_fork(void)
{
    pthread_mutex_lock(&live_mu);
    for (mpr_queue_t *q = live; q != NULL; q = q->next) {
        pthread_mutex_lock(&q->mu);
        if (q->returned && !q->joined) {
            pthread_join(q->thread, NULL);
            q->joined = 1;
        }
    }
}

static void after_fork_parent(void)
{
    for (mpr_queue_t *q = live; q != NULL; q = q->next)
        pthread_mutex_unlock(&q->mu);
    pthread_mutex_unlock(&live_mu);
}

/* Queue._after_fork: a new buffer, no feeder, open again.  The parent's
 * finalizers are gone already (every child clears them). */
static void after_fork_child(void)
{
    for (mpr_queue_t *q = live; q != NULL; q = q->next) {
        pthread_mutex_init(&q->mu, NULL);
        pthread_cond_init(&q->notempty, NULL);
        free_items(q->head);
        q->head = q->tail = NULL;
        q->started = q->joined = q->joincancelled = q->closed = 0;
        q->sending = 0;
        q->returned = 0;
        q->close_fin = q->join_fin = 0;
        free(q->close_item);
        q->close_item = NULL;
    }
    pthread_mutex_init(&live_mu, NULL);
}

static void register_atfork(void)
{
    pthread_atfork(before_fork, after_fork_parent, after_fork_child);
}

static void live_add(mpr_queue_t *q)
{
    pthread_once(&atfork_once, register_atfork);
    pthread_mutex_lock(&live_mu);
    q->next = live;
    if (live != NULL)
        live->prev = q;
    live = q;
    pthread_mutex_unlock(&live_mu);
}

static void live_remove(mpr_queue_t *q)
{
    pthread_mutex_lock(&live_mu);
    if (q->prev != NULL)
        q->prev->next = q->next;
    else
        live = q->next;
    if (q->next != NULL)
        q->next->prev = q->prev;
    pthread_mutex_unlock(&live_mu);
}

/* ---- construction -------------------------------------------------------- */

static mpr_queue_t *queue_alloc(int joinable)
{
    mpr_queue_t *q = mpr__sys.calloc(1, sizeof(*q));

    if (q == NULL) {
        mpr__error(MPR__ERR(ENOMEM), NULL);
        return NULL;
    }
    q->joinable = joinable;
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->notempty, NULL);
    return q;
}

static void queue_release(mpr_queue_t *q)
{
    mpr__qchan_fini(&q->ch);
    mpr_semlock_free(q->sem);
    mpr_semlock_free(q->unfinished);
    mpr_cond_free(q->cond);
    free_items(q->head);
    free(q->close_item);
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->notempty);
    free(q);
}

static int queue_new(mpr_queue_t **out, int maxsize, int joinable)
{
    mpr_queue_t *q = queue_alloc(joinable);
    int rc;

    if (q == NULL)
        return mpr_last_error();
    q->maxsize = maxsize <= 0 ? MPR_QUEUE_MAXSIZE : maxsize;
    if ((rc = mpr__qchan_init(&q->ch)) < 0 ||
        (rc = mpr_bsem_new(&q->sem, q->maxsize)) < 0)
        goto fail;
    if (joinable && ((rc = mpr_sem_new(&q->unfinished, 0)) < 0 ||
                     (rc = mpr_cond_new(&q->cond, NULL)) < 0))
        goto fail;
    q->opid = getpid();
    mpr__finalize_init();
    live_add(q);
    *out = q;
    return 0;
fail:
    queue_release(q);
    return rc;
}

int mpr_queue_new(mpr_queue_t **out, int maxsize)
{
    return queue_new(out, maxsize, 0);
}

int mpr_jqueue_new(mpr_jqueue_t **out, int maxsize)
{
    return queue_new(out, maxsize, 1);
}

/* ---- the feeder ---------------------------------------------------------- */

/* What CPython's feeder prints when it cannot send an item
 * (_on_queue_feeder_error: traceback.print_exc()). */
static void feeder_error(int rc)
{
    char line[512];

    mpr_err_format(rc, line, sizeof(line));
    fprintf(stderr, "Traceback (most recent call last):\n%s\n", line);
    fflush(stderr);
}

/* An item that could not be sent leaves the queue, as if it had been
 * got, so that qsize() and full() stay right (CPython's feeder). */
static void send_failed(mpr_queue_t *q, int rc)
{
    mpr_semlock_release(q->sem);
    feeder_error(rc);
}

/*
 * The feeder calls the allocator (and stdio) only with q->mu held, which
 * before_fork holds across fork: a fork made by another thread never
 * finds the feeder inside malloc.  glibc's malloc is safe across fork
 * anyway, but other allocators are not (ASan's, in GCC 12, keeps the
 * feeder's lock in the child, whose next allocation then waits forever);
 * the write to the channel, which may block, is made without the lock and
 * allocates nothing.  The thread's own start, which allocates too, is
 * over before start_thread() returns (mpr__thread_start).
 */
static void *feed(void *arg)
{
    mpr_queue_t *q = arg;

    pthread_mutex_lock(&q->mu);
    for (;;) {
        item_t *it;
        int rc;

        while (q->head == NULL)
            pthread_cond_wait(&q->notempty, &q->mu);
        it = q->head;
        if ((q->head = it->next) == NULL)
            q->tail = NULL;
        if (it->buf == NULL) {
            free(it);
            mpr_conn_close(q->ch.reader);
            mpr_conn_close(q->ch.writer);
            q->returned = 1;
            pthread_mutex_unlock(&q->mu);
            return NULL;
        }
        q->sending = 1;
        pthread_mutex_unlock(&q->mu);
        rc = mpr__qchan_send(&q->ch, it->buf, it->len);
        pthread_mutex_lock(&q->mu);
        q->sending = 0;
        if (rc < 0)
            send_failed(q, rc);
        mpr_free(it->buf);
        free(it);
    }
}

/*
 * The fast path of put: with nothing queued before it in this process,
 * the value is written at once instead of by the feeder (called with
 * q->mu held) when that cannot wait: the writer lock is only tried, and
 * the ring must have room for the whole message (mpr__qchan_try_send),
 * so the order of the items is kept and put() still returns at once.
 * CPython's put always leaves the write to its thread, so that empty()
 * right after a put may be True or False; here it is False more often,
 * within the same envelope.
 * Returns: 1 when the item was handled, 0 when the feeder must take it.
 */
static int put_direct(mpr_queue_t *q, const char *buf, size_t len)
{
    if (q->head != NULL || q->sending)
        return 0;
    return mpr__qchan_try_send(&q->ch, buf, len);
}

/* _finalize_close: the sentinel after everything already put. */
static void finalize_close(void *arg)
{
    mpr_queue_t *q = arg;
    item_t *it;

    pthread_mutex_lock(&q->mu);
    if ((it = q->close_item) == NULL) {
        pthread_mutex_unlock(&q->mu);
        return;
    }
    q->close_item = NULL;
    if (q->tail != NULL)
        q->tail->next = it;
    else
        q->head = it;
    q->tail = it;
    pthread_cond_signal(&q->notempty);
    pthread_mutex_unlock(&q->mu);
}

/* _finalize_join: waits until the feeder has written everything. */
static void finalize_join(void *arg)
{
    mpr_queue_t *q = arg;
    int join;

    /* Claimed under the lock: before_fork may join a returned feeder too,
     * and a thread must be joined once. */
    pthread_mutex_lock(&q->mu);
    join = q->started && !q->joined;
    q->joined |= join;
    pthread_mutex_unlock(&q->mu);
    if (join)
        pthread_join(q->thread, NULL);
}

/* _start_thread, called with q->mu held.  Everything close() and the
 * exit handler need is made before the thread: a feeder that nothing
 * could stop would hang join_thread() and the exit of the process. */
static int start_thread(mpr_queue_t *q)
{
    long h;
    int e;

    if ((q->close_item = mpr__sys.calloc(1, sizeof(*q->close_item))) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    if ((h = mpr__finalize_register(10, finalize_close, q)) < 0)
        goto fail;
    q->close_fin = h;
    if (!q->joincancelled) {
        if ((h = mpr__finalize_register(-5, finalize_join, q)) < 0)
            goto fail;
        q->join_fin = h;
    }
    if ((e = mpr__thread_start(&q->thread, feed, q)) != 0) {
        h = mpr__error(MPR__ERR(e), NULL);
        goto fail;
    }
    q->started = 1;
    return 0;
fail:
    if (q->close_fin)
        mpr__finalize_cancel(q->close_fin);
    if (q->join_fin)
        mpr__finalize_cancel(q->join_fin);
    q->close_fin = q->join_fin = 0;
    free(q->close_item);
    q->close_item = NULL;
    return (int)h;
}

void mpr_queue_free(mpr_queue_t *q)
{
    if (q == NULL)
        return;
    if (q->started && !q->joined) {
        mpr_queue_close(q);
        finalize_join(q);
    }
    if (q->close_fin)
        mpr__finalize_cancel(q->close_fin);
    if (q->join_fin)
        mpr__finalize_cancel(q->join_fin);
    live_remove(q);
    queue_release(q);
}

/* ---- put / get ----------------------------------------------------------- */

static int closed_error(const mpr_queue_t *q)
{
    return mpr__error(MPR_EVALUE, "Queue <%s object at %p> is closed",
                      q->joinable ? JQ_TAG : Q_TAG, (const void *)q);
}

int mpr_queue_put(mpr_queue_t *q, const mpr_obj_t *o, int block, double timeout)
{
    item_t *it;
    char *buf;
    size_t len;
    int rc;

    if (q->closed)
        return closed_error(q);
    if ((rc = mpr_semlock_acquire(q->sem, block, timeout)) <= 0)
        return rc < 0 ? rc : mpr__error(MPR_EFULL, NULL);
    /* Pickled here rather than in the feeder (a C value cannot fail to
     * pickle but for its depth); a failure is reported as CPython's feeder
     * reports it, and put itself succeeds. */
    if ((rc = mpr__qchan_dumps(o, &buf, &len)) < 0) {
        send_failed(q, rc);
        return 0;
    }
    if ((it = mpr__sys.calloc(1, sizeof(*it))) == NULL) {
        mpr_free(buf);
        mpr_semlock_release(q->sem);
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    }
    it->buf = buf;
    it->len = len;
    pthread_mutex_lock(&q->mu);
    if (q->joinable)
        mpr_cond_acquire(q->cond, 1, MPR_TIMEOUT_NONE);
    if (!q->started && (rc = start_thread(q)) < 0) {
        if (q->joinable)
            mpr_cond_release(q->cond);
        pthread_mutex_unlock(&q->mu);
        mpr_semlock_release(q->sem);
        free_items(it);
        return rc;
    }
    /* Counted before it can reach a consumer, whose task_done would
     * otherwise find nothing to account for. */
    if (q->joinable)
        mpr_semlock_release(q->unfinished);
    if (put_direct(q, buf, len)) {
        free_items(it);
    } else {
        if (q->tail != NULL)
            q->tail->next = it;
        else
            q->head = it;
        q->tail = it;
        pthread_cond_signal(&q->notempty);
    }
    if (q->joinable)
        mpr_cond_release(q->cond);
    pthread_mutex_unlock(&q->mu);
    return 0;
}

int mpr_queue_put_nowait(mpr_queue_t *q, const mpr_obj_t *o)
{
    return mpr_queue_put(q, o, 0, MPR_TIMEOUT_NONE);
}

/* The timed or non-blocking get: one deadline covers the reader lock and
 * the wait for data. */
static int get_timed(mpr_queue_t *q, int block, double timeout, char **buf,
                     size_t *len)
{
    mpr_deadline_t d;
    int rc;

    /* Not blocking: one look (CPython ignores the timeout then). */
    if ((rc = mpr_deadline_init(&d, block, block ? timeout : 0.0)) < 0)
        return rc;
    if ((rc = mpr_semlock_acquire(q->ch.rlock, block, timeout)) <= 0)
        return rc < 0 ? rc : mpr__error(MPR_EEMPTY, NULL);
    if ((rc = mpr__qchan_recv_locked(&q->ch, &d, buf, len)) == 0)
        mpr_semlock_release(q->sem);
    mpr_semlock_release(q->ch.rlock);
    return rc;
}

int mpr_queue_get(mpr_queue_t *q, mpr_obj_t **out, int block, double timeout)
{
    char *buf;
    size_t len;
    int rc;

    if (q->closed)
        return closed_error(q);
    if (block && timeout == MPR_TIMEOUT_NONE) {
        mpr_semlock_acquire(q->ch.rlock, 1, MPR_TIMEOUT_NONE);
        rc = mpr__qchan_recv_locked(&q->ch, NULL, &buf, &len);
        mpr_semlock_release(q->ch.rlock);
        if (rc == 0)
            mpr_semlock_release(q->sem);
    } else {
        rc = get_timed(q, block, timeout, &buf, &len);
    }
    if (rc < 0)
        return rc;
    /* Unpickled after the lock is released, as CPython does. */
    return mpr__qchan_loads(buf, len, out);
}

int mpr_queue_get_nowait(mpr_queue_t *q, mpr_obj_t **out)
{
    return mpr_queue_get(q, out, 0, MPR_TIMEOUT_NONE);
}

/* ---- state --------------------------------------------------------------- */

int mpr_queue_qsize(mpr_queue_t *q)
{
    return q->maxsize - mpr_semlock_get_value(q->sem);
}

int mpr_queue_empty(mpr_queue_t *q)
{
    int rc = mpr__qchan_poll(&q->ch);

    return rc < 0 ? rc : !rc;
}

int mpr_queue_full(mpr_queue_t *q)
{
    return mpr_semlock_get_value(q->sem) == 0;
}

int mpr_queue_close(mpr_queue_t *q)
{
    long h = q->close_fin;

    q->closed = 1;
    if (h) {
        q->close_fin = 0;
        mpr__finalize_run(h);
    }
    return 0;
}

int mpr_queue_join_thread(mpr_queue_t *q)
{
    long h = q->join_fin;

    if (!q->closed)
        return mpr__error(MPR_EASSERT, "Queue <%s object at %p> not closed",
                          q->joinable ? JQ_TAG : Q_TAG, (const void *)q);
    if (h) {
        q->join_fin = 0;
        mpr__finalize_run(h);
    }
    return 0;
}

void mpr_queue_cancel_join_thread(mpr_queue_t *q)
{
    q->joincancelled = 1;
    if (q->join_fin) {
        mpr__finalize_cancel(q->join_fin);
        q->join_fin = 0;
    }
}

int mpr_queue_repr(const mpr_queue_t *q, char **out, size_t *len)
{
    char tmp[128];
    int n = snprintf(tmp, sizeof(tmp), "<%s object at %p>",
                     q->joinable ? JQ_TAG : Q_TAG, (const void *)q);

    if ((*out = mpr__strdup(tmp)) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    if (len != NULL)
        *len = (size_t)n;
    return 0;
}

/* ---- JoinableQueue ------------------------------------------------------- */

static int not_joinable(const char *attr)
{
    return mpr__error(MPR_EATTR, "'Queue' object has no attribute '%s'", attr);
}

int mpr_jqueue_task_done(mpr_jqueue_t *q)
{
    int rc = 0;

    if (!q->joinable)
        return not_joinable("task_done");
    mpr_cond_acquire(q->cond, 1, MPR_TIMEOUT_NONE);
    if (mpr_semlock_acquire(q->unfinished, 0, 0.0) != 1)
        rc = mpr__error(MPR_EVALUE, "task_done() called too many times");
    else if (mpr_semlock_get_value(q->unfinished) == 0)
        mpr_cond_notify_all(q->cond);
    mpr_cond_release(q->cond);
    return rc;
}

int mpr_jqueue_join(mpr_jqueue_t *q)
{
    if (!q->joinable)
        return not_joinable("join");
    mpr_cond_acquire(q->cond, 1, MPR_TIMEOUT_NONE);
    /* One wait, as CPython: task_done notifies only at zero. */
    if (mpr_semlock_get_value(q->unfinished) != 0)
        mpr_cond_wait(q->cond, MPR_TIMEOUT_NONE);
    mpr_cond_release(q->cond);
    return 0;
}

/* ---- reduce / rebuild ---------------------------------------------------- */

/* (tag, maxsize, reader, writer, rlock, wlock, ring, sem, opid[, cond,
 * unfinished]) */
#define Q_SEM       (2 + MPR__QCHAN_NREDUCED)
#define Q_NREDUCED  (Q_SEM + 2)
#define JQ_NREDUCED (Q_NREDUCED + 2)

int mpr_queue_reduce(const mpr_queue_t *q, mpr_obj_t **out)
{
    size_t n = q->joinable ? JQ_NREDUCED : Q_NREDUCED;
    mpr_obj_t *t = mpr_obj_tuple_new(n), *v;
    int rc;

    if (t == NULL)
        return mpr_last_error();
    if ((rc = mpr_obj_tuple_set_steal(
             t, 0, mpr_obj_str(q->joinable ? JQ_TAG : Q_TAG))) < 0 ||
        (rc = mpr_obj_tuple_set_steal(t, 1, mpr_obj_int(q->maxsize))) < 0 ||
        (rc = mpr__qchan_reduce(&q->ch, t, 2)) < 0 ||
        (rc = mpr_semlock_reduce(q->sem, &v)) < 0 ||
        (rc = mpr_obj_tuple_set_steal(t, Q_SEM, v)) < 0 ||
        (rc = mpr_obj_tuple_set_steal(t, Q_SEM + 1, mpr_obj_int(q->opid))) < 0)
        goto fail;
    if (q->joinable && ((rc = mpr_cond_reduce(q->cond, &v)) < 0 ||
                        (rc = mpr_obj_tuple_set_steal(t, Q_SEM + 2, v)) < 0 ||
                        (rc = mpr_semlock_reduce(q->unfinished, &v)) < 0 ||
                        (rc = mpr_obj_tuple_set_steal(t, Q_SEM + 3, v)) < 0))
        goto fail;
    *out = t;
    return 0;
fail:
    mpr_obj_decref(t);
    return rc;
}

int mpr_queue_rebuild(mpr_queue_t **out, const mpr_obj_t *reduced)
{
    mpr_obj_t *tag = mpr_obj_item(reduced, 0);
    const char *s = tag && mpr_obj_type(tag) == MPR_OBJ_STR
                        ? mpr_obj_str_utf8(tag, NULL)
                        : "";
    int joinable = strcmp(s, JQ_TAG) == 0;
    mpr_queue_t *q;
    int64_t v;
    int rc;

    if ((!joinable && strcmp(s, Q_TAG) != 0) ||
        mpr_obj_len(reduced) != (joinable ? JQ_NREDUCED : Q_NREDUCED) ||
        mpr_obj_as_int64(mpr_obj_item(reduced, 1), &v) < 0)
        return mpr__error(MPR_ETYPE, "not a reduced Queue");
    if ((q = queue_alloc(joinable)) == NULL)
        return mpr_last_error();
    q->maxsize = (int)v;
    if ((rc = mpr__qchan_rebuild(reduced, 2, &q->ch)) < 0 ||
        (rc = mpr_semlock_rebuild(&q->sem, mpr_obj_item(reduced, Q_SEM))) < 0 ||
        (rc = mpr_obj_as_int64(mpr_obj_item(reduced, Q_SEM + 1), &v)) < 0)
        goto fail;
    q->opid = (pid_t)v;
    if (joinable &&
        ((rc = mpr_cond_rebuild(&q->cond, mpr_obj_item(reduced, Q_SEM + 2))) <
             0 ||
         (rc = mpr_semlock_rebuild(&q->unfinished,
                                   mpr_obj_item(reduced, Q_SEM + 3))) < 0))
        goto fail;
    mpr__finalize_init();
    live_add(q);
    *out = q;
    return 0;
fail:
    queue_release(q);
    return rc;
}

/* ---- as a handle value (obj.h): what obj/ and the process layer use ---- */

static const char *queue_type_name(const void *p)
{
    return ((const mpr_queue_t *)p)->joinable ? "JoinableQueue" : "Queue";
}

static int queue_repr_h(void *p, char **out, size_t *len)
{
    return mpr_queue_repr(p, out, len);
}

static int queue_reduce_h(const void *p, mpr_obj_t **tok)
{
    return mpr_queue_reduce(p, tok);
}

static int queue_rebuild_h(const mpr_obj_t *tok, void **out)
{
    mpr_queue_t *o = NULL;
    int rc = mpr_queue_rebuild(&o, tok);

    *out = o;
    return rc;
}

static void queue_free_h(void *p)
{
    mpr_queue_free(p);
}

MPR__HANDLE_INIT static void queue_handle_init(void)
{
    static const mpr__handle_ops_t ops = {
        .name = "Queue",
        .type_name = queue_type_name,
        .repr = queue_repr_h,
        .reduce = queue_reduce_h,
        .rebuild = queue_rebuild_h,
        .free = queue_free_h,
    };
    mpr__handle_register(MPR_HANDLE_QUEUE, &ops);
}
