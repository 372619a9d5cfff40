/*
 * pool_internal.h - what pool.c, pool_result.c and pool_worker.c share:
 * the pool object, the result objects (ApplyResult, MapResult, the imap
 * iterators, one structure) and the worker's entry point.  Hidden.
 */
#ifndef MPR_POOL_INTERNAL_H
#define MPR_POOL_INTERNAL_H

#include "mpr/pool.h"
#include "mpr/queue.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

/* What a task asks the worker to do with its payload. */
enum {
    MPR__TASK_APPLY = 0,   /* payload (args, kwargs): one call */
    MPR__TASK_MAP = 1,     /* payload (x, ...): [func(x) for x in chunk] */
    MPR__TASK_STARMAP = 2, /* payload (t, ...): [func(*t) for t in chunk] */
    MPR__TASK_MAP_I64 = 3, /* MAP of a chunk of ints only: payload bytes,
                            * their int64 values in host order */
};

/* The success field of a result whose value is a chunk of ints only,
 * packed as the payload of MPR__TASK_MAP_I64 (1 and 0 are True and
 * False).  Pool messages never leave C processes of one host. */
#define MPR__RESULT_I64 2

/* Kinds of result object. */
enum { MPR__RES_APPLY, MPR__RES_MAP, MPR__RES_IMAP, MPR__RES_IMAP_UNORDERED };

/* One chunk's outcome (imap iterators keep them until yielded). */
typedef struct {
    int state;    /* 0 pending, 1 value, 2 exception */
    mpr_obj_t *v; /* the chunk's list of results (state 1) */
    int code;     /* the exception (state 2) */
    char *msg;    /* its message (and attributes: pool_result.c) */
} mpr__slot_t;

struct mpr_asyncresult_s {
    _Atomic int refs;              /* the caller's + the cache's */
    int kind;                      /* MPR__RES_* */
    long job;                      /* _job */
    pthread_mutex_t mu;            /* guards what follows */
    pthread_cond_t cv;             /* _event / _cond (CLOCK_MONOTONIC) */
    int ready;                     /* _event.is_set() */
    int success;                   /* _success */
    mpr_obj_t *value;              /* _value: apply's value; map's list */
    int code;                      /* the exception when !success */
    char *msg;                     /* its message (and attributes) */
    size_t chunksize;              /* MapResult/imap: items per task */
    size_t length;                 /* number of items */
    size_t number_left;            /* tasks not yet back */
    mpr_pool_callback_t cb;        /* callback */
    mpr_pool_error_callback_t ecb; /* error_callback */
    void *cb_arg;
    mpr__slot_t *slots; /* imap: one per chunk */
    size_t n_slots;
    size_t *arrived; /* imap_unordered: chunk indices in order */
    size_t n_arrived;
    size_t next_slot; /* imap: next chunk to yield (position) */
    size_t pos;       /* position inside the chunk being yielded */
    mpr_obj_t *cur;   /* that chunk */
    struct mpr_asyncresult_s *cache_next; /* bucket chain in the cache */
};

struct mpr_imap_s {
    mpr_asyncresult_t *r;
};

/* ---- pool_result.c ------------------------------------------------------- */

/* A new result (one reference, the caller's). */
mpr_asyncresult_t *mpr__res_new(int kind, long job);

/* Adds a reference. */
mpr_asyncresult_t *mpr__res_ref(mpr_asyncresult_t *r);

/* Sets task i's outcome (ok: v is the value / the chunk's list; else
 * code and msg, and v is NULL or the exception as the worker sent it,
 * whose MaybeEncodingError attributes are kept).  Runs the callbacks in the
 * calling thread when the result completes.  Returns 1 when the result is now
 * complete (it should leave the cache), else 0. */
int mpr__res_set(mpr_asyncresult_t *r, size_t i, int ok, mpr_obj_t *v, int code,
                 const char *msg);

/* mpr__res_set for a successful chunk of n ints (a MPR__RESULT_I64
 * result): a MapResult stores them without building the chunk's list. */
int mpr__res_set_i64(mpr_asyncresult_t *r, size_t i, const unsigned char *v,
                     size_t n);

/* Makes a map result ready at once with [None] * length (chunksize <= 0
 * or nothing to do). */
void mpr__res_set_empty(mpr_asyncresult_t *r);

/* ---- the pool object (pool.c, pool_handlers.c) -------------------------- */

