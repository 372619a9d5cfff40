# spec: CPython 3.11 TestWait.test_wait and test_wait_slow: 4 children each
# send (i, pid) for i in 0..9 through their own simplex Pipe and close it;
# the parent keeps calling multiprocessing.connection.wait() on the readers
# still open, reads one message from each reader it returns, and drops a
# reader at EOFError.  Every message arrives, from the right child, and every
# reader reaches EOF.  The second round sleeps a random 0..0.1 s (scaled by
# MP_TIME_SCALE) before each send, so readers become ready in any order.
import multiprocessing as mp
import random
import time
from multiprocessing.connection import wait


def child(w, slow):
    for i in range(10):
        if slow:
            time.sleep(random.random() * 0.1)
        w.send((i, mp.current_process().pid))
    w.close()


def round_(slow):
    readers, procs, messages = [], [], []
    for _ in range(4):
        r, w = mp.Pipe(duplex=False)
        p = mp.Process(target=child, args=(w, slow), daemon=True)
        p.start()
        w.close()
        readers.append(r)
        procs.append(p)
    eofs = 0
    while readers:
        ready = wait(readers)
        if not ready or any(r not in readers for r in ready):
            print('wait() returned', ready)
        for r in ready:
            try:
                messages.append(r.recv())
            except EOFError:
                readers.remove(r)
                r.close()
                eofs += 1
    for p in procs:
        p.join()
    name = 'slow' if slow else 'fast'
    for k, p in enumerate(procs):
        print('%s child %d sent' % (name, k), [i for i, pid in messages if pid == p.pid])
    print('%s messages: %d, EOFs: %d' % (name, len(messages), eofs))
    print('%s all expected:' % name,
          sorted(messages) == sorted((i, p.pid) for i in range(10) for p in procs))


if __name__ == '__main__':
    round_(False)
    round_(True)
