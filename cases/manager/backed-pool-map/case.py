# not a document example: CPython's _TestPool as the suite runs it a second
# time on a SyncManager's Pool proxy (WithManagerTestPool: self.pool is
# manager.Pool(4), living in the server; map_async and the like return
# AsyncResult proxies, imap and imap_unordered Iterator proxies). The
# functions and their arguments are pickled to the server, which runs the
# pool's workers; results and exceptions come back by value.
import gc
import itertools
import multiprocessing as mp
import time
import weakref


def sqr(x, wait=0.0):
    time.sleep(wait)
    return x * x


def mul(x, y):
    return x * y


def identity(x):
    return x


class CountedObject(object):
    n_instances = 0

    def __new__(cls):
        cls.n_instances += 1
        return object.__new__(cls)

    def __del__(self):
        type(self).n_instances -= 1


class A(object):
    def __reduce__(self):
        raise RuntimeError('cannot pickle')


def same(label, got, expected):
    print('%s: %s' % (label, 'as expected' if got == expected else got))


if __name__ == '__main__':
    manager = mp.Manager()
    pool = manager.Pool(4)
    print('pool: %r' % pool)

    # test_apply
    print('apply:', pool.apply(sqr, (5,)), pool.apply(sqr, (), {'x': 3}))

    # test_map
    print('map:', pool.map(sqr, list(range(10))))
    same('map 100, chunksize=20', pool.map(sqr, list(range(100)), chunksize=20),
         list(map(sqr, range(100))))

    # test_starmap, test_starmap_async
    tuples = list(zip(range(10), range(9, -1, -1)))
    print('starmap:', pool.starmap(mul, tuples))
    tuples = list(zip(range(100), range(99, -1, -1)))
    expected = list(itertools.starmap(mul, tuples))
    same('starmap 100, chunksize=20', pool.starmap(mul, tuples, chunksize=20),
         expected)
    r = pool.starmap_async(mul, tuples)
    print('starmap_async: %r' % r)
    same('starmap_async 100 get()', r.get(), expected)

    # test_map_async
    print('map_async get():', pool.map_async(sqr, list(range(10))).get())

    # test_map_async_callbacks: the callbacks are a manager list's bound
    # append, called in the server's pool before the result is ready
    call_args = manager.list()
    pool.map_async(int, ['1'], callback=call_args.append,
                   error_callback=call_args.append).wait()
    print('callback:', len(call_args), call_args[0])
    pool.map_async(int, ['a'], callback=call_args.append,
                   error_callback=call_args.append).wait()
    print('error_callback: %d %s %s' % (len(call_args), type(call_args[1]).__name__,
                                        call_args[1]))

    # test_map_unplicklable: the argument fails to pickle on the way to the
    # server; the pool stays usable
    try:
        pool.map(sqr, [A()] * 10)
    except RuntimeError as e:
        print('map of unpicklable:', type(e).__name__, e)
    print('apply after it:', pool.apply(sqr, (6,)))

    # test_map_chunksize
    print('map_async([], chunksize=1):',
          pool.map_async(sqr, [], chunksize=1).get(timeout=0.1))

    # test_async
    res = pool.apply_async(sqr, (7, 0.1))
    print('apply_async: %r' % res)
    print('get():', res.get())

    # test_imap
    it = pool.imap(sqr, list(range(10)))
    print('imap: %r' % it)
    print('list(imap):', list(it))
    it = pool.imap(sqr, list(range(10)))
    print('next() x10:', [next(it) for i in range(10)])
    try:
        next(it)
    except StopIteration as e:
        print('next() past the end:', type(e).__name__, e.args)
    it = pool.imap(sqr, list(range(1000)), chunksize=100)
    same('imap 1000, chunksize=100', [next(it) for i in range(1000)],
         [i * i for i in range(1000)])
    try:
        next(it)
    except StopIteration as e:
        print('next() past the end:', type(e).__name__, e.args)

    # test_imap_unordered
    it = pool.imap_unordered(sqr, list(range(10)))
    print('sorted(imap_unordered):', sorted(it))
    it = pool.imap_unordered(sqr, list(range(1000)), chunksize=100)
    same('imap_unordered 1000, chunksize=100', sorted(it),
         [i * i for i in range(1000)])

    # test_empty_iterable
    p = manager.Pool(1)
    print('empty:', p.map(sqr, []), list(p.imap(sqr, [])),
          list(p.imap_unordered(sqr, [])), p.map_async(sqr, []).get())
    p.close()
    p.join()

    # test_release_task_refs: nothing in this process keeps the arguments
    # or the returned copies alive
    objs = [CountedObject() for i in range(10)]
    refs = [weakref.ref(o) for o in objs]
    pool.map(identity, objs)
    del objs
    gc.collect()
    time.sleep(0.1)
    print('after map(identity):', set(wr() for wr in refs),
          CountedObject.n_instances)

    pool.terminate()
    pool.join()
    manager.shutdown()
