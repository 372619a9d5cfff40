# Not a document example: a spec case for cpython-testsuite.md section 6
# (test_put, test_get, test_qsize) and cpython-semantics.md 6.1.
# On a full Queue(3), put with block=False raises queue.Full at once
# whatever its timeout (put_nowait too, and a negative timeout tries once);
# put(x, True, T) raises Full only after T.  The same for get and
# queue.Empty on an empty queue.  A blocked put or get with a timeout
# succeeds as soon as a child makes room or brings an item.  qsize, empty
# and full follow the items (read where no feeder race can hide one: after
# the child that put them has exited), gets are FIFO, and Queue(-5) is
# unbounded.
import multiprocessing as mp
import queue
import time


def filler(q, items):
    for i in items:
        q.put(i)


def late_getter(q):
    time.sleep(0.5)
    print('child got', q.get(), flush=True)


def late_putter(q):
    time.sleep(0.5)
    q.put('late')


def timed(f, *args, **kwargs):
    t = time.monotonic()
    try:
        r = f(*args, **kwargs)
    except (queue.Full, queue.Empty) as e:
        r = type(e).__name__
        assert type(e) in (queue.Full, queue.Empty) and str(e) == ''
    return r, time.monotonic() - t


if __name__ == '__main__':
    q = mp.Queue(3)
    print('new: empty=%s full=%s qsize=%s' % (q.empty(), q.full(), q.qsize()))
    p = mp.Process(target=filler, args=(q, [0, 1, 2]))
    p.start()
    p.join()
    print('a child put 3: empty=%s full=%s qsize=%s' % (q.empty(), q.full(), q.qsize()))
    for label, args, kwargs in (('put(9, False)', (9, False), {}),
                                ('put(9, False, None)', (9, False, None), {}),
                                ('put(9, False, 5)', (9, False, 5), {}),
                                ('put(9, timeout=-1)', (9,), {'timeout': -1}),
                                ('put(9, True, 0)', (9, True, 0), {})):
        r, dt = timed(q.put, *args, **kwargs)
        print('%s: %s at once: %s' % (label, r, dt < 1.0))
    r, dt = timed(q.put_nowait, 9)
    print('put_nowait(9): %s at once: %s' % (r, dt < 1.0))
    for label, args, kwargs in (('put(9, True, 0.3)', (9, True, 0.3), {}),
                                ('put(9, timeout=0.3)', (9,), {'timeout': 0.3})):
        r, dt = timed(q.put, *args, **kwargs)
        print('%s: %s waited 0.3: %s' % (label, r, 0.3 <= dt < 5.0))
    print('still: full=%s qsize=%s' % (q.full(), q.qsize()))
    print('got', [q.get() for i in range(3)])
    print('drained: empty=%s full=%s qsize=%s' % (q.empty(), q.full(), q.qsize()))
    for label, args, kwargs in (('get(False)', (False,), {}),
                                ('get(False, None)', (False, None), {}),
                                ('get(False, 5)', (False, 5), {}),
                                ('get(timeout=-1)', (), {'timeout': -1}),
                                ('get(True, 0)', (True, 0), {})):
        r, dt = timed(q.get, *args, **kwargs)
        print('%s: %s at once: %s' % (label, r, dt < 1.0))
    r, dt = timed(q.get_nowait)
    print('get_nowait(): %s at once: %s' % (r, dt < 1.0))
    for label, args, kwargs in (('get(True, 0.3)', (True, 0.3), {}),
                                ('get(timeout=0.3)', (), {'timeout': 0.3})):
        r, dt = timed(q.get, *args, **kwargs)
        print('%s: %s waited 0.3: %s' % (label, r, 0.3 <= dt < 5.0), flush=True)

    p = mp.Process(target=late_putter, args=(q,))
    p.start()
    r, dt = timed(q.get, True, 30)
    print('get(True, 30) while a child puts: %r before the timeout: %s' % (r, dt < 30))
    p.join()

    for i in (10, 11, 12):
        q.put(i)
    print('refilled: full=%s qsize=%s' % (q.full(), q.qsize()), flush=True)
    p = mp.Process(target=late_getter, args=(q,))
    p.start()
    r, dt = timed(q.put, 99, timeout=30)
    p.join()
    print('put(99, timeout=30) while a child gets: %r before the timeout: %s' % (r, dt < 30))
    print('got', [q.get() for i in range(3)], q.qsize())

    q2 = mp.Queue(-5)
    for i in range(40):
        q2.put_nowait(i)
    print('Queue(-5) after 40 put_nowait: full=%s qsize=%s' % (q2.full(), q2.qsize()))
    print('in order:', [q2.get(timeout=30) for i in range(40)] == list(range(40)))
