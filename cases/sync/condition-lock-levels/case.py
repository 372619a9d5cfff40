# not a document example: a spec case for the contracts of cpython-testsuite.md
# section 9 (Condition: test_notify, test_timeout, test_wait_result) and what
# CPython 3.11 does beyond them: wait() releases every level of an RLock the
# waiter holds (another process can then take the lock) and restores them
# all when it returns, notified or timed out; the same with a plain Lock;
# Condition.acquire/release pass block and timeout through to the lock.
import multiprocessing as mp
import time


def notifier(cond, results):
    # takes the lock only once the waiter has released every level of it
    got = cond.acquire(timeout=30)
    results.put((got, repr(cond)))
    cond.notify()
    cond.release()


def prober(cond, results):
    # the lock is held by the parent and not released: acquire fails
    results.put((cond.acquire(False), cond.acquire(timeout=0.2), repr(cond)))


def start(target, *args):
    p = mp.Process(target=target, args=args)
    p.start()
    return p


if __name__ == '__main__':
    results = mp.Queue()
    for name, cond in (('RLock', mp.Condition()), ('Lock', mp.Condition(mp.Lock()))):
        levels = 2 if name == 'RLock' else 1
        for _ in range(levels):
            cond.acquire()
        print(name, 'held:', cond)
        p = start(prober, cond, results)
        print('child acquire(False), acquire(timeout=0.2), repr:', results.get())
        p.join()
        t0 = time.monotonic()
        r = cond.wait(0.2)
        print('wait(0.2): %s, %s, not early: %s' % (r, cond, time.monotonic() - t0 >= 0.199))
        p = start(notifier, cond, results)
        r = cond.wait(30)
        print('wait(30):', r, cond)
        print('the child took the lock while the parent waited:', results.get())
        p.join()
        for _ in range(levels):
            cond.release()
        print('released:', cond, 'child exit codes 0:', p.exitcode == 0)
