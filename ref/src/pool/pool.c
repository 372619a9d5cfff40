/*
 * pool.c - multiprocessing.pool.Pool (CPython 3.11): construction,
 * submission, close / terminate / join.  The workers and the three
 * handler threads of the parent are in pool_handlers.c:
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
#include "mpr/context.h"
#include "base/internal.h"
#include "base/io.h"
#include "obj/objimpl.h"
#include "pool/pool_internal.h"
#include "process/launcher.h"
#include "base/finalize.h"
#include "queue/channel.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const state_names[] = {"RUN", "CLOSE", "TERMINATE"};

static _Atomic long job_counter; /* itertools.count() */

/* ---- submission ---------------------------------------------------------- */

int mpr__pool_check_running(mpr_pool_t *p)
{
    if (mpr__pool_state(p) != MPR__POOL_RUN)
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
    return mpr__pool_submit_failing(p, fn, kind, items, chunksize, n_tasks, r,
                                    0, NULL);
}

int mpr__pool_submit_failing(mpr_pool_t *p, mpr_pool_func_t fn, int kind,
                             const mpr_obj_t *items, size_t chunksize,
                             size_t n_tasks, mpr_asyncresult_t *r,
                             int fail_code, const char *fail_msg)
{
    batch_t *b = mpr__sys.calloc(1, sizeof(*b));

    if (b == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    if (fail_code < 0 && (b->fail_msg = mpr__strdup(fail_msg)) == NULL) {
        free(b);
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    }
    b->fail_code = fail_code;
    b->fid =
        mpr__pool_func_id((void (*)(void))fn, !mpr__launcher(p->method)->fresh);
    if (b->fid == NULL) {
        free(b->fail_msg);
        free(b);
        return mpr_last_error();
    }
    b->res = mpr__res_ref(r);
    b->kind = kind;
    b->items = mpr_obj_incref((mpr_obj_t *)items);
    b->chunksize = chunksize;
    b->n_tasks = n_tasks;
    pthread_mutex_lock(&p->mu);
    if (p->state != MPR__POOL_RUN) {
        pthread_mutex_unlock(&p->mu);
        mpr__pool_batch_free(b);
        return mpr__error(MPR_EVALUE, "Pool not running");
    }
    mpr__pool_cache_add(p, r);
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

    if ((e = mpr__thread_start(&p->wh, mpr__pool_worker_handler, p)) != 0)
        return mpr__error(MPR__ERR(e), NULL);
    if ((e = mpr__thread_start(&p->th, mpr__pool_task_handler, p)) != 0) {
        p->threads = 1;
        return mpr__error(MPR__ERR(e), NULL);
    }
    if ((e = mpr__thread_start(&p->rh, mpr__pool_result_handler, p)) != 0) {
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
        mpr__pool_batch_free(b);
    }
    for (size_t i = 0; i < p->n_workers; i++)
        mpr_process_free(p->workers[i]);
    free(p->workers);
    mpr_squeue_free(p->inq);
    mpr_squeue_free(p->outq);
    mpr_obj_decref(p->initargs);
    for (int i = 0; i < 2; i++) {
        if (p->notify[i] >= 0)
            mpr__sys.close(p->notify[i]);
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
                                          !mpr__launcher(p->method)->fresh);
        if (id == NULL)
            return mpr_last_error();
        mpr_obj_decref(id);
    }
    p->initializer = o->initializer;
    if (o->process != NULL)
        p->process = *o->process;
    p->maxtasks = o->maxtasksperchild;
    if ((p->workers = mpr__sys.calloc((size_t)p->processes,
                                      sizeof(*p->workers))) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    if (mpr__sys.pipe2(p->notify, O_CLOEXEC | O_NONBLOCK) < 0)
        return mpr__oserror();
    if ((rc = mpr_squeue_new(&p->inq)) < 0 ||
        (rc = mpr_squeue_new(&p->outq)) < 0)
        return rc;
    for (int i = 0; i < p->processes; i++)
        if ((rc = mpr__pool_start_worker(p)) < 0)
            return rc;
    return start_threads(p);
}

/* _terminate_pool, for every state the pool can be in (also a half-built
 * one): stop the handlers, SIGTERM the workers, reap everything. */
static void terminate_pool(mpr_pool_t *p)
{
    int done = 0;

    pthread_mutex_lock(&p->mu);
    p->state = p->task_state = p->result_state = MPR__POOL_TERMINATE;
    if (p->threads < 1)
        p->tq_stop = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    mpr__pool_notify(p);
    if (p->threads >= 1 && !p->threads_joined)
        pthread_join(p->wh, NULL); /* it stops the task handler */
    for (size_t i = 0; i < p->n_workers; i++) {
        int code;
        if (mpr_process_exitcode(p->workers[i], &code) == 0)
            mpr__pool_worker_terminate(p, p->workers[i]);
    }
    for (size_t i = 0; i < p->n_workers; i++)
        mpr__pool_worker_join(p, p->workers[i]);
    /* _help_stuff_finish: the task handler may be blocked on a full
     * inqueue nobody reads any more.  The workers are gone, so this is now
     * the only reader (their rlock may have died with them: drain it without
     * the lock). */
    while (p->threads >= 2 && !p->threads_joined && !done) {
        mpr__qchan_drain(mpr__squeue_chan(p->inq));
        pthread_mutex_lock(&p->mu);
        done = p->task_done;
        pthread_mutex_unlock(&p->mu);
        if (!done)
            usleep(1000);
    }
    if (p->threads >= 3 && !p->threads_joined)
        mpr__ring_kick(&mpr__squeue_chan(p->outq)->ring);
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
    if ((p = mpr__sys.calloc(1, sizeof(*p))) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    p->processes = n;
    p->notify[0] = p->notify[1] = -1;
    pthread_mutex_init(&p->mu, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&p->cv, &ca);
    pthread_condattr_destroy(&ca);
    mpr__finalize_init();
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

int mpr_pool_enter(mpr_pool_t *p, mpr_pool_t **as)
{
    int rc;

    /* __enter__: a pool that a with already terminated, or that was
     * closed, must not run the body (bpo-35477) */
    *as = NULL;
    if ((rc = mpr__pool_check_running(p)) < 0)
        return rc;
    *as = p;
    return 0;
}

int mpr_pool_close(mpr_pool_t *p)
{
    pthread_mutex_lock(&p->mu);
    if (p->state == MPR__POOL_RUN)
        p->state = MPR__POOL_CLOSE;
    pthread_mutex_unlock(&p->mu);
    mpr__pool_notify(p);
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
    p->state = MPR__POOL_TERMINATE;
    pthread_mutex_unlock(&p->mu);
    return 0;
}

int mpr_pool_join(mpr_pool_t *p)
{
    if (mpr__pool_state(p) == MPR__POOL_RUN)
        return mpr__error(MPR_EVALUE, "Pool is still running");
    if (!p->threads_joined) {
        pthread_join(p->wh, NULL);
        pthread_join(p->th, NULL);
        pthread_join(p->rh, NULL);
        p->threads_joined = 1;
    }
    if (!p->workers_joined) {
        for (size_t i = 0; i < p->n_workers; i++)
            mpr__pool_worker_join(p, p->workers[i]);
        p->workers_joined = 1;
    }
    return 0;
}

int mpr_pool_repr(const mpr_pool_t *p, char **out, size_t *len)
{
    char tmp[128];
    int n = snprintf(
        tmp, sizeof(tmp), "<multiprocessing.pool.Pool state=%s pool_size=%d>",
        state_names[mpr__pool_state((mpr_pool_t *)p)], p->processes);

    if ((*out = mpr__strdup(tmp)) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    if (len != NULL)
        *len = (size_t)n;
    return 0;
}
