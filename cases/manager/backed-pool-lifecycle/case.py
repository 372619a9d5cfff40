# not a document example: CPython's _TestPool tests of a pool's life and
# errors as the suite runs them a second time on a SyncManager's Pool proxy
# (WithManagerTestPool). manager.Pool() runs Pool() in the server, so a bad
# size comes back as RemoteError (with the server's traceback); a task's
# exception comes back by value, re-raised in the caller. The suite's
# test_context and test_traceback check nothing for a manager; here their
# process-pool checks are made on the proxy: `with` terminates the server's
# pool, and the exception has lost its RemoteTraceback cause on its way
# back (the cause is not pickled).
import multiprocessing as mp
from multiprocessing.managers import RemoteError
import time


def sqr(x, wait=0.0):
    time.sleep(wait)
    return x * x


def raise_large_valuerror(wait):
    time.sleep(wait)
    raise ValueError("x" * 1024**2)


def raise_123():
    raise RuntimeError(123)  # some comment


def raise_foo():
    raise RuntimeError('foo')


def error(e):
    return '%s.%s' % (type(e).__module__, type(e).__name__)


if __name__ == '__main__':
    manager = mp.Manager()

    # test_make_pool
    for n in (-1, 0):
        try:
            manager.Pool(n)
        except RemoteError as e:
            last = [l for l in str(e).splitlines() if l.startswith('ValueError')]
            print('Pool(%d): %s %s' % (n, error(e), last))

    # test_async_timeout
    p = manager.Pool(3)
    res = p.apply_async(sqr, (6, 30.1))
    t0 = time.monotonic()
    try:
        res.get(timeout=0.1)
    except mp.TimeoutError as e:
        print('get(timeout=0.1): %s after %.3f s' % (error(e), time.monotonic() - t0))
    p.terminate()
    p.join()

    # test_terminate: 10 000 tasks of 300 s queued, terminate() and join()
    # return at once
    p = manager.Pool(3)
    t0 = time.monotonic()
    result = p.map_async(time.sleep, [300] * 10000, chunksize=1)
    p.terminate()
    p.join()
    print('terminate() and join() with 10000 queued: %.3f s' % (time.monotonic() - t0))

    # test_context, as the suite checks it on a process pool
    with manager.Pool(2) as p:
        print('map_async in with:', p.map_async(sqr, list(range(10))).get())
    p.join()
    try:
        p.map_async(sqr, list(range(10)))
    except ValueError as e:
        print('map_async after with:', error(e), e)

    # test_traceback, as the suite checks it on a process pool
    with manager.Pool(1) as p:
        try:
            p.apply(raise_123)
        except Exception as e:
            print('apply: %s %r cause %r' % (error(e), e.args, e.__cause__))
    p.join()

    # test_wrapped_exception
    with manager.Pool(1) as p:
        try:
            p.apply(raise_foo)
        except RuntimeError as e:
            print('apply:', error(e), e)
    p.join()

    # test_map_no_failfast: close() and join() wait for the slow task after
    # map() raised the fast one's 1 MiB ValueError
    t0 = time.monotonic()
    try:
        with manager.Pool(2) as p:
            try:
                p.map(raise_large_valuerror, [0, 1])
            finally:
                time.sleep(0.5)
                p.close()
                p.join()
    except ValueError as e:
        print('map: %s of %d characters' % (error(e), len(str(e))))
    print('waited for the slow task: %.3f s' % (time.monotonic() - t0))
    manager.shutdown()
