# Not a listing of the document: a small program for its description of
# the RLock primitive (同步进程): a recursive lock, with the methods and
# behaviour of threading's: its owner may acquire it again, and it is free
# for others only when every acquire() has been released.
import multiprocessing

def try_lock(rlock, results):
    got = rlock.acquire(timeout=0.2)
    results.put(got)
    if got:
        rlock.release()

def attempt(rlock, results):
    p = multiprocessing.Process(target=try_lock, args=(rlock, results))
    p.start()
    got = results.get()
    p.join()
    return got

if __name__ == '__main__':
    rlock = multiprocessing.RLock()
    results = multiprocessing.Queue()
    print('first acquire():', rlock.acquire())
    print('second acquire() by the owner:', rlock.acquire(timeout=0.2))
    print('another process can acquire:', attempt(rlock, results))
    rlock.release()
    print('after one release(), another process can acquire:',
          attempt(rlock, results))
    rlock.release()
    print('after two release(), another process can acquire:',
          attempt(rlock, results))
    try:
        rlock.release()
    except AssertionError as e:
        print('third release():', type(e).__name__, e)