enum { MPR__POOL_RUN, MPR__POOL_CLOSE, MPR__POOL_TERMINATE };

#define NBUCKETS 256

/* One submitted job on the task queue. */
typedef struct batch_s {
    mpr_asyncresult_t *res; /* the job's result (a reference) */
    mpr_obj_t *fid;         /* how the worker finds func */
    int kind;               /* MPR__TASK_* */
    mpr_obj_t *items;       /* APPLY: (args, kwargs); else the items */
    size_t chunksize, n_tasks;
    int fail_code;  /* the input iterable's exception, as task n_tasks */
    char *fail_msg; /* (CPython's _helper_reraises_exception); 0: none */
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
    batch_t *tq_head, *tq_tail;         /* _taskqueue */
    int tq_stop;                        /* None on the task queue */
    mpr_asyncresult_t *cache[NBUCKETS]; /* _cache, by job */
    size_t n_cache;
    int notify[2];                    /* _change_notifier */
    pthread_t wh, th, rh;             /* the handlers */
    int threads;                      /* handlers started */
    int threads_joined;               /* handlers joined */
    int task_done;                    /* the task handler has ended */
    int workers_joined;               /* workers joined */
    long fin;                         /* the exit finalizer (terminate) */
    mpr_pool_process_class_t process; /* the workers' class: hooks or NULL */
};

/* The workers' start/terminate/join, through the class's hooks when it
 * has them (pool_handlers.c). */
int mpr__pool_worker_terminate(mpr_pool_t *p, mpr_process_t *w);
int mpr__pool_worker_join(mpr_pool_t *p, mpr_process_t *w);

/* pool_handlers.c: */
void mpr__pool_notify(mpr_pool_t *p); /* wakes the worker handler */
void mpr__pool_cache_add(mpr_pool_t *p, mpr_asyncresult_t *r); /* p->mu held */
void mpr__pool_batch_free(batch_t *b);
int mpr__pool_start_worker(mpr_pool_t *p); /* one more worker */
int mpr__pool_state(mpr_pool_t *p);        /* p->state, locked */
void *mpr__pool_worker_handler(void *arg);
void *mpr__pool_task_handler(void *arg);
void *mpr__pool_result_handler(void *arg);

/* ---- pool.c ------------------------------------------------------------- */

/* MPR_EVALUE "Pool not running" unless the pool is running. */
int mpr__pool_check_running(mpr_pool_t *p);

/* The pool's size (len(self._pool) in the chunksize formula). */
int mpr__pool_processes(const mpr_pool_t *p);

/* The next job number (itertools.count(), shared by every pool). */
long mpr__pool_next_job(void);

/* Queues a job of n_tasks tasks (chunks of items) for r, which enters the
 * cache.  Errors: MPR_EVALUE "Pool not running"; MPR_EPICKLE when fn
 * cannot be named for a worker; -ENOMEM. */
int mpr__pool_submit(mpr_pool_t *p, mpr_pool_func_t fn, int kind,
                     const mpr_obj_t *items, size_t chunksize, size_t n_tasks,
                     mpr_asyncresult_t *r);

/* mpr__pool_submit of a job whose input iterable raised fail_code (with
 * message fail_msg, copied) after the items of its n_tasks tasks: one
 * more task, index n_tasks, raises that exception in a worker once they
 * have all been sent, as CPython's _guarded_task_generation does.
 * fail_code 0 is mpr__pool_submit. */
int mpr__pool_submit_failing(mpr_pool_t *p, mpr_pool_func_t fn, int kind,
                             const mpr_obj_t *items, size_t chunksize,
                             size_t n_tasks, mpr_asyncresult_t *r,
                             int fail_code, const char *fail_msg);

/* ---- pool_worker.c ------------------------------------------------------- */

/* How a worker finds func: its registered name, or (fork only) its
 * address.  Returns a new reference, or NULL (MPR_EPICKLE set). */
mpr_obj_t *mpr__pool_func_id(void (*fn)(void), int fork);

/* The task (index i of job) that raises, in a worker, the exception the
 * input iterable raised (CPython's _helper_reraises_exception).  Returns
 * a new reference, or NULL. */
mpr_obj_t *mpr__pool_reraise_task(long job, size_t i, int code,
                                  const char *msg);

/* The worker's target, registered as "mpr__pool_worker". */
int mpr__pool_worker(mpr_obj_t *args, mpr_obj_t *kwargs);

#endif /* MPR_POOL_INTERNAL_H */
