/*
 * pool.h - multiprocessing.pool.Pool (CPython 3.11): a fixed number of
 * daemonic worker processes (ForkPoolWorker-N, SpawnPoolWorker-N,
 * ForkServerPoolWorker-N) fed through a SimpleQueue, with apply, map,
 * starmap, imap and imap_unordered, their async forms, AsyncResult,
 * callbacks run in the parent's result-handler thread, close / terminate
 * / join, and dead workers replaced.
 *
 * Functions.  A pool function is `int fn(mpr_obj_t *args, mpr_obj_t
 * *kwargs, mpr_obj_t **result)`: Python's func(*args, **kwargs).  It
 * stores a new reference in *result and returns 0, or returns a negative
 * MPR_E code (mpr_target_error(MPR_EVALUE, "bad %d", x) sets the message)
 * for an exception, which the parent re-raises with the same code and
 * message.  Workers find the function by the name it was registered under
 * (MPR_TARGET(fn) at file scope, as for Process targets), so that spawn
 * and forkserver workers can run it; a fork pool also accepts unregistered
 * functions.  The initializer is a Process target (process.h) called as
 * initializer(*initargs) once in each worker.
 *
 * Dead workers.  As in CPython, a worker that ends (killed, or done with
 * its maxtasksperchild tasks) is replaced as soon as its sentinel fires,
 * and the pool goes on; a task it was running is lost, so its job never
 * completes (get(timeout) is MPR_ETIMEOUT; map, and close() + join(),
 * wait for ever).  Doing better would need workers to announce each task
 * they take, which CPython's protocol does not.  A worker killed while it
 * waits for a task holds the inqueue's reader lock for ever (CPython's
 * SemLock has the same hazard).  terminate() never waits on a lock a
 * killed worker may hold.
 *
 * Return values follow the conventions of <mpr.h>.  Values are borrowed by the
 * calls and results are new references.  Result objects and iterators are the
 * caller's, freed with mpr_asyncresult_free / mpr_imap_free (they stay
 * valid after the pool is freed; they just never complete then).
 */
#ifndef MPR_POOL_H
#define MPR_POOL_H

#include "common.h"
#include "obj.h"
#include "process.h"
#include "timeout.h"

#include <stddef.h>

typedef struct mpr_pool_s mpr_pool_t;
/* ApplyResult (alias AsyncResult) and MapResult. */
typedef struct mpr_asyncresult_s mpr_asyncresult_t;
/* IMapIterator and IMapUnorderedIterator. */
typedef struct mpr_imap_s mpr_imap_t;

/* func(*args, **kwargs): 0 and a new reference in *result, or a negative
 * MPR_E code (the exception). */
typedef int (*mpr_pool_func_t)(mpr_obj_t *args, mpr_obj_t *kwargs,
                               mpr_obj_t **result);

/* callback(result): result is borrowed.  Runs in the result handler. */
typedef void (*mpr_pool_callback_t)(mpr_obj_t *result, void *arg);

/* error_callback(exception): the exception's code and message. */
typedef void (*mpr_pool_error_callback_t)(int code, const char *message,
                                          void *arg);

/* Flags of mpr_pool_options_t. */
enum {
    /* processes is what the caller passed, even 0 (Pool(0) raises). */
    MPR_POOL_PROCESSES_SET = 1u << 0,
    /* maxtasksperchild is what the caller passed, even 0 (raises). */
    MPR_POOL_MAXTASKS_SET = 1u << 1,
};

/*
 * The workers' Process class, as a context whose Process is a class of the
 * caller's would give it (CPython's TestPoolNotLeakOnFailure passes a
 * mock context whose Process fails on its 4th start()).  The pool still
 * makes each worker an mpr_process_t, then calls these instead of the
 * real methods: create right after making it, start for start(),
 * terminate and join for terminate() and join().  A NULL hook is the real
 * method.  A start that fails makes mpr_pool_new fail with its error
 * after terminating (those whose exitcode is None) and joining the
 * workers already started, through these hooks too.
 * zero-initialise; fields may be added.
 */
typedef struct {
    void (*create)(mpr_process_t *w, void *arg);
    int (*start)(mpr_process_t *w, void *arg);
    int (*terminate)(mpr_process_t *w, void *arg);
    int (*join)(mpr_process_t *w, void *arg);
    void *arg;
} mpr_pool_process_class_t;

