# spec: CPython's _TestPool.test_map_unplicklable (bpo-19425): map() over
# arguments that cannot be pickled raises the pickling error in the
# caller instead of hanging (the task handler fails the job); so do
# map() with chunksize=1 and apply_async().get(); the pool stays usable.
# So do the objects multiprocessing's pickler itself refuses: a Lock
# outside spawning, a closed Connection.
import multiprocessing as mp


class A(object):
    def __reduce__(self):
        raise RuntimeError('cannot pickle')


def sqr(x):
    return x * x


def show(what, f):
    try:
        print(what, repr(f()))
    except Exception as e:
        print(what, type(e).__name__, e)


if __name__ == '__main__':
    with mp.Pool(2) as p:
        show('map:', lambda: p.map(sqr, [A()] * 10))
        show('map chunksize=1:', lambda: p.map(sqr, [A()] * 10, 1))
        show('map one of three:', lambda: p.map(sqr, [1, A(), 3], 1))
        show('apply_async get:', lambda: p.apply_async(sqr, (A(),)).get(timeout=30))
        show('map lock:', lambda: p.map(sqr, [1, mp.Lock(), 3], 1))
        a, b = mp.Pipe()
        a.close()
        show('map closed connection:', lambda: p.map(sqr, [a]))
        b.close()
        show('map after:', lambda: p.map(sqr, range(5)))
    p.join()
