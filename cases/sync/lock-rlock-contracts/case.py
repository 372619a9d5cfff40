# not a document example: a spec case for the contracts of cpython-testsuite.md
# section 7 (Lock / RLock) and what CPython 3.11 does beyond them: acquire's
# results with block=False, a timeout (False only after the wait), a negative
# timeout; release of an unlocked Lock (ValueError); a Lock has no owner (a
# process may release another's); an RLock's recursion count in its repr, the
# release one too many and a release by a process that does not own it
# (AssertionError); the owner shown as SomeOtherProcess.
import multiprocessing as mp
import time


def hold(lock, held, done, release):
    # takes the lock, says so, keeps it until told, then releases it unless
    # the parent has (a Lock has no owner)
    lock.acquire()
    held.set()
    done.wait()
    if release:
        lock.release()


def release_foreign(rlock):
    # rlock is held by the parent
    print('child sees:', rlock)
    print('child acquire(False):', rlock.acquire(False))
    try:
        rlock.release()
    except AssertionError as e:
        print('child release():', type(e).__name__, e)


def timed(label, fn):
    t0 = time.monotonic()
    r = fn()
    print('%s: %s after %.3f s' % (label, r, time.monotonic() - t0))


if __name__ == '__main__':
    lock = mp.Lock()
    print('lock:', lock)
    print('acquire():', lock.acquire())
    print('held:', lock)
    print('acquire(False):', lock.acquire(False))
    timed('acquire(False, 5)', lambda: lock.acquire(False, 5))
    timed('acquire(True, -1)', lambda: lock.acquire(True, -1))
    timed('acquire(timeout=0.3)', lambda: lock.acquire(timeout=0.3))
    print('release():', lock.release())
    try:
        lock.release()
    except ValueError as e:
        print('release() unlocked:', type(e).__name__, e)
    print('acquire(timeout=-5) free:', lock.acquire(timeout=-5))
    lock.release()

    # a child holds the Lock; the parent sees SomeOtherProcess and may release it
    held, done = mp.Event(), mp.Event()
    p = mp.Process(target=hold, args=(lock, held, done, False))
    p.start()
    held.wait()
    print('child holds:', lock)
    print('acquire(False) while child holds:', lock.acquire(False))
    print('parent releases it:', lock.release())
    print('after:', lock)
    print('parent acquire(False):', lock.acquire(False))
    lock.release()
    done.set()
    p.join()
    print('child exitcode:', p.exitcode)

    rlock = mp.RLock()
    print('rlock:', rlock)
    print('acquire() x3:', rlock.acquire(), rlock.acquire(), rlock.acquire())
    print('held 3:', rlock)
    print('acquire(False) by owner:', rlock.acquire(False))
    print('acquire(timeout=0) by owner:', rlock.acquire(timeout=0))
    print('held 5:', rlock)
    for _ in range(4):
        rlock.release()
    print('after 4 releases:', rlock)

    # a child that does not own it cannot acquire or release it
    p = mp.Process(target=release_foreign, args=(rlock,))
    p.start()
    p.join()
    print('child exitcode:', p.exitcode)
    print('still held 1:', rlock)
    rlock.release()
    print('free:', rlock)
    try:
        rlock.release()
    except AssertionError as e:
        print('release() one too many:', type(e).__name__, e)

    # a child holds the RLock; the parent can neither take nor release it
    held.clear()
    done.clear()
    p = mp.Process(target=hold, args=(rlock, held, done, True))
    p.start()
    held.wait()
    print('child holds:', rlock)
    timed('acquire(timeout=0.2) while child holds', lambda: rlock.acquire(timeout=0.2))
    try:
        rlock.release()
    except AssertionError as e:
        print('parent release():', type(e).__name__, e)
    done.set()
    p.join()
    print('child exitcode:', p.exitcode)
    with rlock:
        with rlock:
            print('with rlock twice:', rlock)
    print('after with:', rlock)
