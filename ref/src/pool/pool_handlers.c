/*
 * pool_handlers.c - the parent's side of a running Pool (CPython 3.11's
 * Pool._handle_workers, _handle_tasks, _handle_results) and the cache of
 * pending jobs they share with pool.c.  See pool.c for the overview.
 */
#include "base/internal.h"
#include "base/io.h"
#include "pool/pool_internal.h"
#include "process/launcher.h"
#include "queue/channel.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- small helpers ------------------------------------------------------- */

void mpr__pool_notify(mpr_pool_t *p)
{
    char c = 0;

    /* A full pipe (EAGAIN) already says "something changed"; EINTR must be
     * retried (PEP 475, io.h does), or the worker handler sleeps through
     * close(). */
    (void)mpr__write_full(p->notify[1], &c, 1);
}

void mpr__pool_cache_add(mpr_pool_t *p, mpr_asyncresult_t *r)
{
    size_t b = (size_t)r->job % NBUCKETS;

    r->cache_next = p->cache[b];
    p->cache[b] = mpr__res_ref(r);
    p->n_cache++;
}

/* Finds a job (p->mu held); with remove, takes it out (the caller then
 * owns the cache's reference). */
static mpr_asyncresult_t *cache_find(mpr_pool_t *p, long job, int remove)
{
    mpr_asyncresult_t **pp = &p->cache[(size_t)job % NBUCKETS];

    for (; *pp != NULL; pp = &(*pp)->cache_next) {
        mpr_asyncresult_t *r = *pp;
        if (r->job != job)
            continue;
        if (remove) {
            *pp = r->cache_next;
            if (--p->n_cache == 0)
                mpr__pool_notify(
                    p); /* _PoolCache: the worker handler re-checks */
        }
        return r;
    }
    return NULL;
}

void mpr__pool_batch_free(batch_t *b)
{
    mpr_asyncresult_free(b->res);
    mpr_obj_decref(b->fid);
    mpr_obj_decref(b->items);
    free(b->fail_msg);
    free(b);
}

/* ---- workers ------------------------------------------------------------- */

/* The worker's args: the queues (inherited under fork, reduced
 * otherwise), the initializer, initargs, maxtasks. */
static mpr_obj_t *worker_args(mpr_pool_t *p)
{
    int fork = !mpr__launcher(p->method)->fresh;
    mpr_obj_t *inq = NULL, *outq = NULL, *init;

    if (fork) {
        inq = mpr_obj_int((int64_t)(intptr_t)p->inq);
        outq = mpr_obj_int((int64_t)(intptr_t)p->outq);
    } else if (mpr_squeue_reduce(p->inq, &inq) < 0 ||
               mpr_squeue_reduce(p->outq, &outq) < 0) {
        mpr_obj_decref(inq);
        return NULL;
    }
    init = p->initializer == NULL
               ? mpr_obj_none()
               : mpr__pool_func_id((void (*)(void))p->initializer, fork);
    return mpr_obj_tuple_steal(5, inq, outq, init, mpr_obj_incref(p->initargs),
                               mpr_obj_int(p->maxtasks));
}

/* Starts one worker: Process(target=worker, ...), "Process" in its name
 * replaced by "PoolWorker", daemonic. */
int mpr__pool_worker_terminate(mpr_pool_t *p, mpr_process_t *w)
{
    return p->process.terminate ? p->process.terminate(w, p->process.arg)
                                : mpr_process_terminate(w);
}

int mpr__pool_worker_join(mpr_pool_t *p, mpr_process_t *w)
{
    return p->process.join ? p->process.join(w, p->process.arg)
                           : mpr_process_join(w, MPR_TIMEOUT_NONE);
}

int mpr__pool_start_worker(mpr_pool_t *p)
{
    mpr_process_options_t o = {
        .target = mpr__pool_worker, .daemon = MPR_TRUE, .context = p->method};
    mpr_obj_t *args = worker_args(p);
    mpr_process_t *w;
    char name[256];
    const char *old, *at;
    int rc;

    if (args == NULL)
        return mpr_last_error();
    o.args = args;
    rc = mpr_process_new(&w, &o);
    mpr_obj_decref(args);
    if (rc < 0)
        return rc;
    old = mpr_process_name(w);
    if ((at = strstr(old, "Process")) != NULL) {
        snprintf(name, sizeof(name), "%.*sPoolWorker%s", (int)(at - old), old,
                 at + 7);
        mpr_process_set_name(w, name);
    }
    if (p->process.create != NULL)
        p->process.create(w, p->process.arg);
    rc = p->process.start ? p->process.start(w, p->process.arg)
                          : mpr_process_start(w);
    if (rc < 0) {
        mpr_process_free(w);
        return rc;
    }
    p->workers[p->n_workers++] = w;
    return 0;
}

