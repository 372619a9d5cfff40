/*
 * pool.c - multiprocessing.pool.Pool (CPython 3.11): the workers, the
 * three handler threads of the parent and the task submission calls.
 *
 *   worker handler  replaces workers that ended (crash, maxtasksperchild)
 *                   as soon as their sentinel fires; after close() it
 *                   keeps them until every pending job is back, then
 *                   tells the task handler to stop
 *   task handler    takes submitted jobs in order and writes their tasks
 *                   to the inqueue (so map_async never blocks on a pipe);
 *                   at the end, one None per worker and one for the
 *                   result handler
 *   result handler  reads (job, i, result) from the outqueue and sets the
 *                   job's result object, running callbacks in this thread
 *
 * Per-process state only; the queues are SimpleQueues (squeue.c).
 */
#include "mpr/pool.h"
#include "mpr/main.h"
#include "internal.h"
#include "pool_internal.h"
#include "process_internal.h"
#include "queue_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { RUN, CLOSE, TERMINATE };
static const char *const state_names[] = {"RUN", "CLOSE", "TERMINATE"};

#define NBUCKETS 256

/* One submitted job on the task queue. */
typedef struct batch_s {
    mpr_asyncresult_t *res; /* the job's result (a reference) */
    mpr_obj_t *fid;         /* how the worker finds func */
    int kind;               /* MPR__TASK_* */
    mpr_obj_t *items;       /* APPLY: (args, kwargs); else the items */
    size_t chunksize, n_tasks;
    struct batch_s *next;
} batch_t;

struct mpr_pool_s {
    pthread_mutex_t mu;       /* guards state, the task queue, the cache */
    pthread_cond_t cv;        /* task queue not empty */
    int state;                /* _state */
    int task_state;           /* _task_handler._state */
    int result_state;         /* _result_handler._state */
    int processes;            /* _processes */
    int maxtasks;             /* _maxtasksperchild (0: None) */
    mpr_target_t initializer; /* _initializer */
    mpr_obj_t *initargs;      /* _initargs */
    const char *method;       /* the context's start method */
    mpr_squeue_t *inq, *outq; /* _inqueue, _outqueue */
    mpr_process_t **workers;  /* _pool */
    size_t n_workers;
    batch_t *tq_head, *tq_tail; /* _taskqueue */
    int tq_stop;                /* None on the task queue */
    mpr_asyncresult_t *cache[NBUCKETS]; /* _cache, by job */
    size_t n_cache;
    int notify[2];            /* _change_notifier */
    int rh_wake[2];           /* wakes the result handler on terminate */
    pthread_t wh, th, rh;     /* the handlers */
    int threads;              /* handlers started */
    int threads_joined;       /* handlers joined */
    int task_done;            /* the task handler has ended */
    int workers_joined;       /* workers joined */
    long fin;                 /* the exit finalizer (terminate) */
};

static _Atomic long job_counter; /* itertools.count() */

/* ---- small helpers ------------------------------------------------------- */

static void notify(mpr_pool_t *p)
{
    char c = 0;
    ssize_t n = write(p->notify[1], &c, 1);

    (void)n; /* a full pipe already says "something changed" */
}

static void cache_add(mpr_pool_t *p, mpr_asyncresult_t *r)
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
                notify(p); /* _PoolCache: the worker handler re-checks */
        }
        return r;
    }
    return NULL;
}

static void batch_free(batch_t *b)
{
    mpr_asyncresult_free(b->res);
    mpr_obj_decref(b->fid);
    mpr_obj_decref(b->items);
    free(b);
}

/* ---- workers ------------------------------------------------------------- */

/* The worker's args: the queues (inherited under fork, reduced
 * otherwise), the initializer, initargs, maxtasks. */
static mpr_obj_t *worker_args(mpr_pool_t *p)
{
    int fork = strcmp(p->method, "fork") == 0;
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
    return mpr_obj_tuple_steal(5, inq, outq, init,
                               mpr_obj_incref(p->initargs),
                               mpr_obj_int(p->maxtasks));
}

