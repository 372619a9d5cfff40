# spec: CPython's _TestPoolWorkerLifetime.test_pool_worker_lifetime_early_close
# (bpo-10332): close() a Pool(3, maxtasksperchild=1) while its six tasks
# (each sleeping 0.3 s) have not all run: the exiting workers are still
# replaced until the queued tasks are done, join() returns, and every
# result is right; six different workers ran them (one task each).
import multiprocessing as mp
import os
import time


def sqr(x, wait=0.0):
    time.sleep(wait)
    return x * x, os.getpid()


if __name__ == '__main__':
    p = mp.Pool(3, maxtasksperchild=1)
    results = []
    for i in range(6):
        results.append(p.apply_async(sqr, (i, 0.3)))
    p.close()
    t = time.monotonic()
    p.join()
    print('join returned:', time.monotonic() - t < 30)
    got = [res.get(timeout=0) for res in results]
    print('results:', [v for v, _ in got])
    print('distinct workers:', len(set(pid for _, pid in got)))
    print('workers left:', len(mp.active_children()))
