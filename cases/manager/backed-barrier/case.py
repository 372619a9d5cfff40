# not a document example: CPython's _TestBarrier as the suite runs it a
# second time on a SyncManager's proxies (WithManagerTestBarrier: the
# Barrier, the lists counting passes and the Queue are manager objects; an
# action is pickled to the server and runs there). As in the suite, N-1 = 4
# child processes and the parent run each function; a child's failed
# assertion shows as its exit code and a traceback on stderr. The parent
# prints the counts the suite asserts.
import multiprocessing as mp
import threading
import time

N = 5


class AppendTrue(object):
    def __init__(self, obj):
        self.obj = obj

    def __call__(self):
        self.obj.append(True)


def run_threads(f, args):
    ps = [mp.Process(target=f, args=args) for i in range(N - 1)]
    for p in ps:
        p.daemon = True
        p.start()
    f(*args)
    for p in ps:
        p.join()
    return sorted(set(p.exitcode for p in ps))


def multipass(barrier, results, n):
    m = barrier.parties
    assert m == N
    for i in range(n):
        results[0].append(True)
        assert len(results[1]) == i * m
        barrier.wait()
        results[1].append(True)
        assert len(results[0]) == (i + 1) * m
        barrier.wait()
    assert barrier.n_waiting == 0
    assert not barrier.broken


def wait_return_f(barrier, queue):
    queue.put(barrier.wait())


def action_f(barrier, results):
    barrier.wait()
    if len(results) != 1:
        raise RuntimeError


def abort_f(barrier, results1, results2):
    try:
        i = barrier.wait()
        if i == N // 2:
            raise RuntimeError
        barrier.wait()
        results1.append(True)
    except threading.BrokenBarrierError:
        results2.append(True)
    except RuntimeError:
        barrier.abort()


def reset_f(barrier, results1, results2, results3):
    i = barrier.wait()
    if i == N // 2:
        # wait until the other four are in the barrier
        while barrier.n_waiting < N - 1:
            time.sleep(0.001)
        barrier.reset()
    else:
        try:
            barrier.wait()
            results1.append(True)
        except threading.BrokenBarrierError:
            results2.append(True)
    # pass the barrier again
    barrier.wait()
    results3.append(True)


def abort_and_reset_f(barrier, barrier2, results1, results2, results3):
    try:
        i = barrier.wait()
        if i == N // 2:
            raise RuntimeError
        barrier.wait()
        results1.append(True)
    except threading.BrokenBarrierError:
        results2.append(True)
    except RuntimeError:
        barrier.abort()
    # everyone leaves the broken barrier before the reset, nobody enters it
    # before the reset is done
    if barrier2.wait() == N // 2:
        barrier.reset()
    barrier2.wait()
    barrier.wait()
    results3.append(True)


def timeout_f(barrier, results):
    i = barrier.wait()
    if i == N // 2:
        time.sleep(1.0)  # one party is late
    try:
        barrier.wait(0.5)
    except threading.BrokenBarrierError:
        results.append(True)


def default_timeout_f(barrier, results):
    i = barrier.wait(30.0)
    if i == N // 2:
        time.sleep(1.0)  # later than the default timeout
    try:
        barrier.wait()
    except threading.BrokenBarrierError:
        results.append(True)


if __name__ == '__main__':
    manager = mp.Manager()
    # the suite's setUp makes a fresh Barrier for each test, its tearDown
    # aborts it
    barrier = manager.Barrier(N, timeout=30.0)
    print('barrier: %r parties=%d' % (barrier, barrier.parties))

    # test_barrier, test_barrier_10
    for passes in (1, 10):
        barrier.abort()
        barrier = manager.Barrier(N, timeout=30.0)
        results = [manager.list(), manager.list()]
        codes = run_threads(multipass, (barrier, results, passes))
        print('%d passes: %d %d exitcodes %s' % (passes, len(results[0]),
                                                len(results[1]), codes))

    # test_wait_return
    barrier.abort()
    barrier = manager.Barrier(N, timeout=30.0)
    queue = manager.Queue()
    codes = run_threads(wait_return_f, (barrier, queue))
    print('wait() results:', sorted(queue.get() for i in range(N)), codes)

    # test_action: the action runs once per pass, in the server
    barrier.abort()
    barrier = manager.Barrier(N, timeout=30.0)
    results = manager.list()
    b = manager.Barrier(N, action=AppendTrue(results))
    codes = run_threads(action_f, (b, results))
    print('action ran:', len(results), codes)

    # test_abort
    barrier.abort()
    barrier = manager.Barrier(N, timeout=30.0)
    results1, results2 = manager.list(), manager.list()
    codes = run_threads(abort_f, (barrier, results1, results2))
    print('abort: %d %d broken=%s %s' % (len(results1), len(results2),
                                       barrier.broken, codes))

    # test_reset
    barrier.abort()
    barrier = manager.Barrier(N, timeout=30.0)
    results1, results2, results3 = manager.list(), manager.list(), manager.list()
    codes = run_threads(reset_f, (barrier, results1, results2, results3))
    print('reset: %d %d %d %s' % (len(results1), len(results2),
                                  len(results3), codes))

    # test_abort_and_reset
    barrier.abort()
    barrier = manager.Barrier(N, timeout=30.0)
    results1, results2, results3 = manager.list(), manager.list(), manager.list()
    barrier2 = manager.Barrier(N)
    codes = run_threads(abort_and_reset_f,
                        (barrier, barrier2, results1, results2, results3))
    print('abort and reset: %d %d %d %s' % (len(results1), len(results2),
                                            len(results3), codes))

    # test_timeout
    barrier.abort()
    barrier = manager.Barrier(N, timeout=30.0)
    results = manager.list()
    codes = run_threads(timeout_f, (barrier, results))
    print('wait(0.5) broken:', len(results), barrier.parties, codes)

    # test_default_timeout
    b = manager.Barrier(N, timeout=0.5)
    results = manager.list()
    codes = run_threads(default_timeout_f, (b, results))
    print('default timeout broken:', len(results), b.parties, codes)

    # test_single_thread
    b = manager.Barrier(1)
    print('Barrier(1).wait() twice:', b.wait(), b.wait())
    barrier.abort()  # the suite's tearDown
    manager.shutdown()
