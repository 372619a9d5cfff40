# not a document example: CPython's _TestLock and _TestSemaphore as the suite
# runs them a second time on a SyncManager's proxies (WithManagerTestLock,
# WithManagerTestSemaphore: ManagerMixin's Lock, RLock, Semaphore and
# BoundedSemaphore are manager.Lock ...). The server holds threading's
# objects, so the errors are threading's (RuntimeError where SemLock raises
# ValueError or AssertionError) and the semaphore's value, which the proxy
# cannot give (no get_value: the suite skips those checks), is read from
# str(proxy), the server object's repr.
import multiprocessing as mp


def attempt(label, fn):
    try:
        print('%s: %r' % (label, fn()))
    except Exception as e:
        print('%s: %s %s' % (label, type(e).__name__, e))


def semaphore(label, sem):
    # _TestSemaphore._test_semaphore, every value shown after each step
    print('%s: %r %s' % (label, sem, sem))
    print('acquire():', sem.acquire(), sem)
    print('acquire():', sem.acquire(), sem)
    print('acquire(False):', sem.acquire(False), sem)
    print('release():', sem.release(), sem)
    print('release():', sem.release(), sem)


if __name__ == '__main__':
    manager = mp.Manager()

    # test_lock
    lock = manager.Lock()
    print('lock: %r %s' % (lock, lock))
    print('acquire():', lock.acquire())
    print('acquire(False):', lock.acquire(False))
    print('acquire(timeout=0.1):', lock.acquire(timeout=0.1), lock)
    print('release():', lock.release(), lock)
    attempt('release() unlocked', lock.release)

    # test_rlock
    rlock = manager.RLock()
    print('rlock: %r %s' % (rlock, rlock))
    print('acquire() x3:', rlock.acquire(), rlock.acquire(), rlock.acquire())
    print('held:', rlock)
    print('release() x3:', rlock.release(), rlock.release(), rlock.release())
    print('free:', rlock)
    attempt('release() one too many', rlock.release)

    # test_lock_context: with on a fresh manager Lock
    lock2 = manager.Lock()
    with lock2 as entered:
        print('in with:', entered, lock2)
    print('after with:', lock2)

    # test_semaphore
    sem = manager.Semaphore(2)
    semaphore('semaphore', sem)
    print('release():', sem.release(), sem)
    print('release():', sem.release(), sem)

    # test_bounded_semaphore, and the over-release the suite leaves out
    bsem = manager.BoundedSemaphore(2)
    semaphore('bounded', bsem)
    attempt('release() past the bound', bsem.release)
    print('still:', bsem)
    print('proxy has get_value:', hasattr(sem, 'get_value'))
    manager.shutdown()
