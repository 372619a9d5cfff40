# Not a listing of the document: a small program for its description of
# the Event primitive (同步进程): one process signals, the others wait for
# it; set() and clear() manage the internal flag.
import multiprocessing
import time

def waiter(event, i):
    event.wait()
    print('waiter %d: event received' % i)

if __name__ == '__main__':
    event = multiprocessing.Event()
    print('is_set() at start:', event.is_set())
    waiters = [multiprocessing.Process(target=waiter, args=(event, i))
               for i in range(3)]
    for w in waiters:
        w.start()
    time.sleep(1)
    print('waiters still waiting after 1 s:', [w.is_alive() for w in waiters],
          flush=True)
    event.set()
    for w in waiters:
        w.join()
    print('is_set() after set():', event.is_set())
    print('wait() on a set event returns', event.wait())
    event.clear()
    print('is_set() after clear():', event.is_set())
    print('wait(0.2) on a clear event returns', event.wait(0.2))
