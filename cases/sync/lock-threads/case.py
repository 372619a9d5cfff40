# not a document example: a spec case for the contracts of cpython-testsuite.md
# section 7 (Lock / RLock; the suite runs them with threads as well as
# processes) and section 9 (Condition waiters may be threads), with what
# CPython 3.11 does beyond them: ownership is per thread, not per process.
# A Lock held by another thread of the same process shows as
# SomeOtherThread and may still be released by this one (no owner check);
# an RLock held by another thread cannot be taken nor released
# (AssertionError); the owner in a repr is 'process|thread' outside the main
# thread, in the main process and in a child; a thread waiting on a
# Condition is counted in its repr and woken by notify().
import multiprocessing as mp
import threading


def holder(lock, times, held, done, release):
    for _ in range(times):
        lock.acquire()
    print('Worker holds:', lock)
    held.set()
    done.wait()
    if release:
        for _ in range(times):
            lock.release()
        print('Worker released:', lock)


def in_thread(target, *args):
    t = threading.Thread(target=target, args=args, name='Worker')
    t.start()
    return t


def waiter(cond, ready):
    with cond:
        ready.set()
        print('Worker woken:', cond.wait(30), cond)


def child(lock, rlock):
    held, done = mp.Event(), mp.Event()
    t = in_thread(holder, lock, 1, held, done, True)
    held.wait()
    print('child main thread sees:', lock)
    done.set()
    t.join()
    with rlock:
        print('child main thread holds:', rlock)


if __name__ == '__main__':
    lock = mp.Lock()
    held, done = mp.Event(), mp.Event()
    t = in_thread(holder, lock, 1, held, done, False)
    held.wait()
    print('main thread sees:', lock)
    print('acquire(False):', lock.acquire(False))
    print('acquire(timeout=0.1):', lock.acquire(timeout=0.1))
    print('main thread releases it:', lock.release(), lock)
    done.set()
    t.join()

    rlock = mp.RLock()
    held.clear()
    done.clear()
    t = in_thread(holder, rlock, 2, held, done, True)
    held.wait()
    print('main thread sees:', rlock)
    print('acquire(False):', rlock.acquire(False))
    print('acquire(timeout=0.1):', rlock.acquire(timeout=0.1))
    try:
        rlock.release()
    except AssertionError as e:
        print('main thread release():', type(e).__name__, e)
    done.set()
    t.join()
    print('after the thread:', rlock)
    with rlock:
        print('main thread holds:', rlock)

    cond = mp.Condition()
    ready = mp.Event()
    t = in_thread(waiter, cond, ready)
    ready.wait()
    with cond:
        print('one thread waiting:', cond)
        cond.notify()
    t.join()
    print('after notify():', cond)

    p = mp.Process(target=child, args=(lock, rlock))
    p.start()
    p.join()
    print('child exitcode:', p.exitcode, lock, rlock)
