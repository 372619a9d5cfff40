"""bench.py - the CPython variant of every benchmark: the same work as
floor.c (raw OS) and mpr.c (libmpref), on CPython 3.11's multiprocessing.

    /usr/bin/python3 bench/bench.py --list
    /usr/bin/python3 bench/bench.py NAME SCALE

warms up (NAME once at 1x), runs NAME once at SCALE times its base work and
prints {"seconds": S, "ops": N, "max_rss_kib": K}.  Children are started, and have said they
are ready, before the clock starts; the clock stops when the last result is
in the parent's hands.  Base work (1x) of each benchmark: bench/README.md.
"""

import json
import multiprocessing as mp
import sys
import time

now = time.perf_counter
# The rows that run in one process and never block are timed in CPU time
# (equal to wall time on an idle machine; see bench.h).
cpu_now = time.process_time


def noop():
    pass


def square(x):
    return x * x


def start_child(target, *args):
    """Starts target(ctl, *args) in a child (the default start method);
    returns (process, ctl) once the child has sent 'ready' on ctl."""
    ctl, child_ctl = mp.Pipe()
    p = mp.Process(target=target, args=(child_ctl,) + args)
    p.start()
    child_ctl.close()
    if ctl.recv() != 'ready':
        raise RuntimeError('child did not start')
    return p, ctl


def finish(p, ctl):
    ctl.close()
    p.join()
    if p.exitcode != 0:
        raise RuntimeError('child failed: exitcode %r' % p.exitcode)


# ---- Process start + join --------------------------------------------------

def process_bench(method):
    def run(scale):
        ctx = mp.get_context(method)
        t0 = now()
        for _ in range(scale):
            p = ctx.Process(target=noop)
            p.start()
            p.join()
        t = now() - t0
        return t, scale
    return run


# ---- Pipe ------------------------------------------------------------------

def echo(ctl, conn, n):
    ctl.send('ready')
    for _ in range(n):
        conn.send(conn.recv())


def pipe_rtt(scale):
    n = 100 * scale
    a, b = mp.Pipe()
    p, ctl = start_child(echo, b, n)
    b.close()
    msg = [42, None, 'hello']
    t0 = now()
    for _ in range(n):
        a.send(msg)
        r = a.recv()
    t = now() - t0
    assert r == msg
    finish(p, ctl)
    a.close()
    return t, n


def streamer(ctl, w, n, size):
    msg = bytes(size)
    ctl.send('ready')
    ctl.recv()
    for _ in range(n):
        w.send_bytes(msg)


def pipe_stream(n, size):
    r, w = mp.Pipe(duplex=False)
    p, ctl = start_child(streamer, w, n, size)
    w.close()
    t0 = now()
    ctl.send('go')
    for _ in range(n):
        m = r.recv_bytes()
    t = now() - t0
    assert len(m) == size
    finish(p, ctl)
    r.close()
    return t, n


def pipe_stream64(scale):
    return pipe_stream(1000 * scale, 64)


def pipe_stream64k(scale):
    return pipe_stream(100 * scale, 65536)


# ---- Queue, SimpleQueue: a child puts n ints, the parent gets them ---------

def producer(ctl, q, n):
    ctl.send('ready')
    ctl.recv()
    for i in range(n):
        q.put(i)


def queue_ints_with(q, n):
    p, ctl = start_child(producer, q, n)
    s = 0
    t0 = now()
    ctl.send('go')
    for _ in range(n):
        s += q.get()
    t = now() - t0
    assert s == n * (n - 1) // 2
    finish(p, ctl)
    q.close()
    return t, n


def queue_ints(scale):
    return queue_ints_with(mp.Queue(), 1000 * scale)


