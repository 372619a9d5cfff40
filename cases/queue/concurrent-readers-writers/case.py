# Not a document example: a spec case for cpython-testsuite.md section 6
# (Queue and SimpleQueue across processes; the FIFO guarantee per producer).
# Three writer processes and three reader processes use one queue at once,
# a SimpleQueue and then a Queue.  The items (50 000 bytes, far more than
# the pipe writes atomically) are never torn or mixed: every item reaches
# exactly one reader, intact, and each reader sees each writer's items in
# the order they were put.  How the items split between the readers is
# left open (not printed).
import multiprocessing as mp

SIZE = 50000


def payload(name, i):
    return bytes([(i * 7 + ord(name[-1])) % 256]) * (SIZE - i) + name.encode()


def writer(q, name, n):
    for i in range(n):
        q.put((name, i, payload(name, i)))


def reader(q, results, k):
    seen, intact = [], True
    while True:
        item = q.get()
        if item is None:
            break
        name, i, data = item
        intact = intact and data == payload(name, i)
        seen.append((name, i))
    in_order = all([i for n, i in seen if n == name] == sorted(i for n, i in seen if n == name)
                   for name in ('w0', 'w1', 'w2'))
    results.put((k, seen, intact, in_order))


if __name__ == '__main__':
    for kind in (mp.SimpleQueue, mp.Queue):
        q = kind()
        results = mp.Queue()
        readers = [mp.Process(target=reader, args=(q, results, k)) for k in range(3)]
        writers = [mp.Process(target=writer, args=(q, 'w%d' % k, 20)) for k in range(3)]
        for p in readers + writers:
            p.start()
        for p in writers:
            p.join()
        for p in readers:
            q.put(None)
        got = sorted((results.get(timeout=60) for p in readers), key=lambda r: r[0])
        for p in readers:
            p.join()
        seen = [x for r in got for x in r[1]]
        print(kind.__name__ + ':', len(seen), 'items;',
              'each once:', sorted(seen) == [('w%d' % k, i) for k in range(3) for i in range(20)],
              'intact:', all(r[2] for r in got),
              'in order:', all(r[3] for r in got),
              'reports:', [r[0] for r in got],
              'exitcodes:', [p.exitcode for p in readers + writers])
