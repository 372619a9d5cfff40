# spec: CPython 3.11 TestWait.test_wait_timeout, test_wait_integer and
# test_neg_timeout: multiprocessing.connection.wait() with nothing ready
# returns [] only after its whole timeout; a Connection with data is reported
# at once; a list mixing Connections and a process sentinel (an int) returns
# exactly the ready objects; timeout=-1 returns [] at once.  The timeouts are
# real seconds (the shim scales only time.sleep: the child's 3 s sleep takes
# 0.3 s at MP_TIME_SCALE=0.1).  Unlike the suite, the child also waits for
# an Event before its sleep, so that a wait() with the child surely alive
# shows the sentinel is not reported early.
import multiprocessing as mp
import time
from multiprocessing.connection import wait


def signal_and_sleep(sem, period, go):
    sem.release()
    go.wait()
    time.sleep(period)


def timed(objs, timeout, names):
    t = time.monotonic()
    res = wait(objs, timeout)
    d = time.monotonic() - t
    # the suite compares the lists sorted: wait() promises no order
    return sorted(names[id(o)] for o in res), d


if __name__ == '__main__':
    a, b = mp.Pipe()
    names = {id(a): 'a', id(b): 'b'}

    res, d = timed([a], -1, names)
    print('wait([a], timeout=-1):', res, 'after %.3f s' % d)

    res, d = timed([a, b], 0.5, names)
    print('wait([a, b], 0.5), nothing ready:', res, 'after %.3f s' % d)
    b.send(None)
    res, d = timed([a, b], 20, names)
    print('wait([a, b], 20) after b.send:', res, 'after %.3f s' % d)
    a.recv()

    sem = mp.Semaphore(0)
    go = mp.Event()
    p = mp.Process(target=signal_and_sleep, args=(sem, 3, go))
    p.start()
    print('sentinel is int:', isinstance(p.sentinel, int))
    print('child started:', sem.acquire(timeout=20))
    names[id(p.sentinel)] = 'sentinel'
    objs = [a, p.sentinel, b]
    res, d = timed(objs, 0.2, names)
    print('wait([a, sentinel, b], 0.2) while the child waits:', res)
    go.set()
    res, d = timed(objs, 3 + 20, names)
    print('wait([a, sentinel, b], 23) while the child sleeps:', res, 'after %.3f s' % d)
    a.send(None)
    res, d = timed(objs, 20, names)
    print('after a.send:', res, 'after %.3f s' % d)
    b.send(None)
    res, d = timed(objs, 20, names)
    print('after b.send:', res, 'after %.3f s' % d)
    p.terminate()
    p.join()
    a.close()
    b.close()
