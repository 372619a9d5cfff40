# Not a document example: a spec case for cpython-testsuite.md section 6
# (get/put timeouts honoured) and cpython-semantics.md 6.1.
# A child blocks in get() on an empty Queue, holding the queue's reader
# lock.  The parent's get(timeout=0.3) and get(True, 0.3) must still give
# up with queue.Empty after 0.3 s (the timeout covers the wait for the lock,
# not only for data), get(False) and get_nowait() at once; the item the
# parent then puts goes to the blocked child.  The same with a full
# Queue(1): put(x, timeout=0.3) gives up with queue.Full after 0.3 s while
# a child is blocked in put().
import multiprocessing as mp
import queue
import time


def blocked_reader(q, out):
    out.put(('reader got', q.get()))


def blocked_writer(q):
    q.put('second')


def timed(f, *args, **kwargs):
    t = time.monotonic()
    try:
        r = f(*args, **kwargs)
    except (queue.Empty, queue.Full) as e:
        r = type(e).__name__
    return r, time.monotonic() - t


if __name__ == '__main__':
    q = mp.Queue()
    out = mp.Queue()
    p = mp.Process(target=blocked_reader, args=(q, out))
    p.start()
    time.sleep(0.5)
    for label, args, kwargs in (('get(timeout=0.3)', (), {'timeout': 0.3}),
                                ('get(True, 0.3)', (True, 0.3), {})):
        r, dt = timed(q.get, *args, **kwargs)
        print('%s: %s waited 0.3: %s' % (label, r, 0.3 <= dt < 5.0))
    for label, f, args in (('get(False)', q.get, (False,)), ('get_nowait()', q.get_nowait, ())):
        r, dt = timed(f, *args)
        print('%s: %s at once: %s' % (label, r, dt < 1.0))
    print('reader alive:', p.is_alive())
    q.put('x')
    print(out.get(timeout=60))
    p.join()
    print('reader exitcode', p.exitcode, 'qsize', q.qsize())

    q1 = mp.Queue(1)
    q1.put('first')
    p = mp.Process(target=blocked_writer, args=(q1,))
    p.start()
    time.sleep(0.5)
    r, dt = timed(q1.put, 'third', timeout=0.3)
    print('put(timeout=0.3) on a full queue: %s waited 0.3: %s' % (r, 0.3 <= dt < 5.0))
    r, dt = timed(q1.put_nowait, 'third')
    print('put_nowait: %s at once: %s' % (r, dt < 1.0))
    print('writer alive:', p.is_alive())
    print('got', q1.get(timeout=60), q1.get(timeout=60))
    p.join()
    print('writer exitcode', p.exitcode, 'qsize', q1.qsize())
