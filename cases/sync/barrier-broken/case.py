# not a document example: a spec case for the contracts of cpython-testsuite.md
# section 11 (Barrier: test_timeout, test_default_timeout, test_abort,
# test_reset, test_abort_and_reset) and what CPython 3.11 does beyond them: a
# timeout breaks the barrier for every party, the late one included
# (BrokenBarrierError with an empty message, and at once on a broken
# barrier); the constructor's timeout applies to a bare wait(); abort()
# breaks it for the parties waiting; reset() with parties waiting makes them
# raise but leaves it usable, and makes a broken barrier usable again; an
# action that raises gives its exception to the party that ran it and
# BrokenBarrierError to the others; Barrier(0) and Barrier(-1) are accepted.
import multiprocessing as mp
import threading
import time


def outcome(fn):
    try:
        return fn()
    except threading.BrokenBarrierError as e:
        return '%s %r' % (type(e).__name__, str(e))
    except ValueError as e:
        return '%s %r' % (type(e).__name__, str(e))


def timed(label, fn):
    t0 = time.monotonic()
    r = outcome(fn)
    print('%s: %s after %.3f s' % (label, r, time.monotonic() - t0))


def party(b, results, name, timeout):
    t0 = time.monotonic()
    r = outcome(lambda: b.wait(timeout))
    results.put((name, r, time.monotonic() - t0))


def boom():
    raise ValueError('boom')


def start(b, results, timeouts):
    ps = [mp.Process(target=party, args=(b, results, 'child%d' % n, t))
          for n, t in enumerate(timeouts, 1)]
    for p in ps:
        p.start()
    return ps


def collect(results, ps):
    got = sorted(results.get() for _ in ps)
    for p in ps:
        p.join()
    return got


def wait_for_waiters(b, n):
    while b.n_waiting < n:
        time.sleep(0.01)


if __name__ == '__main__':
    results = mp.Queue()

    b = mp.Barrier(2)
    timed('wait(0.2) alone', lambda: b.wait(0.2))
    print('broken:', b.broken, b.n_waiting, repr(b).split(': ')[1])
    timed('wait() on a broken barrier', lambda: b.wait())
    print('reset():', b.reset(), b.broken, repr(b).split(': ')[1])
    timed('wait(-1) alone', lambda: b.wait(-1))
    print('broken:', b.broken)
    timed('Barrier(2, timeout=0.2).wait()', lambda: mp.Barrier(2, timeout=0.2).wait())

    # one party's timeout breaks it for all: child1 waits for ever, child2
    # for 0.3 s, the parent comes late
    b = mp.Barrier(3)
    got = collect(results, start(b, results, (None, 0.3)))
    print('child1 (no timeout):', got[0][1])
    print('child2 (timeout 0.3): %s, not early: %s' % (got[1][1], got[1][2] >= 0.299))
    timed('the late parent wait()', lambda: b.wait())
    print('broken:', b.broken)

    # abort() with two parties waiting; then reset() makes it usable again
    b = mp.Barrier(3)
    ps = start(b, results, (None, None))
    wait_for_waiters(b, 2)
    print('abort():', b.abort(), b.broken, repr(b).split(': ')[1])
    print('waiters after abort():', [r for _, r, _ in collect(results, ps)])
    timed('wait() after abort()', lambda: b.wait())
    print('reset():', b.reset(), b.broken)
    ps = start(b, results, (None, None))
    i = b.wait()
    print('reused after abort and reset:',
          sorted([i] + [r for _, r, _ in collect(results, ps)]), b.broken)

    # reset() with two parties waiting: they raise, it stays usable
    b = mp.Barrier(3)
    ps = start(b, results, (None, None))
    wait_for_waiters(b, 2)
    print('reset() with two waiting:', b.reset())
    print('waiters after reset():', [r for _, r, _ in collect(results, ps)])
    print('broken:', b.broken, b.n_waiting)
    ps = start(b, results, (None, None))
    i = b.wait()
    print('reused after reset:',
          sorted([i] + [r for _, r, _ in collect(results, ps)]), b.broken)

    # an action that raises: the party that runs it (the parent, last to
    # arrive) gets its exception, the other BrokenBarrierError
    b = mp.Barrier(2, action=boom)
    ps = start(b, results, (None,))
    wait_for_waiters(b, 1)
    timed('the parent runs the action', lambda: b.wait())
    print('child1:', collect(results, ps)[0][1])
    print('broken:', b.broken)

    z = mp.Barrier(0)
    print('Barrier(0):', z.parties, repr(z).split(': ')[1],
          'Barrier(-1):', repr(mp.Barrier(-1)).split(': ')[1])
    timed('Barrier(0).wait(0.2)', lambda: z.wait(0.2))
