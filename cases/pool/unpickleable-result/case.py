# spec: CPython's _TestPoolWorkerErrors.test_unpickleable_result: a task
# whose result cannot be pickled gives multiprocessing.pool.
# MaybeEncodingError to get() and to error_callback (with .exc, the
# pickling error, and .value, the repr of the result), 20 times in a row
# on a pool of 2: the worker sends the error instead of dying, so no
# worker is lost and the pool still answers afterwards with the same two
# worker processes.
import multiprocessing as mp
import os
from multiprocessing.pool import MaybeEncodingError


def unpickleable_result():
    return lambda: 42


def pid(_):
    return os.getpid()


if __name__ == '__main__':
    p = mp.Pool(2)
    before = sorted(w.pid for w in p._pool)
    for iteration in range(20):
        scratchpad = [None]

        def errback(exc):
            scratchpad[0] = exc

        res = p.apply_async(unpickleable_result, error_callback=errback)
        try:
            res.get(timeout=30)
        except MaybeEncodingError as e:
            got = e
        else:
            got = None
        wrapped = scratchpad[0]
        if iteration == 0:
            print('get():', type(got).__name__)
            print('error_callback:', type(wrapped).__name__, wrapped is got)
            print('exc:', type(wrapped.exc).__name__, wrapped.exc)
            print('value is repr:', wrapped.value.startswith('<function unpickleable_result.<locals>.<lambda> at 0x'))
            print('str:', str(wrapped).replace(wrapped.value, 'VALUE'))
        print(iteration, type(got).__name__, type(wrapped).__name__,
              wrapped.exc is not None and wrapped.value is not None)
    # both workers still serve: the same two processes answer
    pids = set(p.map(pid, range(40), chunksize=1))
    print('workers still there:', sorted(w.pid for w in p._pool) == before,
          pids <= set(before))
    p.close()
    p.join()
    print('done')
