# not a document example: acquire() claims the lock, release() frees it; another process
# cannot acquire a held lock until it is released
from multiprocessing import Process, Lock, Event


def child(lock, tried):
    print('child acquire(False):', lock.acquire(False))
    print('child acquire(timeout=0.1):', lock.acquire(timeout=0.1))
    tried.set()
    print('child acquire():', lock.acquire())
    print('child holds:', lock)
    lock.release()


if __name__ == '__main__':
    lock = Lock()
    tried = Event()
    print('free:', lock)
    print('acquire():', lock.acquire())
    print('held:', lock)
    print('acquire(False) again:', lock.acquire(False))
    p = Process(target=child, args=(lock, tried))
    p.start()
    tried.wait()
    lock.release()
    p.join()
    print('exitcode:', p.exitcode)
    print('after child:', lock)
    try:
        lock.release()
    except ValueError as e:
        print('release unlocked:', type(e).__name__, e)
    with lock:
        print('with lock:', lock)