/* Starts one worker: Process(target=worker, ...), "Process" in its name
 * replaced by "PoolWorker", daemonic. */
static int start_worker(mpr_pool_t *p)
{
    mpr_process_options_t o = {.target = mpr__pool_worker,
                               .daemon = MPR_TRUE,
                               .context = p->method};
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
    if ((rc = mpr_process_start(w)) < 0) {
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
            mpr_process_join(w, MPR_TIMEOUT_NONE);
            mpr_process_free(w);
            cleaned = 1;
        } else {
            p->workers[kept++] = w;
        }
    }
    p->n_workers = kept;
    while (cleaned && p->n_workers < (size_t)p->processes)
        if (start_worker(p) < 0)
            break;
}

static int pool_state(mpr_pool_t *p)
{
    int s;

    pthread_mutex_lock(&p->mu);
    s = p->state;
    pthread_mutex_unlock(&p->mu);
    return s;
}

static void *worker_handler(void *arg)
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
        if (!(s == RUN || (pending > 0 && s != TERMINATE)))
            break;
        maintain_pool(p);
        fds[n++] = (struct pollfd){.fd = p->notify[0], .events = POLLIN};
        for (size_t i = 0; i < p->n_workers && n < 257; i++) {
            int fd = mpr_process_sentinel(p->workers[i]);
            if (fd >= 0)
                fds[n++] = (struct pollfd){.fd = fd, .events = POLLIN};
        }
        if (poll(fds, n, -1) > 0 && (fds[0].revents & POLLIN)) {
            char buf[64];
            ssize_t r = read(p->notify[0], buf, sizeof(buf));
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

/* Task i of batch b: (job, i, func, kind, payload). */
static mpr_obj_t *task_of(batch_t *b, size_t i)
{
    mpr_obj_t *payload;

    if (b->kind == MPR__TASK_APPLY)
        payload = mpr_obj_incref(b->items);
    else {
        size_t lo = i * b->chunksize, n = mpr_obj_len(b->items) - lo;
        mpr_obj_t *t;

        if (n > b->chunksize)
            n = b->chunksize;
        if ((t = mpr_obj_tuple_new(n)) == NULL)
            return NULL;
        for (size_t k = 0; k < n; k++)
            mpr_obj_tuple_set_steal(
                t, k, mpr_obj_incref(mpr_obj_item(b->items, lo + k)));
        payload = t;
    }
    return mpr_obj_tuple_steal(5, mpr_obj_int(b->res->job), mpr_obj_int(i),
                               mpr_obj_incref(b->fid), mpr_obj_int(b->kind),
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

static void *task_handler(void *arg)
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
            stop = p->task_state != RUN;
            pthread_mutex_unlock(&p->mu);
            if (stop)
                break;
            rc = (t = task_of(b, i)) ? mpr_squeue_put(p->inq, t)
                                     : mpr_last_error();
            mpr_obj_decref(t);
            if (rc < 0)
                fail_task(p, b, i, rc);
        }
        batch_free(b);
    }
    /* Tell the result handler, then every worker, there is no more
     * (after terminate nobody is left to hear it, and a killed worker
     * may hold the outqueue's lock: say nothing). */
    pthread_mutex_lock(&p->mu);
    stopping = p->task_state == TERMINATE;
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
    int ok;

    if (mpr_obj_as_int64(mpr_obj_item(msg, 0), &job) < 0 ||
        mpr_obj_as_int64(mpr_obj_item(msg, 1), &i) < 0 || res == NULL)
        return;
    ok = mpr_obj_truth(mpr_obj_item(res, 0));
    exc = mpr_obj_item(res, 1);
    pthread_mutex_lock(&p->mu);
    r = cache_find(p, job, 0);
    if (r != NULL)
        mpr__res_ref(r);
    pthread_mutex_unlock(&p->mu);
    if (r == NULL)
        return; /* KeyError: pass */
    if (!ok)
        mpr_obj_as_int64(mpr_obj_item(exc, 0), &code);
    if (mpr__res_set(r, (size_t)i, ok, exc, (int)code,
                     ok ? NULL : mpr_obj_str_utf8(mpr_obj_item(exc, 1), NULL))) {
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
 * killed in the middle of a put would hold for ever.  This one also
 * watches a pipe of its own, so terminate needs no lock to stop it.
 */
static void *result_handler(void *arg)
{
    mpr_pool_t *p = arg;
    int sentinel = 0;
    struct pollfd fds[2] = {
        {.fd = mpr_conn_fileno(mpr__squeue_reader(p->outq)), .events = POLLIN},
        {.fd = p->rh_wake[0], .events = POLLIN},
    };

    for (;;) {
        mpr_obj_t *msg;
        int stop;

        pthread_mutex_lock(&p->mu);
        stop = p->result_state != RUN || (sentinel && p->n_cache == 0);
        pthread_mutex_unlock(&p->mu);
        if (stop)
            break;
        if (poll(fds, 2, -1) < 0 || !(fds[0].revents & (POLLIN | POLLHUP)))
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

/* ---- submission ---------------------------------------------------------- */

int mpr__pool_check_running(mpr_pool_t *p)
{
    if (pool_state(p) != RUN)
        return mpr__error(MPR_EVALUE, "Pool not running");
    return 0;
}

int mpr__pool_processes(const mpr_pool_t *p)
{
    return p->processes;
}

int mpr__pool_submit(mpr_pool_t *p, mpr_pool_func_t fn, int kind,
                     const mpr_obj_t *items, size_t chunksize, size_t n_tasks,
                     mpr_asyncresult_t *r)
{
    batch_t *b = calloc(1, sizeof(*b));

    if (b == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    b->fid = mpr__pool_func_id((void (*)(void))fn,
                               strcmp(p->method, "fork") == 0);
    if (b->fid == NULL) {
        free(b);
        return mpr_last_error();
    }
    b->res = mpr__res_ref(r);
    b->kind = kind;
    b->items = mpr_obj_incref((mpr_obj_t *)items);
    b->chunksize = chunksize;
    b->n_tasks = n_tasks;
    pthread_mutex_lock(&p->mu);
    if (p->state != RUN) {
        pthread_mutex_unlock(&p->mu);
        batch_free(b);
        return mpr__error(MPR_EVALUE, "Pool not running");
    }
    cache_add(p, r);
    if (p->tq_tail != NULL)
        p->tq_tail->next = b;
    else
        p->tq_head = b;
    p->tq_tail = b;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return 0;
}

long mpr__pool_next_job(void)
{
    return atomic_fetch_add(&job_counter, 1);
}

/* ---- construction -------------------------------------------------------- */

static int check_options(const mpr_pool_options_t *o, int *processes)
{
    int n = o->processes;

    if (n == 0 && !(o->flags & MPR_POOL_PROCESSES_SET)) {
        n = mpr_cpu_count();
        if (n < 1)
            n = 1;
    }
    if (n < 1)
        return mpr__error(MPR_EVALUE, "Number of processes must be at least 1");
    if ((o->flags & MPR_POOL_MAXTASKS_SET || o->maxtasksperchild != 0) &&
        o->maxtasksperchild <= 0)
        return mpr__error(MPR_EVALUE,
                          "maxtasksperchild must be a positive int or None");
    *processes = n;
    return 0;
}

static void exit_terminate(void *arg)
{
    mpr_pool_t *p = arg;

    p->fin = 0;
    mpr_pool_terminate(p);
}

static int start_threads(mpr_pool_t *p)
{
    int e;

    if ((e = pthread_create(&p->wh, NULL, worker_handler, p)) != 0)
        return mpr__error(MPR__ERR(e), NULL);
    if ((e = pthread_create(&p->th, NULL, task_handler, p)) != 0) {
        p->threads = 1;
        return mpr__error(MPR__ERR(e), NULL);
    }
    if ((e = pthread_create(&p->rh, NULL, result_handler, p)) != 0) {
        p->threads = 2;
        return mpr__error(MPR__ERR(e), NULL);
    }
    p->threads = 3;
    return 0;
}

static void release(mpr_pool_t *p)
{
    for (size_t b = 0; b < NBUCKETS; b++)
        while (p->cache[b] != NULL) {
            mpr_asyncresult_t *r = p->cache[b];
            p->cache[b] = r->cache_next;
            mpr_asyncresult_free(r);
        }
    while (p->tq_head != NULL) {
        batch_t *b = p->tq_head;
        p->tq_head = b->next;
        batch_free(b);
    }
    for (size_t i = 0; i < p->n_workers; i++)
        mpr_process_free(p->workers[i]);
    free(p->workers);
    mpr_squeue_free(p->inq);
    mpr_squeue_free(p->outq);
    mpr_obj_decref(p->initargs);
    for (int i = 0; i < 2; i++) {
        if (p->notify[i] >= 0)
            close(p->notify[i]);
        if (p->rh_wake[i] >= 0)
            close(p->rh_wake[i]);
    }
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p);
}

static int pool_init(mpr_pool_t *p, const mpr_pool_options_t *o)
{
    int rc;

    if ((rc = mpr_get_context(o->context, &p->method)) < 0)
        return rc;
    if (o->initargs == NULL)
        p->initargs = mpr_obj_tuple(0);
    else if ((rc = mpr__obj_to_tuple(o->initargs, &p->initargs)) < 0)
        return rc;
    if (p->initargs == NULL)
        return mpr_last_error();
    if (o->initializer != NULL) {
        mpr_obj_t *id = mpr__pool_func_id((void (*)(void))o->initializer,
                                          strcmp(p->method, "fork") == 0);
        if (id == NULL)
            return mpr_last_error();
        mpr_obj_decref(id);
    }
    p->initializer = o->initializer;
    p->maxtasks = o->maxtasksperchild;
    if ((p->workers = calloc((size_t)p->processes, sizeof(*p->workers))) ==
        NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    if (pipe2(p->notify, O_CLOEXEC | O_NONBLOCK) < 0 ||
        pipe2(p->rh_wake, O_CLOEXEC | O_NONBLOCK) < 0)
        return mpr__oserror();
    if ((rc = mpr_squeue_new(&p->inq)) < 0 ||
        (rc = mpr_squeue_new(&p->outq)) < 0)
        return rc;
    for (int i = 0; i < p->processes; i++)
        if ((rc = start_worker(p)) < 0)
            return rc;
    return start_threads(p);
}

/* _terminate_pool, for every state the pool can be in (also a half-built
 * one): stop the handlers, SIGTERM the workers, reap everything. */
static void terminate_pool(mpr_pool_t *p)
{
    mpr_conn_t *reader = p->inq ? mpr__squeue_reader(p->inq) : NULL;
    int done = 0;

    pthread_mutex_lock(&p->mu);
    p->state = p->task_state = p->result_state = TERMINATE;
    if (p->threads < 1)
        p->tq_stop = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    notify(p);
    if (p->threads >= 1 && !p->threads_joined)
        pthread_join(p->wh, NULL); /* it stops the task handler */
    for (size_t i = 0; i < p->n_workers; i++) {
        int code;
        if (mpr_process_exitcode(p->workers[i], &code) == 0)
            mpr_process_terminate(p->workers[i]);
    }
    for (size_t i = 0; i < p->n_workers; i++)
        mpr_process_join(p->workers[i], MPR_TIMEOUT_NONE);
    /* _help_stuff_finish: the task handler may be blocked on a full
     * inqueue nobody reads any more.  The workers are gone, so this is now
     * the only reader (their rlock may have died with them: read raw). */
    while (p->threads >= 2 && !p->threads_joined && !done) {
        /* Raw bytes, not messages: a worker killed while reading may
         * have left half of one. */
        while (mpr_conn_poll(reader, 0.0) > 0) {
            char buf[65536];
            if (read(mpr_conn_fileno(reader), buf, sizeof(buf)) <= 0)
                break;
        }
        pthread_mutex_lock(&p->mu);
        done = p->task_done;
        pthread_mutex_unlock(&p->mu);
        if (!done)
            usleep(1000);
    }
    if (p->threads >= 3 && !p->threads_joined) {
        char c = 0;
        ssize_t n = write(p->rh_wake[1], &c, 1);
        (void)n;
    }
    if (p->threads >= 2 && !p->threads_joined)
        pthread_join(p->th, NULL);
    if (p->threads >= 3 && !p->threads_joined)
        pthread_join(p->rh, NULL);
    p->threads_joined = 1;
    p->workers_joined = 1;
}

int mpr_pool_new(mpr_pool_t **out, const mpr_pool_options_t *opts)
{
    mpr_pool_options_t none = {0};
    const mpr_pool_options_t *o = opts ? opts : &none;
    mpr_pool_t *p;
    pthread_condattr_t ca;
    int rc, n = 0;

    if ((rc = check_options(o, &n)) < 0)
        return rc;
    if ((p = calloc(1, sizeof(*p))) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    p->processes = n;
    p->notify[0] = p->notify[1] = -1;
    p->rh_wake[0] = p->rh_wake[1] = -1;
    pthread_mutex_init(&p->mu, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&p->cv, &ca);
    pthread_condattr_destroy(&ca);
    mpr__util_init();
    if ((rc = pool_init(p, o)) < 0) {
        /* TestPoolNotLeakOnFailure: workers already started end too. */
        if (p->notify[0] >= 0)
            terminate_pool(p);
        release(p);
        return rc;
    }
    if ((p->fin = mpr__finalize_register(15, exit_terminate, p)) < 0)
        p->fin = 0;
    *out = p;
    return 0;
}

void mpr_pool_free(mpr_pool_t *p)
{
    if (p == NULL)
        return;
    if (p->fin) {
        mpr__finalize_cancel(p->fin);
        p->fin = 0;
    }
    if (!p->threads_joined || !p->workers_joined)
        terminate_pool(p);
    release(p);
}

int mpr_pool_size(const mpr_pool_t *p)
{
    return p->processes;
}

int mpr_pool_close(mpr_pool_t *p)
{
    pthread_mutex_lock(&p->mu);
    if (p->state == RUN)
        p->state = CLOSE;
    pthread_mutex_unlock(&p->mu);
    notify(p);
    return 0;
}

int mpr_pool_terminate(mpr_pool_t *p)
{
    if (p->fin) {
        mpr__finalize_cancel(p->fin);
        p->fin = 0;
    }
    if (!p->threads_joined || !p->workers_joined)
        terminate_pool(p);
    pthread_mutex_lock(&p->mu);
    p->state = TERMINATE;
    pthread_mutex_unlock(&p->mu);
    return 0;
}

int mpr_pool_join(mpr_pool_t *p)
{
    if (pool_state(p) == RUN)
        return mpr__error(MPR_EVALUE, "Pool is still running");
    if (!p->threads_joined) {
        pthread_join(p->wh, NULL);
        pthread_join(p->th, NULL);
        pthread_join(p->rh, NULL);
        p->threads_joined = 1;
    }
    if (!p->workers_joined) {
        for (size_t i = 0; i < p->n_workers; i++)
            mpr_process_join(p->workers[i], MPR_TIMEOUT_NONE);
        p->workers_joined = 1;
    }
    return 0;
}

int mpr_pool_repr(const mpr_pool_t *p, char **out, size_t *len)
{
    char tmp[128];
    int n = snprintf(tmp, sizeof(tmp),
                     "<multiprocessing.pool.Pool state=%s pool_size=%d>",
                     state_names[pool_state((mpr_pool_t *)p)], p->processes);

    if ((*out = strdup(tmp)) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    if (len != NULL)
        *len = (size_t)n;
    return 0;
}
