# Not a document example: a spec case for cpython-testsuite.md section 6
# (test_fork's order, the FIFO guarantee per producer) and
# cpython-semantics.md 6.1 (exit flush).
# Three producer processes and the main process put 30 numbered items each
# on one Queue; each producer also puts a 4 MiB bytes item among them.
# Whatever the interleaving, every producer's items come out in the order
# it put them, the large ones intact and in place.  A child whose 4 MiB
# item is still unread cannot exit (its feeder must write it first); it
# exits with 0 once the parent has read it.
import multiprocessing as mp

BIG = bytes(range(256)) * (4 * 1024 * 1024 // 256)


def producer(q, name, n, big_at):
    for i in range(n):
        if i == big_at:
            q.put((name, 'big', BIG))
        q.put((name, i))


def show(item):
    if item[1] == 'big':
        print(item[0], 'big', len(item[2]), item[2] == BIG)
    else:
        print(*item)


if __name__ == '__main__':
    q = mp.Queue()
    procs = [mp.Process(target=producer, args=(q, 'p%d' % k, 30, 10 * k))
             for k in range(3)]
    for p in procs:
        p.start()
    for i in range(30):
        q.put(('main', i))
    for i in range(4 * 30 + 3):
        show(q.get(timeout=60))
    for p in procs:
        p.join()
    print('exitcodes', [p.exitcode for p in procs], 'qsize', q.qsize())

    p = mp.Process(target=producer, args=(q, 'late', 1, 0))
    p.start()
    p.join(0.5)
    print('4 MiB unread: alive', p.is_alive(), 'exitcode', p.exitcode, flush=True)
    show(q.get(timeout=60))
    show(q.get(timeout=60))
    p.join()
    print('after the get: exitcode', p.exitcode)
