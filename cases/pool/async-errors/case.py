# spec: cpython-testsuite.md section 14 (Pool): an exception raised in a
# task comes back from get(), apply() and map() with its class and message;
# error_callback receives it and callback is not called (and the reverse on
# success), both in the parent process; ready()/successful() before and
# after completion (successful() too early is ValueError "<...> not ready");
# get(timeout) on a slow task raises multiprocessing.TimeoutError and
# wait(timeout) returns None; Pool(0), Pool(-1) and maxtasksperchild=0 are
# ValueError with CPython's messages; apply/map/apply_async after close() or
# terminate() are ValueError 'Pool not running'; the pool repr shows its
# state; terminate() does not wait for a running task.
import multiprocessing as mp
import os
import time

PARENT = os.getpid()


def slow(x):
    time.sleep(x)
    return x


def fail(x):
    raise ValueError('bad %d' % x)


def fail_some(x):
    if x == 3:
        raise KeyError(x)
    return -x


def add(a, b=10):
    return a + b


def show(what, f):
    try:
        print(what, repr(f()))
    except Exception as e:
        print(what, type(e).__name__, e)


def callback(tag):
    def cb(value):
        where = 'parent' if os.getpid() == PARENT else 'worker'
        print('%s callback: %r in %s %s' % (tag, value, where, mp.current_process().name))
    return cb


def error_callback(tag):
    def ecb(e):
        where = 'parent' if os.getpid() == PARENT else 'worker'
        print('%s error_callback: %s %s in %s %s' % (tag, type(e).__name__, e, where,
                                                    mp.current_process().name))
    return ecb


if __name__ == '__main__':
    show('Pool(0):', lambda: mp.Pool(0))
    show('Pool(-1):', lambda: mp.Pool(-1))
    show('Pool(1, maxtasksperchild=0):', lambda: mp.Pool(1, maxtasksperchild=0))
    show('Pool(1, maxtasksperchild=-1):', lambda: mp.Pool(1, maxtasksperchild=-1))
    p = mp.Pool(2)
    print(p)
    r = p.apply_async(slow, (2,))
    print('type:', type(r).__name__, r.ready())
    try:
        r.successful()
    except ValueError as e:
        print('successful() too early: ValueError', str(e) == '%r not ready' % r)
    t = time.monotonic()
    show('get(timeout=0.2):', lambda: r.get(timeout=0.2))
    show('wait(0.01):', lambda: r.wait(0.01))
    try:
        r.get(0.01)
    except mp.TimeoutError as e:
        print('TimeoutError is', type(e).__module__ + '.' + type(e).__name__,
              isinstance(e, TimeoutError))
    show('get():', r.get)
    show('ready, successful:', lambda: (r.ready(), r.successful()))
    show('apply kwds:', lambda: p.apply(add, (1,), {'b': 2}))
    show('apply default:', lambda: p.apply(add, (1,)))
    show('apply fail:', lambda: p.apply(fail, (1,)))
    r = p.apply_async(fail, (2,), callback=callback('apply'),
                      error_callback=error_callback('apply'))
    r.wait()
    show('ready, successful:', lambda: (r.ready(), r.successful()))
    show('get():', r.get)
    show('get() again:', r.get)
    r = p.apply_async(add, (3, 4), callback=callback('apply'),
                      error_callback=error_callback('apply'))
    show('get():', lambda: r.get(timeout=30))
    show('map fail_some:', lambda: p.map(fail_some, range(6)))
    show('map fail_some chunksize=2:', lambda: p.map(fail_some, range(6), 2))
    show('map ok:', lambda: p.map(fail_some, [0, 1, 2]))
    r = p.map_async(fail_some, [1, 3], callback=callback('map'),
                    error_callback=error_callback('map'))
    r.wait()
    show('map_async get():', r.get)
    r = p.map_async(fail_some, [1, 2], callback=callback('map'),
                    error_callback=error_callback('map'))
    show('map_async get():', lambda: r.get(timeout=30))
    it = p.imap(fail_some, [2, 3, 4])
    show('imap next:', it.next)
    show('imap next:', it.next)
    show('imap next:', it.next)
    p.close()
    print(p)
    show('apply after close:', lambda: p.apply(add, (1,)))
    show('map after close:', lambda: p.map(add, [1]))
    show('apply_async after close:', lambda: p.apply_async(add, (1,)))
    show('imap after close:', lambda: p.imap(add, [1]))
    show('join:', p.join)
    q = mp.Pool(1)
    r = q.apply_async(slow, (60,))
    t = time.monotonic()
    q.terminate()
    print(q)
    q.join()
    print('terminate did not wait:', time.monotonic() - t < 30)
    show('ready after terminate:', r.ready)
    show('map_async after terminate:', lambda: q.map_async(add, [1]))
    show('join() of a running pool:', lambda: mp.Pool(1).join())
