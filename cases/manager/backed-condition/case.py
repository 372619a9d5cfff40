# not a document example: CPython's _TestCondition as the suite runs it a
# second time on a SyncManager's proxies (WithManagerTestCondition: the
# Condition, the Semaphores that count sleepers and woken waiters and the
# Value of wait_for's predicate are all manager objects). The suite cannot
# read a manager Semaphore's value (no get_value) and skips those checks;
# here the parent counts woken waiters by acquiring `woken` (blocking, then
# once more with a timeout that must expire: nobody else woke). Waiters are
# child processes and threads of the parent, as in the suite.
import multiprocessing as mp
import threading
import time


def f(cond, sleeping, woken, timeout=None):
    cond.acquire()
    sleeping.release()
    cond.wait(timeout)
    woken.release()
    cond.release()


def start_waiters(cond, sleeping, woken, n, timeout=None):
    # n child processes and n threads; returns them once all are waiting
    ws = []
    for i in range(n):
        p = mp.Process(target=f, args=(cond, sleeping, woken, timeout))
        p.daemon = True
        ws.append(p)
        ws.append(threading.Thread(target=f, args=(cond, sleeping, woken, timeout)))
    for w in ws:
        w.start()
    for w in ws:
        sleeping.acquire()
    return ws


def woke(label, woken, n):
    # exactly n waiters released woken since the last call (5 s for all: a
    # lost wake-up fails the line instead of the case's timeout)
    deadline = time.monotonic() + 5
    got = [woken.acquire(timeout=max(0, deadline - time.monotonic()))
           for i in range(n)]
    print('%s: %d woke, another within 0.3 s: %s' % (label, got.count(True),
                                                    woken.acquire(timeout=0.3)))


def notify(cond, **kw):
    cond.acquire()
    cond.notify(**kw)
    cond.release()


def waitfor_f(cond, state):
    with cond:
        state.value = 0
        cond.notify()
        result = cond.wait_for(lambda: state.value == 4)
        if not result or state.value != 4:
            raise SystemExit(1)


def waitfor_timeout_f(cond, state, success, sem):
    sem.release()
    with cond:
        dt = time.monotonic()
        result = cond.wait_for(lambda: state.value == 4, timeout=0.1)
        dt = time.monotonic() - dt
        if not result and dt >= 0.1:
            success.value = True


def notify_all(cond):
    cond.acquire()
    cond.notify_all()
    cond.release()


def wait_result_f(c):
    with c:
        c.notify()


def join(ws):
    for w in ws:
        w.join()
    return sorted(set(w.exitcode for w in ws if isinstance(w, mp.Process)))


if __name__ == '__main__':
    manager = mp.Manager()

    # test_notify: one process and one thread wait; two notify() wake one each
    cond = manager.Condition()
    print('condition: %r' % cond)
    sleeping, woken = manager.Semaphore(0), manager.Semaphore(0)
    ws = start_waiters(cond, sleeping, woken, 1)
    woke('before notify', woken, 0)
    notify(cond)
    woke('notify()', woken, 1)
    notify(cond)
    woke('notify()', woken, 1)
    print('exitcodes:', join(ws))

    # test_notify_all: six waiters with a timeout all time out; six more
    # without one are all woken by one notify_all()
    cond = manager.Condition()
    sleeping, woken = manager.Semaphore(0), manager.Semaphore(0)
    ws = start_waiters(cond, sleeping, woken, 3, 0.1)
    woke('timed out', woken, 6)
    ws += start_waiters(cond, sleeping, woken, 3)
    woke('before notify_all', woken, 0)
    notify_all(cond)
    woke('notify_all()', woken, 6)
    print('exitcodes:', join(ws))

    # test_notify_n: notify(n=2) wakes two, notify(n=4) the other four,
    # notify(n=3) nobody
    cond = manager.Condition()
    sleeping, woken = manager.Semaphore(0), manager.Semaphore(0)
    ws = start_waiters(cond, sleeping, woken, 3)
    woke('before notify', woken, 0)
    notify(cond, n=2)
    woke('notify(n=2)', woken, 2)
    notify(cond, n=4)
    woke('notify(n=4)', woken, 4)
    notify(cond, n=3)
    woke('notify(n=3)', woken, 0)
    notify_all(cond)  # nobody left to wake, unless a notify(n) lost some
    print('exitcodes:', join(ws))

    # test_timeout
    cond = manager.Condition()
    cond.acquire()
    t0 = time.monotonic()
    res = cond.wait(0.1)
    dt = time.monotonic() - t0
    cond.release()
    print('wait(0.1): %s after %.3f s' % (res, dt))

    # test_waitfor: the predicate reads a manager Value
    cond = manager.Condition()
    state = manager.Value('i', -1)
    p = mp.Process(target=waitfor_f, args=(cond, state))
    p.daemon = True
    p.start()
    with cond:
        result = cond.wait_for(lambda: state.value == 0)
        print('wait_for(state == 0):', result, state.value)
    for i in range(4):
        time.sleep(0.01)
        with cond:
            state.value += 1
            cond.notify()
    p.join()
    print('wait_for child exitcode:', p.exitcode)

    # test_waitfor_timeout: state reaches 3, never 4
    cond = manager.Condition()
    state = manager.Value('i', 0)
    success = manager.Value('i', False)
    sem = manager.Semaphore(0)
    p = mp.Process(target=waitfor_timeout_f, args=(cond, state, success, sem))
    p.daemon = True
    p.start()
    print('child started:', sem.acquire(timeout=60))
    for i in range(3):
        time.sleep(0.010)
        with cond:
            state.value += 1
            cond.notify()
    p.join()
    print('wait_for(timeout=0.1) timed out in the child:', success.value, p.exitcode)

    # test_wait_result (the manager variant sends no SIGINT)
    c = manager.Condition()
    with c:
        print('wait(0):', c.wait(0))
        print('wait(0.1):', c.wait(0.1))
        p = mp.Process(target=wait_result_f, args=(c,))
        p.start()
        print('wait(60) notified:', c.wait(60))
        p.join()
    print('exitcode:', p.exitcode)
    manager.shutdown()