/*
 * Options of mpr_pool_new: Pool(processes=None, initializer=None,
 * initargs=(), maxtasksperchild=None, context=None).
 * zero-initialise; fields may be added.
 */
typedef struct {
    int processes;             /* processes=None: 0 is os.cpu_count() */
    mpr_target_t initializer;  /* initializer=None */
    const mpr_obj_t *initargs; /* initargs=(): NULL is () */
    int maxtasksperchild;      /* maxtasksperchild=None: 0 is None */
    const char *context;       /* NULL: the default context */
    unsigned flags;            /* MPR_POOL_* */
    const mpr_pool_process_class_t *process; /* context.Process: NULL is the
                                                context's own */
} mpr_pool_options_t;

/* chunksize=None for map, starmap and their async forms. */
#define MPR_CHUNKSIZE_NONE (-1000000)

/*
 * Pool(...): starts the workers (daemonic; names from the shared process
 * counter, "Process" replaced by "PoolWorker") and the three handler
 * threads.  At exit the pool is terminated (CPython's finalizer,
 * exitpriority 15) unless joined before.
 * Returns: 0 and the pool in *out.
 * Errors: MPR_EVALUE "Number of processes must be at least 1",
 * "maxtasksperchild must be a positive int or None"; MPR_EPICKLE when a
 * spawn or forkserver pool's initializer is not registered; the errors of
 * mpr_process_start (workers already started are terminated); -ENOMEM.
 */
MPR_EXTERN int mpr_pool_new(mpr_pool_t **out, const mpr_pool_options_t *opts);

/* Terminates the pool if it was not joined, joins it, frees it.  NULL is
 * a no-op. */
MPR_EXTERN void mpr_pool_free(mpr_pool_t *pool);

/* The number of workers (len(pool._pool) as configured). */
MPR_EXTERN int mpr_pool_size(const mpr_pool_t *pool);

/*
 * apply(func, args=(), kwds={}): runs func(*args, **kwds) in a worker and
 * waits for it.  args NULL is (), kwargs NULL is {}.
 * Returns: 0 and the result (new reference) in *out.
 * Errors: MPR_EVALUE "Pool not running"; the worker's exception (its code
 * and message); MPR_EPICKLE when func cannot be named for a worker.
 */
MPR_EXTERN int mpr_pool_apply(mpr_pool_t *pool, mpr_pool_func_t func,
                              const mpr_obj_t *args, const mpr_obj_t *kwargs,
                              mpr_obj_t **out);

/*
 * apply_async(func, args, kwds, callback=None, error_callback=None): as
 * apply, without waiting.  cb_arg is passed to the callbacks.
 * Returns: 0 and an ApplyResult in *out (free with mpr_asyncresult_free).
 * Errors: MPR_EVALUE "Pool not running".
 */
MPR_EXTERN int mpr_pool_apply_async(mpr_pool_t *pool, mpr_pool_func_t func,
                                    const mpr_obj_t *args,
                                    const mpr_obj_t *kwargs,
                                    mpr_pool_callback_t callback,
                                    mpr_pool_error_callback_t error_callback,
                                    void *cb_arg, mpr_asyncresult_t **out);

/*
 * map(func, iterable, chunksize=None): [func(x) for x in iterable] in
 * input order.  iterable is a list or tuple.  chunksize
 * MPR_CHUNKSIZE_NONE uses CPython's formula (len / (4 * pool size),
 * rounded up); an explicit chunksize <= 0 gives [None] * len without
 * calling func, as CPython does.
 * Returns: 0 and the list in *out.
 * Errors: MPR_EVALUE "Pool not running"; MPR_ETYPE for an iterable that
 * is not a list or tuple; the first failure a worker reports (after every
 * chunk has come back, as CPython).
 */
MPR_EXTERN int mpr_pool_map(mpr_pool_t *pool, mpr_pool_func_t func,
                            const mpr_obj_t *iterable, int chunksize,
                            mpr_obj_t **out);

/* map_async: a MapResult whose callback gets the whole list once. */
MPR_EXTERN int mpr_pool_map_async(mpr_pool_t *pool, mpr_pool_func_t func,
                                  const mpr_obj_t *iterable, int chunksize,
                                  mpr_pool_callback_t callback,
                                  mpr_pool_error_callback_t error_callback,
                                  void *cb_arg, mpr_asyncresult_t **out);

