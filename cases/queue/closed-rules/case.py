# Not a document example: a spec case for cpython-testsuite.md section 6
# (test_closed_queue_put_get_exceptions, TestSimpleQueue) and
# cpython-semantics.md 6.1-6.3.
# After close(), put, put_nowait, get and get_nowait raise ValueError
# 'Queue <repr> is closed' (the queue's own repr) for Queue and
# JoinableQueue; close() twice is fine; qsize() still answers; once
# join_thread() has waited for the feeder, which closes the pipe, empty()
# is OSError 'handle is closed' (a queue that never started a feeder keeps
# its pipe open); join_thread() on an open queue is an AssertionError.
# SimpleQueue: empty() is right across processes, close() is idempotent
# and closes both ends (OSError 'handle is closed' from get, put, empty).
import multiprocessing as mp


def putter(q, items):
    for i in items:
        q.put(i)


def report(label, f, *args):
    try:
        r = f(*args)
    except Exception as e:
        print('%s: %s: %s' % (label, type(e).__name__, e))
    else:
        print('%s: returned %r' % (label, r))


if __name__ == '__main__':
    for cls in (mp.Queue, mp.JoinableQueue):
        q = cls()
        print(repr(q))
        report('join_thread() while open', q.join_thread)
        q.put(1)
        q.put(2)
        q.close()
        q.close()
        for name, args in (('put', (3,)), ('put_nowait', (3,)), ('get', ()),
                           ('get_nowait', ()), ('get(True, 1)', (True, 1))):
            report(name, getattr(q, name.split('(')[0]), *args)
        report('qsize', q.qsize)
        report('join_thread', q.join_thread)
        report('empty', q.empty)
        q2 = cls()
        q2.close()
        report('never fed, closed: put', q2.put, 1)
        report('never fed, closed: empty', q2.empty)
        report('never fed, closed: join_thread', q2.join_thread)

    sq = mp.SimpleQueue()
    print(repr(sq))
    print('empty:', sq.empty())
    p = mp.Process(target=putter, args=(sq, ['a', None, ('b',)]))
    p.start()
    p.join()
    print('a child put 3:', sq.empty())
    print('got', [sq.get() for i in range(3)], sq.empty())
    sq.put('again')
    print('after put:', sq.empty(), sq.get())
    sq.close()
    sq.close()
    report('SimpleQueue get', sq.get)
    report('SimpleQueue put', sq.put, 1)
    report('SimpleQueue empty', sq.empty)
