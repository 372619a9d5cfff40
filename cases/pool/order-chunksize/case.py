# spec: cpython-testsuite.md section 14 (Pool): map, starmap, map_async and
# imap return results in input order although later items finish first,
# with the default chunksize and explicit ones; a chunk runs in one worker;
# imap_unordered gives the same multiset; empty inputs give [] without
# stalling; imap ends with StopIteration and refuses chunksize 0 with
# CPython's message; map with chunksize=0 gives [None] * n without calling
# the function.
import os
import time
from multiprocessing import Pool

N = 12


def late_square(x):
    time.sleep((N - x) * 0.01)
    return x * x


def pid_of(x):
    time.sleep(0.01)
    return x, os.getpid()


def mul(a, b):
    return a * b


def boom(x):
    raise RuntimeError('called with %r' % (x,))


def show(what, f):
    try:
        print(what, f())
    except Exception as e:
        print(what, type(e).__name__, e)


def same_worker(results, chunksize):
    pids = [pid for _, pid in results]
    return [len(set(pids[i:i + chunksize])) for i in range(0, len(pids), chunksize)]


if __name__ == '__main__':
    with Pool(4) as p:
        show('map:', lambda: p.map(late_square, range(N)))
        show('map chunksize=1:', lambda: p.map(late_square, range(N), chunksize=1))
        show('map chunksize=5:', lambda: p.map(late_square, range(N), 5))
        show('map chunksize=100:', lambda: p.map(late_square, range(N), 100))
        show('map_async:', lambda: p.map_async(late_square, range(N), 2).get(timeout=30))
        show('starmap:', lambda: p.starmap(mul, [(i, N - i) for i in range(N)]))
        show('starmap chunksize=3:', lambda: p.starmap(mul, [(i, 2) for i in range(N)], 3))
        show('imap:', lambda: list(p.imap(late_square, range(N))))
        show('imap chunksize=5:', lambda: list(p.imap(late_square, range(N), 5)))
        show('imap_unordered sorted:', lambda: sorted(p.imap_unordered(late_square, range(N))))
        show('imap_unordered chunksize=5 sorted:', lambda: sorted(p.imap_unordered(late_square, range(N), 5)))
        r = p.map(pid_of, range(N), chunksize=4)
        print('map chunksize=4 inputs:', [x for x, _ in r])
        print('map chunksize=4 workers per chunk:', same_worker(r, 4))
        r = list(p.imap(pid_of, range(N), 3))
        print('imap chunksize=3 workers per chunk:', same_worker(r, 3))
        show('map empty:', lambda: p.map(late_square, []))
        show('starmap empty:', lambda: p.starmap(mul, []))
        show('imap empty:', lambda: list(p.imap(late_square, [])))
        show('imap_unordered empty:', lambda: list(p.imap_unordered(late_square, [])))
        calls = []
        show('map_async empty:', lambda: p.map_async(late_square, [], callback=calls.append).get(timeout=30))
        print('map_async empty, callback calls:', len(calls))
        show('map chunksize=0:', lambda: p.map(boom, range(3), chunksize=0))
        show('imap chunksize=0:', lambda: p.imap(late_square, range(3), 0))
        show('imap_unordered chunksize=0:', lambda: p.imap_unordered(late_square, range(3), 0))
        it = p.imap(late_square, [3, 4])
        show('next:', lambda: it.next())
        show('next:', lambda: it.next(timeout=30))
        show('next at end:', lambda: it.next())
        show('next again:', lambda: it.next())
