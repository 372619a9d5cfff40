# spec: CPython's _TestPool.test_terminate: terminate() of a pool with
# 10 000 queued tasks (map_async of time.sleep(0.1), chunksize=1) stops
# the workers without running the backlog, and join() then returns
# promptly (CPython asserts under 2 s; running the backlog would take
# some 500 s on two workers); the result never becomes ready and no
# worker is left.
import multiprocessing as mp
import time

if __name__ == '__main__':
    p = mp.Pool(2)
    result = p.map_async(time.sleep, [0.1 for i in range(10000)], chunksize=1)
    t0 = time.monotonic()
    p.terminate()
    t1 = time.monotonic()
    p.join()
    t2 = time.monotonic()
    print('join under 2 s:', t2 - t1 < 2.0)
    print('terminate and join under 10 s:', t2 - t0 < 10.0)
    print('ready:', result.ready())
    print('workers left:', len(mp.active_children()))
    print(p)