/* _maintain_pool: joins workers that ended and starts their successors. */
static void maintain_pool(mpr_pool_t *p)
{
    size_t kept = 0;
    int code, cleaned = 0;

    for (size_t i = 0; i < p->n_workers; i++) {
        mpr_process_t *w = p->workers[i];
        if (mpr_process_exitcode(w, &code) == 1) {
            mpr__pool_worker_join(p, w);
            mpr_process_free(w);
            cleaned = 1;
        } else {
            p->workers[kept++] = w;
        }
    }
    p->n_workers = kept;
    while (cleaned && p->n_workers < (size_t)p->processes)
        if (mpr__pool_start_worker(p) < 0)
            break;
}

int mpr__pool_state(mpr_pool_t *p)
{
    int s;

    pthread_mutex_lock(&p->mu);
    s = p->state;
    pthread_mutex_unlock(&p->mu);
    return s;
}

void *mpr__pool_worker_handler(void *arg)
{
    mpr_pool_t *p = arg;

    for (;;) {
        struct pollfd fds[1 + 256];
        nfds_t n = 0;
        int s;
        size_t pending;

        pthread_mutex_lock(&p->mu);
        s = p->state;
        pending = p->n_cache;
        pthread_mutex_unlock(&p->mu);
        if (!(s == MPR__POOL_RUN || (pending > 0 && s != MPR__POOL_TERMINATE)))
            break;
        maintain_pool(p);
        fds[n++] = (struct pollfd){.fd = p->notify[0], .events = POLLIN};
        for (size_t i = 0; i < p->n_workers && n < 257; i++) {
            int fd = mpr_process_sentinel(p->workers[i]);
            if (fd >= 0)
                fds[n++] = (struct pollfd){.fd = fd, .events = POLLIN};
        }
        /* The timeout is only a safety net: a wake-up whose write failed
         * (mpr__pool_notify) costs a second instead of a join() that
         * never returns. */
        if (mpr__sys.poll(fds, n, 1000) > 0 && (fds[0].revents & POLLIN)) {
            char buf[64];
            ssize_t r = mpr__sys.read(p->notify[0], buf, sizeof(buf));
            (void)r;
        }
    }
    /* taskqueue.put(None) */
    pthread_mutex_lock(&p->mu);
    p->tq_stop = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* ---- task handler -------------------------------------------------------- */

/* A MAP chunk of ints only (not bools), packed as the payload of
 * MPR__TASK_MAP_I64; NULL (no error) when some item is not an int. */
static mpr_obj_t *pack_ints(const mpr_obj_t *items, size_t lo, size_t n)
{
    unsigned char *buf;
    mpr_obj_t *t;

    for (size_t k = 0; k < n; k++)
        if (mpr_obj_type(mpr_obj_item(items, lo + k)) != MPR_OBJ_INT)
            return NULL;
    if ((buf = mpr__sys.malloc(n ? n * 8 : 1)) == NULL)
        return NULL;
    for (size_t k = 0; k < n; k++) {
        int64_t v = mpr_obj_int_value(mpr_obj_item(items, lo + k));
        memcpy(buf + 8 * k, &v, 8);
    }
    t = mpr_obj_bytes(buf, n * 8);
    free(buf);
    return t;
}

/* Task i of batch b: (job, i, func, kind, payload). */
static mpr_obj_t *task_of(batch_t *b, size_t i)
{
    mpr_obj_t *payload;
    int kind = b->kind;

    if (b->kind == MPR__TASK_APPLY)
        payload = mpr_obj_incref(b->items);
    else {
        size_t lo = i * b->chunksize, n = mpr_obj_len(b->items) - lo;
        mpr_obj_t *t;

        if (n > b->chunksize)
            n = b->chunksize;
        if (kind == MPR__TASK_MAP && (t = pack_ints(b->items, lo, n)) != NULL)
            kind = MPR__TASK_MAP_I64;
        else if ((t = mpr_obj_tuple_new(n)) == NULL)
            return NULL;
        else
            for (size_t k = 0; k < n; k++)
                mpr_obj_tuple_set_steal(
                    t, k, mpr_obj_incref(mpr_obj_item(b->items, lo + k)));
        payload = t;
    }
    return mpr_obj_tuple_steal(5, mpr_obj_int(b->res->job), mpr_obj_int(i),
                               mpr_obj_incref(b->fid), mpr_obj_int(kind),
                               payload);
}

/* A task that could not be sent fails its job, as CPython's does. */
static void fail_task(mpr_pool_t *p, batch_t *b, size_t i, int rc)
{
    const char *msg = mpr_last_error_detail();
    mpr_asyncresult_t *r = b->res;

    if (mpr__res_set(r, i, 0, NULL, rc, msg)) {
        pthread_mutex_lock(&p->mu);
        r = cache_find(p, r->job, 1);
        pthread_mutex_unlock(&p->mu);
        mpr_asyncresult_free(r);
    }
}

void *mpr__pool_task_handler(void *arg)
{
    mpr_pool_t *p = arg;
    mpr_obj_t *none = mpr_obj_none();
    int stopping;

    for (;;) {
        batch_t *b;
        int stop = 0;

        pthread_mutex_lock(&p->mu);
        while (p->tq_head == NULL && !p->tq_stop)
            pthread_cond_wait(&p->cv, &p->mu);
        if ((b = p->tq_head) != NULL && (p->tq_head = b->next) == NULL)
            p->tq_tail = NULL;
        pthread_mutex_unlock(&p->mu);
        if (b == NULL)
            break;
        for (size_t i = 0; i < b->n_tasks && !stop; i++) {
            mpr_obj_t *t;
            int rc;

            pthread_mutex_lock(&p->mu);
            stop = p->task_state != MPR__POOL_RUN;
            pthread_mutex_unlock(&p->mu);
            if (stop)
                break;
            rc = (t = task_of(b, i)) ? mpr_squeue_put(p->inq, t)
                                     : mpr_last_error();
            mpr_obj_decref(t);
            if (rc < 0)
                fail_task(p, b, i, rc);
        }
        /* the input iterable raised after these tasks: one more task, for
         * a worker to raise it (its result comes back after or among the
         * others', as in CPython) */
        if (b->fail_code < 0 && !stop) {
            mpr_obj_t *t = mpr__pool_reraise_task(b->res->job, b->n_tasks,
                                                  b->fail_code, b->fail_msg);
            int rc = t ? mpr_squeue_put(p->inq, t) : mpr_last_error();

            mpr_obj_decref(t);
            if (rc < 0)
                fail_task(p, b, b->n_tasks, rc);
        }
        mpr__pool_batch_free(b);
    }
    /* Tell the result handler, then every worker, there is no more
     * (after terminate nobody is left to hear it, and a killed worker
     * may hold the outqueue's lock: say nothing). */
    pthread_mutex_lock(&p->mu);
    stopping = p->task_state == MPR__POOL_TERMINATE;
    pthread_mutex_unlock(&p->mu);
    if (!stopping) {
        mpr_squeue_put(p->outq, none);
        for (size_t i = 0; i < (size_t)p->processes; i++)
            if (mpr_squeue_put(p->inq, none) < 0)
                break;
    }
    pthread_mutex_lock(&p->mu);
    p->task_done = 1;
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* ---- result handler ------------------------------------------------------ */

static void dispatch(mpr_pool_t *p, mpr_obj_t *msg)
{
    mpr_obj_t *res = mpr_obj_item(msg, 2), *exc;
    int64_t job = -1, i = -1, code = MPR_EVALUE;
    mpr_asyncresult_t *r;
    int ok, packed, done;

    if (mpr_obj_as_int64(mpr_obj_item(msg, 0), &job) < 0 ||
        mpr_obj_as_int64(mpr_obj_item(msg, 1), &i) < 0 || res == NULL)
        return;
    ok = mpr_obj_truth(mpr_obj_item(res, 0));
    packed = mpr_obj_type(mpr_obj_item(res, 0)) == MPR_OBJ_INT &&
             mpr_obj_int_value(mpr_obj_item(res, 0)) == MPR__RESULT_I64;
    exc = mpr_obj_item(res, 1);
    pthread_mutex_lock(&p->mu);
    r = cache_find(p, job, 0);
    if (r != NULL)
        mpr__res_ref(r);
    pthread_mutex_unlock(&p->mu);
    if (r == NULL)
        return; /* KeyError: pass */
    if (packed) {
        size_t n;
        const unsigned char *v = mpr_obj_bytes_data(exc, &n);

        done = mpr__res_set_i64(r, (size_t)i, v, n / 8);
    } else {
        if (!ok)
            mpr_obj_as_int64(mpr_obj_item(exc, 0), &code);
        done = mpr__res_set(r, (size_t)i, ok, exc, (int)code,
                            ok ? NULL
                               : mpr_obj_str_utf8(mpr_obj_item(exc, 1), NULL));
    }
    if (done) {
        pthread_mutex_lock(&p->mu);
        mpr_asyncresult_t *c = cache_find(p, job, 1);
        pthread_mutex_unlock(&p->mu);
        mpr_asyncresult_free(c);
    }
    mpr_asyncresult_free(r);
}

/*
 * CPython's terminate wakes its result handler with a None on the
 * outqueue, written under the outqueue's writer lock, which a worker
 * killed in the middle of a put would hold for ever.  This one waits on
 * the outqueue's ring for a frame or a kick (mpr__ring_kick, which takes
 * no lock), so terminate needs no lock to stop it.
 */
void *mpr__pool_result_handler(void *arg)
{
    mpr_pool_t *p = arg;
    mpr__ring_t *ring = &mpr__squeue_chan(p->outq)->ring;
    int sentinel = 0;

    for (;;) {
        mpr_obj_t *msg;
        /* Read before the state: a kick made after this ends the wait. */
        uint32_t seq = mpr__ring_seq(ring);
        int stop;

        pthread_mutex_lock(&p->mu);
        stop =
            p->result_state != MPR__POOL_RUN || (sentinel && p->n_cache == 0);
        pthread_mutex_unlock(&p->mu);
        if (stop)
            break;
        if (!mpr__ring_wait_seq(ring, seq, 1.0)) /* as in the worker handler */
            continue;
        if (mpr_squeue_get(p->outq, &msg) < 0)
            break;
        if (mpr_obj_is_none(msg))
            sentinel = 1;
        else
            dispatch(p, msg);
        mpr_obj_decref(msg);
    }
    return NULL;
}
