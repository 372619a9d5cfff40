# not a document example: a spec case for the contracts of cpython-testsuite.md
# section 8 (Semaphore / BoundedSemaphore) and what CPython 3.11 does beyond
# them: get_value() as the value goes down and up, a plain Semaphore released
# above its initial value, a BoundedSemaphore refusing to pass its maximum
# (ValueError, value unchanged), block=False beating a timeout, a timed acquire
# False only after the wait, a negative value refused (OSError EINVAL), the
# reprs; across processes, each release() lets exactly one blocked acquire()
# through.
import multiprocessing as mp
import queue
import time


def taker(sem, results, i):
    sem.acquire()
    results.put(i)


def timed(label, fn):
    t0 = time.monotonic()
    r = fn()
    print('%s: %s after %.3f s' % (label, r, time.monotonic() - t0))


if __name__ == '__main__':
    print('defaults:', mp.Semaphore(), mp.BoundedSemaphore())
    sem = mp.Semaphore(2)
    print('start:', sem, sem.get_value())
    print('acquire():', sem.acquire(), sem.get_value())
    print('acquire():', sem.acquire(), sem.get_value())
    print('acquire(False) at 0:', sem.acquire(False), sem.get_value())
    for _ in range(4):
        sem.release()
    print('4 releases, above the initial 2:', sem, sem.get_value())

    zero = mp.Semaphore(0)
    timed('acquire(False)', lambda: zero.acquire(False))
    timed('acquire(False, None)', lambda: zero.acquire(False, None))
    timed('acquire(False, 5)', lambda: zero.acquire(False, 5))
    timed('acquire(True, -1)', lambda: zero.acquire(True, -1))
    timed('acquire(True, 0.2)', lambda: zero.acquire(True, 0.2))
    timed('acquire(timeout=0.3)', lambda: zero.acquire(timeout=0.3))
    print('still:', zero)

    bsem = mp.BoundedSemaphore(2)
    print('bounded:', bsem)
    print('acquire() x2:', bsem.acquire(), bsem.acquire(), bsem)
    print('release():', bsem.release(), bsem)
    print('release():', bsem.release(), bsem)
    try:
        bsem.release()
    except ValueError as e:
        print('release() past 2:', type(e).__name__, e)
    print('unchanged:', bsem, bsem.get_value())
    try:
        mp.BoundedSemaphore(0).release()
    except ValueError as e:
        print('BoundedSemaphore(0).release():', type(e).__name__, e)
    for cls in (mp.Semaphore, mp.BoundedSemaphore):
        try:
            cls(-1)
        except OSError as e:
            print(cls.__name__ + '(-1):', type(e).__name__, e)

    # three children block in acquire() on a Semaphore(0): each release()
    # lets exactly one through
    gate = mp.Semaphore(0)
    results = mp.Queue()
    ps = [mp.Process(target=taker, args=(gate, results, i)) for i in range(3)]
    for p in ps:
        p.start()
    gate.release()
    gate.release()
    first = sorted([results.get(), results.get()])
    print('after 2 releases, 2 children passed')
    try:
        results.get(timeout=0.5)
        print('a third passed too')
    except queue.Empty:
        print('the third is still blocked:', gate)
    gate.release()
    last = results.get()
    for p in ps:
        p.join()
    print('after the third release: children', sorted(first + [last]), 'passed,',
          'exit codes', [p.exitcode for p in ps], gate)
