# not a document example: a spec case for the contracts of cpython-testsuite.md
# section 9 (Condition) and what CPython 3.11 does beyond them: wait() and
# notify() without the lock (AssertionError), wait(timeout) returning False
# after the wait (True when notified), wait_for returning the predicate's last
# value, with and without a timeout; across processes, waiters that timed out
# leave no residue, notify(2) wakes exactly two of six, notify(4) the other
# four, notify(3) with nobody waiting does nothing; the reprs count waiters.
import multiprocessing as mp
import queue
import time


# each child reports after it has left `with cond:`, so the parent never
# sees the lock still held by a child that has reported

def timed_waiter(cond, results, i):
    with cond:
        r = cond.wait(0.3)
    results.put((i, r))


def waiter(cond, ready, results, i):
    with cond:
        ready.release()
        r = cond.wait(60)
    results.put((i, r))


def wait_for_value(cond, ready, v, results, target, timeout):
    with cond:
        ready.release()
        t0 = time.monotonic()
        r = cond.wait_for(lambda: v.value == target, timeout)
        elapsed = time.monotonic() - t0
        value = v.value
    results.put((target, r, value, elapsed))


def timed(label, fn):
    t0 = time.monotonic()
    r = fn()
    print('%s: %s after %.3f s' % (label, r, time.monotonic() - t0))


def start(target, *args):
    p = mp.Process(target=target, args=args)
    p.start()
    return p


if __name__ == '__main__':
    cond = mp.Condition()
    print('condition:', cond)
    print('with a Lock:', mp.Condition(mp.Lock()))
    for name, call in (('wait()', cond.wait), ('notify()', cond.notify),
                       ('notify_all()', cond.notify_all)):
        try:
            call()
        except AssertionError as e:
            print(name, 'without the lock:', type(e).__name__, e)
    with cond:
        print('held:', cond)
        timed('wait(0.2)', lambda: cond.wait(0.2))
        timed('wait(0)', lambda: cond.wait(0))
        timed('wait(-1)', lambda: cond.wait(-1))
        print('notify() with no waiters:', cond.notify())
        timed('wait_for(lambda: 5)', lambda: cond.wait_for(lambda: 5))
        timed('wait_for(lambda: 0, 0.2)', lambda: cond.wait_for(lambda: 0, 0.2))
        timed('wait_for(lambda: 0, -1)', lambda: cond.wait_for(lambda: 0, -1))
    lcond = mp.Condition(mp.Lock())
    with lcond:
        print('Lock condition held:', lcond)
        timed('wait(0.1)', lambda: lcond.wait(0.1))
    print('after:', cond, lcond)

    results = mp.Queue()
    # three waiters time out: nobody notifies
    ps = [start(timed_waiter, cond, results, i) for i in range(3)]
    print('timed waiters:', sorted(results.get() for _ in ps))
    for p in ps:
        p.join()
    print('after timeouts:', cond)

    # six waiters, each in wait() once the parent can take the lock
    ready = mp.Semaphore(0)
    ps = [start(waiter, cond, ready, results, i) for i in range(6)]
    for _ in ps:
        ready.acquire()
    with cond:
        print('six waiting:', cond)
        print('notify(2):', cond.notify(2))
    woken = [results.get() for _ in range(2)]
    print('woken by notify(2):', len(woken), 'all True:', all(r for _, r in woken))
    try:
        print('a third woke:', results.get(timeout=0.5))
    except queue.Empty:
        print('no third wakes:', cond)
    with cond:
        print('notify(4):', cond.notify(4))
    woken += [results.get() for _ in range(4)]
    print('all woken:', sorted(i for i, _ in woken), 'all True:', all(r for _, r in woken))
    for p in ps:
        p.join()
    with cond:
        print('notify(3) with nobody waiting:', cond.notify(3), cond)
    print('exit codes:', [p.exitcode for p in ps])

    # wait_for across processes: once both children wait, a shared value is
    # counted up to 3 under the lock, with notify_all() each time; the
    # second child's predicate never holds and it returns False at its
    # timeout, woken three times before
    v = mp.Value('i', 0, lock=False)
    ps = [start(wait_for_value, cond, ready, v, results, 3, None),
          start(wait_for_value, cond, ready, v, results, 10, 0.5)]
    for _ in ps:
        ready.acquire()
    for _ in range(3):
        with cond:
            v.value += 1
            cond.notify_all()
    got = sorted(results.get() for _ in ps)
    for p in ps:
        p.join()
    t, r, val, elapsed = got[0]
    print('wait_for(value == %d): %s, value %d' % (t, r, val))
    t, r, val, elapsed = got[1]
    print('wait_for(value == %d, 0.5): %s after %.3f s' % (t, r, elapsed))