def queue_ints_procs(nprocs):
    """nprocs - 1 children each put 1000 * scale ints into one Queue, the
    parent gets them all."""
    def run(scale):
        n, q = 1000 * scale, mp.Queue()
        kids = [start_child(producer, q, n) for _ in range(nprocs - 1)]
        s = 0
        t0 = now()
        for _, ctl in kids:
            ctl.send('go')
        for _ in range(n * (nprocs - 1)):
            s += q.get()
        t = now() - t0
        assert s == (nprocs - 1) * (n * (n - 1) // 2)
        for p, ctl in kids:
            finish(p, ctl)
        q.close()
        return t, n * (nprocs - 1)
    return run


def simplequeue_ints(scale):
    return queue_ints_with(mp.SimpleQueue(), 1000 * scale)


# ---- Lock ------------------------------------------------------------------

def lock_uncontended(scale):
    n = 10000 * scale
    lock = mp.Lock()
    acquire, release = lock.acquire, lock.release
    t0 = cpu_now()
    for _ in range(n):
        acquire()
        release()
    return cpu_now() - t0, n


def incrementer(ctl, lock, v, n):
    ctl.send('ready')
    ctl.recv()
    for _ in range(n):
        with lock:
            v.value += 1
    ctl.send('done')


def lock_contended(scale):
    n = 1000 * scale
    lock = mp.Lock()
    v = mp.Value('q', 0, lock=False)
    p, ctl = start_child(incrementer, lock, v, n)
    t0 = now()
    ctl.send('go')
    for _ in range(n):
        with lock:
            v.value += 1
    ctl.recv()
    t = now() - t0
    assert v.value == 2 * n
    finish(p, ctl)
    return t, 2 * n


def lock_contended_procs(nprocs):
    """The parent and nprocs - 1 children each make 1000 * scale
    increments under one Lock."""
    def run(scale):
        n = 1000 * scale
        lock = mp.Lock()
        v = mp.Value('q', 0, lock=False)
        kids = [start_child(incrementer, lock, v, n)
                for _ in range(nprocs - 1)]
        t0 = now()
        for _, ctl in kids:
            ctl.send('go')
        for _ in range(n):
            with lock:
                v.value += 1
        for _, ctl in kids:
            ctl.recv()
        t = now() - t0
        assert v.value == nprocs * n
        for p, ctl in kids:
            finish(p, ctl)
        return t, nprocs * n
    return run


# ---- Barrier, Event --------------------------------------------------------

def barrier_party(ctl, b, n):
    ctl.send('ready')
    for _ in range(n + 1):
        b.wait()


def barrier_wait(scale):
    n = 100 * scale
    b = mp.Barrier(2)
    p, ctl = start_child(barrier_party, b, n)
    b.wait()
    t0 = now()
    for _ in range(n):
        b.wait()
    t = now() - t0
    finish(p, ctl)
    return t, n


def ponger(ctl, ping, pong, n):
    ctl.send('ready')
    for _ in range(n):
        ping.wait()
        ping.clear()
        pong.set()


def event_pingpong(scale):
    n = 100 * scale
    ping, pong = mp.Event(), mp.Event()
    p, ctl = start_child(ponger, ping, pong, n)
    t0 = now()
    for _ in range(n):
        ping.set()
        pong.wait()
        pong.clear()
    t = now() - t0
    finish(p, ctl)
    return t, n


# ---- Value, Array (synchronized wrappers: each get and set takes the lock) -

def value_rw(scale):
    n = 10000 * scale
    v = mp.Value('i', 0)
    t0 = cpu_now()
    for _ in range(n):
        v.value += 1
    t = cpu_now() - t0
    assert v.value == n
    return t, n


def array_rw(scale):
    n = 10000 * scale
    a = mp.Array('i', 10)
    t0 = cpu_now()
    for i in range(n):
        a[i % 10] += 1
    t = cpu_now() - t0
    assert sum(a[:]) == n
    return t, n


# ---- Pool.map (two workers, warm) -------------------------------------------

def pool_map_with(n, chunksize, processes=2):
    with mp.Pool(processes) as pool:
        pool.map(square, range(100))
        t0 = now()
        r = pool.map(square, range(n), chunksize)
        t = now() - t0
    assert r[-1] == (n - 1) * (n - 1)
    return t, n


def pool_map(scale):
    return pool_map_with(1000 * scale, None)


def pool_map1(scale):
    return pool_map_with(100 * scale, 1)


def pool_map_procs(nprocs):
    def run(scale):
        return pool_map_with(1000 * scale, None, nprocs)
    return run


# ---- Manager dict: a set and a get, one round trip each --------------------

def manager_dict(scale):
    n = 50 * scale
    with mp.Manager() as m:
        d = m.dict()
        d['k'] = 0
        t0 = now()
        for i in range(n):
            d['k'] = i
            x = d['k']
        t = now() - t0
    assert x == n - 1
    return t, 2 * n


BENCHMARKS = {
    'process.fork': process_bench('fork'),
    'process.spawn': process_bench('spawn'),
    'process.forkserver': process_bench('forkserver'),
    'pipe.rtt': pipe_rtt,
    'pipe.stream64': pipe_stream64,
    'pipe.stream64k': pipe_stream64k,
    'queue.ints': queue_ints,
    'queue.ints.4': queue_ints_procs(4),
    'queue.ints.8': queue_ints_procs(8),
    'simplequeue.ints': simplequeue_ints,
    'lock.uncontended': lock_uncontended,
    'lock.contended': lock_contended,
    'lock.contended.4': lock_contended_procs(4),
    'lock.contended.8': lock_contended_procs(8),
    'barrier.wait': barrier_wait,
    'event.pingpong': event_pingpong,
    'value.rw': value_rw,
    'array.rw': array_rw,
    'pool.map': pool_map,
    'pool.map.4': pool_map_procs(4),
    'pool.map.8': pool_map_procs(8),
    'pool.map1': pool_map1,
    'manager.dict': manager_dict,
}


def max_rss_kib():
    """Peak resident set (KiB) of this process since its exec (VmHWM) and
    of the largest child it reaped, as bench.h's bench_max_rss_kib."""
    import resource
    own = 0
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmHWM:'):
                own = int(line.split()[1])
    return max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def main(argv):
    if argv == ['--list']:
        print('\n'.join(BENCHMARKS))
        return 0
    if len(argv) != 2 or argv[0] not in BENCHMARKS:
        print('usage: bench.py --list | NAME SCALE', file=sys.stderr)
        return 2
    fn, scale = BENCHMARKS[argv[0]], int(argv[1])
    fn(1)
    seconds, ops = fn(scale)
    print(json.dumps({'seconds': seconds, 'ops': ops,
                      'max_rss_kib': max_rss_kib()}), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
