# not a document example: a spec case for the contracts of cpython-testsuite.md
# section 10 (Event) and what CPython 3.11 does beyond them: wait(timeout) on
# an unset Event returns False after the wait (at once for 0 or less); once
# set, wait() returns True at once whatever the timeout; clear() makes waits
# time out again; set() in one process wakes every waiter in the others; a
# clear() in a child is seen by the parent; the repr says set/unset.
import multiprocessing as mp
import time


def timed(label, fn):
    t0 = time.monotonic()
    r = fn()
    print('%s: %s after %.3f s' % (label, r, time.monotonic() - t0))


def waiter(ev, timeout, results, i):
    t0 = time.monotonic()
    r = ev.wait(timeout)
    results.put((i, r, time.monotonic() - t0))


def clearer(ev, started):
    started.set()
    ev.clear()


if __name__ == '__main__':
    ev = mp.Event()
    print('new:', ev, ev.is_set())
    timed('wait(0)', lambda: ev.wait(0))
    timed('wait(-1)', lambda: ev.wait(-1))
    timed('wait(0.2)', lambda: ev.wait(0.2))
    print('set():', ev.set(), ev, ev.is_set())
    timed('wait()', lambda: ev.wait())
    timed('wait(0)', lambda: ev.wait(0))
    timed('wait(5)', lambda: ev.wait(5))
    print('set() again:', ev.set(), ev.is_set())
    print('clear():', ev.clear(), ev, ev.is_set())
    timed('wait(0.1) after clear', lambda: ev.wait(0.1))
    print('clear() again:', ev.clear(), ev.is_set())

    # three children wait 0.3 s on the unset Event: all time out
    results = mp.Queue()
    ps = [mp.Process(target=waiter, args=(ev, 0.3, results, i)) for i in range(3)]
    for p in ps:
        p.start()
    got = sorted(results.get() for _ in ps)
    for p in ps:
        p.join()
    print('timed waiters:', [(i, r) for i, r, _ in got],
          'none early:', all(t >= 0.299 for _, _, t in got))

    # three children wait without a timeout; one set() wakes them all
    ps = [mp.Process(target=waiter, args=(ev, None, results, i)) for i in range(3)]
    for p in ps:
        p.start()
    time.sleep(1)
    print('before set(), still waiting:', [p.is_alive() for p in ps],
          results.empty())
    ev.set()
    got = sorted(results.get() for _ in ps)
    for p in ps:
        p.join()
    print('woken by one set():', [(i, r) for i, r, _ in got])

    # a child clears it; the parent sees it
    started = mp.Event()
    p = mp.Process(target=clearer, args=(ev, started))
    p.start()
    p.join()
    print('child cleared:', ev.is_set(), started.is_set(), p.exitcode)
    timed('wait(0.1)', lambda: ev.wait(0.1))
