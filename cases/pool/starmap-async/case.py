# spec: CPython's _TestPool.test_starmap_async: starmap_async(func,
# iterable) returns a MapResult whose get() is
# list(itertools.starmap(func, iterable)), in input order, with the
# default chunksize and with chunksize=20; its callback gets that list in
# the parent; a task's exception reaches get() and error_callback.
import itertools
import multiprocessing as mp


def mul(x, y):
    return x * y


def div(x, y):
    if y == 0:
        raise ValueError('cannot divide %d by %d' % (x, y))
    return x // y


if __name__ == '__main__':
    tuples = list(zip(range(100), range(99, -1, -1)))
    expected = list(itertools.starmap(mul, tuples))
    with mp.Pool(2) as p:
        r = p.starmap_async(mul, tuples)
        print('type:', type(r).__name__)
        got = r.get(timeout=30)
        print('default chunksize:', got == expected, len(got))
        got = p.starmap_async(mul, tuples, chunksize=20).get(timeout=30)
        print('chunksize=20:', got == expected, len(got))
        print('short:', p.starmap_async(mul, [(1, 2), (3, 4), (5, 6)], 1).get(timeout=30))
        print('empty:', p.starmap_async(mul, []).get(timeout=30))
        r = p.starmap_async(mul, [(2, 3), (4, 5)], callback=lambda v: print('callback:', v))
        print('get:', r.get(timeout=30))
        r = p.starmap_async(div, [(6, 3), (1, 0)],
                            error_callback=lambda e: print('error_callback:', type(e).__name__, e))
        r.wait(30)
        try:
            r.get(timeout=30)
        except ValueError as e:
            print('get:', type(e).__name__, e)
        print('successful:', r.successful())
