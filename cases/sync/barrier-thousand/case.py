# spec: _TestBarrier.test_thousand (CPython 3.11).
from multiprocessing import Barrier, Lock, Pipe, Process

N = 5
PASSES = 1000


def f(barrier, passes, conn, lock):
    for i in range(passes):
        barrier.wait()
        with lock:
            conn.send(i)


if __name__ == '__main__':
    barrier = Barrier(N, timeout=30)
    lock = Lock()
    conn, child_conn = Pipe(False)
    procs = [Process(target=f, args=(barrier, PASSES, child_conn, lock))
             for j in range(N)]
    for p in procs:
        p.start()
    # every party sends pass i before any party passes the barrier again:
    # the values arrive grouped, N times 0, N times 1, ...
    bad = 0
    for i in range(PASSES):
        for j in range(N):
            got = conn.recv()
            if got != i and bad < 5:
                print('expected %d, got %d' % (i, got))
                bad += 1
    for p in procs:
        p.join()
    print('received %d values grouped by pass: %s' % (PASSES * N, bad == 0))
    print('exitcodes:', [p.exitcode for p in procs])
    print('broken n_waiting:', barrier.broken, barrier.n_waiting)
