# spec: cpython-testsuite.md sections 13 and 14: proxies given to Pool tasks
# as arguments (pickled through the task queue, not at process start, so
# the worker rebuilds them with its own authkey, which it inherited) reach
# the manager from every worker under every start method; a KeyError raised
# by the server for a worker's lookup comes back from apply(), get() and
# map() in the parent with its class and message; the writes of all tasks
# are there after map() returns, and a task sees the parent's later
# changes (clear()).
import multiprocessing as mp


def work(args):
    d, l, i = args
    l.append(i)
    d[i] = i * i
    return d.get(i), i in d


def lookup(args):
    d, k = args
    return d[k]


def make(args):
    d, k = args
    return d.get(k, 'default')


def show(what, f):
    try:
        print(what, repr(f()))
    except Exception as e:
        print(what, type(e).__name__, e)


if __name__ == '__main__':
    with mp.Manager() as m:
        d = m.dict()
        l = m.list()
        with mp.Pool(2) as p:
            show('map work:', lambda: p.map(work, [(d, l, i) for i in range(8)], chunksize=1))
            show('l:', lambda: (sorted(l), len(l)))
            show('d:', lambda: sorted(d.items()))
            show('lookup 3:', lambda: p.apply(lookup, ((d, 3),)))
            show('lookup zz:', lambda: p.apply(lookup, ((d, 'zz'),)))
            show('lookup (1, 2) async:', lambda: p.apply_async(lookup, ((d, (1, 2)),)).get(timeout=30))
            show('map lookup:', lambda: p.map(lookup, [(d, k) for k in (0, 1, 'gone', 2)]))
            show('make:', lambda: p.map(make, [(d, 7), (d, 70)]))
            d.clear()
            show('after clear:', lambda: p.map(make, [(d, 7)]))
        print('d:', d, 'l:', len(l))