/* starmap / starmap_async: func(*x) for each tuple or list x. */
MPR_EXTERN int mpr_pool_starmap(mpr_pool_t *pool, mpr_pool_func_t func,
                                const mpr_obj_t *iterable, int chunksize,
                                mpr_obj_t **out);
MPR_EXTERN int mpr_pool_starmap_async(mpr_pool_t *pool, mpr_pool_func_t func,
                                      const mpr_obj_t *iterable, int chunksize,
                                      mpr_pool_callback_t callback,
                                      mpr_pool_error_callback_t error_callback,
                                      void *cb_arg, mpr_asyncresult_t **out);

/*
 * imap(func, iterable, chunksize=1) / imap_unordered: an iterator over
 * the results, in input order or in completion order.
 * Returns: 0 and the iterator in *out (free with mpr_imap_free).
 * Errors: MPR_EVALUE "Pool not running", "Chunksize must be 1+, not N".
 */
MPR_EXTERN int mpr_pool_imap(mpr_pool_t *pool, mpr_pool_func_t func,
                             const mpr_obj_t *iterable, int chunksize,
                             mpr_imap_t **out);
MPR_EXTERN int mpr_pool_imap_unordered(mpr_pool_t *pool, mpr_pool_func_t func,
                                       const mpr_obj_t *iterable, int chunksize,
                                       mpr_imap_t **out);

/*
 * An input iterable that is not a list or tuple (a generator, an object
 * with __next__): next(arg, &item) is its __next__: it returns 1 with a
 * new reference in *item, 0 at the end (StopIteration), or a negative
 * code for the exception it raises (mpr_target_error sets the message; a
 * class of the program's own comes from MPR_EXCEPTION).  len is
 * len(iterable) when the iterable has __len__, or -1 when it has none.
 * zero-initialise; fields may be added.
 */
typedef struct {
    int (*next)(void *arg, mpr_obj_t **item);
    void *arg;
    long len; /* __len__, or -1 */
} mpr_pool_iter_t;

/*
 * map, imap and imap_unordered over an iterator.  The call draws every
 * item before it returns, in the calling thread (CPython's map does the
 * same when the iterable has no __len__; its imap draws them in its task
 * handler as the tasks go out: an endless iterator is not supported
 * here).  An exception of the iterator, after the tasks of the whole
 * chunks before it (the chunk it interrupted is dropped, as
 * Pool._get_tasks drops it), becomes the outcome of one more task, as
 * CPython's _guarded_task_generation makes it: map raises it once every
 * earlier chunk is back (with no __len__, map raises it at once, from
 * list(iterable)); imap yields every earlier result, then raises it, then
 * stops; imap_unordered raises it among the results, when its turn
 * comes.  The exception is the iterator's own (code and message), not a
 * worker's.  len (or, with none, the number of items) is what the default
 * chunksize of map is computed from.
 * Errors: those of mpr_pool_map, mpr_pool_imap; the iterator's exception
 * (map only: imap's come from mpr_imap_next).
 */
MPR_EXTERN int mpr_pool_map_iter(mpr_pool_t *pool, mpr_pool_func_t func,
                                 const mpr_pool_iter_t *it, int chunksize,
                                 mpr_obj_t **out);
MPR_EXTERN int mpr_pool_imap_iter(mpr_pool_t *pool, mpr_pool_func_t func,
                                  const mpr_pool_iter_t *it, int chunksize,
                                  mpr_imap_t **out);
MPR_EXTERN int mpr_pool_imap_unordered_iter(mpr_pool_t *pool,
                                            mpr_pool_func_t func,
                                            const mpr_pool_iter_t *it,
                                            int chunksize, mpr_imap_t **out);

/*
 * next(timeout=None) of an imap iterator.
 * Returns: 1 and the next result (new reference) in *out; 0 when the
 * results are exhausted (StopIteration).
 * Errors: MPR_ETIMEOUT (multiprocessing.TimeoutError) when the next result
 * did not come in time; the worker's exception for a failed item (the
 * iterator then continues after it, as CPython's).
 */
MPR_EXTERN int mpr_imap_next(mpr_imap_t *it, double timeout, mpr_obj_t **out);

/* Frees an iterator (NULL is a no-op). */
MPR_EXTERN void mpr_imap_free(mpr_imap_t *it);

/*
 * __enter__ of `with pool as as:`: checks that the pool still runs, so
 * that the body can run, and gives the pool itself as the target in *as
 * (NULL on error).  __exit__ is mpr_pool_terminate.
 * Returns: 0.  Errors: MPR_EVALUE "Pool not running" after close() or
 * terminate() (nothing else changes: a closed pool stays CLOSE).
 */
MPR_EXTERN int mpr_pool_enter(mpr_pool_t *pool, mpr_pool_t **as);

/*
 * close(): no more tasks; the workers exit once the pending ones are done.
 * terminate(): stops the workers at once (SIGTERM); pending results never
 * complete.  Both idempotent.  Returns: 0.
 */
MPR_EXTERN int mpr_pool_close(mpr_pool_t *pool);
MPR_EXTERN int mpr_pool_terminate(mpr_pool_t *pool);

/*
 * join(): waits for the handler threads and every worker to end.
 * Returns: 0.  Errors: MPR_EVALUE "Pool is still running" before close()
 * or terminate().
 */
MPR_EXTERN int mpr_pool_join(mpr_pool_t *pool);

/* repr: "<multiprocessing.pool.Pool state=RUN pool_size=2>" (RUN, CLOSE,
 * TERMINATE).  Returns 0 and a buffer (mpr_free).  Errors: -ENOMEM. */
MPR_EXTERN int mpr_pool_repr(const mpr_pool_t *pool, char **out, size_t *len);

/*
 * MaybeEncodingError (MPR_EENCODING).  As in CPython, a worker whose
 * result cannot be pickled (an object whose class's reduce fails, a Lock,
 * a closed Connection: what mpr_pickle_dumps refuses) sends
 * MaybeEncodingError(e, value) instead and lives on; the job fails with
 * it (get(), map(), imap's next(), and error_callback, which gets the
 * same exception).  Its message is str(e): "Error sending result:
 * 'VALUE'. Reason: 'EXC'", where EXC is e.exc, repr() of the pickling
 * error ("RuntimeError('Lock objects should only be shared between
 * processes through inheritance')"), and VALUE is e.value, repr() of the
 * result (of a map chunk: the list of its results).
 *
 * mpr_maybe_encoding_error_attrs gives e.exc and e.value of the
 * MaybeEncodingError that the last failing call of this thread returned,
 * or that the error_callback running in this thread was given (borrowed,
 * valid until the next such call in this thread, as
 * mpr_last_error_detail).
 * Returns: 0.  Errors: MPR_EVALUE when this thread's last error is not a
 * MaybeEncodingError.
 */
MPR_EXTERN int mpr_maybe_encoding_error_attrs(const char **exc,
                                              const char **value);

/* ---- AsyncResult --------------------------------------------------------- */

/*
 * get(timeout=None): waits for the result.
 * Returns: 0 and the value (new reference) in *out.
 * Errors: MPR_ETIMEOUT (multiprocessing.TimeoutError) when not ready in
 * time; the worker's exception (code and message) when the call failed;
 * MPR_EENCODING (MaybeEncodingError) when its result could not be sent.
 */
MPR_EXTERN int mpr_asyncresult_get(mpr_asyncresult_t *r, double timeout,
                                   mpr_obj_t **out);

/* wait(timeout=None): waits until ready or the timeout.  Returns 0. */
MPR_EXTERN int mpr_asyncresult_wait(mpr_asyncresult_t *r, double timeout);

/* ready(): 1 or 0. */
MPR_EXTERN int mpr_asyncresult_ready(mpr_asyncresult_t *r);

/* successful(): 1 or 0.  Errors: MPR_EVALUE "<multiprocessing.pool.
 * ApplyResult object at 0x...> not ready". */
MPR_EXTERN int mpr_asyncresult_successful(mpr_asyncresult_t *r);

/* repr: "<multiprocessing.pool.ApplyResult object at 0x...>" (MapResult
 * for map_async and starmap_async).  Buffer freed with mpr_free. */
MPR_EXTERN int mpr_asyncresult_repr(const mpr_asyncresult_t *r, char **out,
                                    size_t *len);

/* type(r).__name__: "ApplyResult" or "MapResult".  Static. */
MPR_EXTERN const char *mpr_asyncresult_type_name(const mpr_asyncresult_t *r);

/* Drops the caller's reference (NULL is a no-op). */
MPR_EXTERN void mpr_asyncresult_free(mpr_asyncresult_t *r);

#endif /* MPR_POOL_H */
