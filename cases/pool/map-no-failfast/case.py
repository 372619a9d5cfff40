# spec: CPython's _TestPool.test_map_no_failfast (bpo-23992): map() over
# two tasks that each raise a ValueError of 1 MiB (the second after 1 s)
# raises ValueError; close() and join() after it still finish (no
# deadlock on a result queue nobody drains) and wait for the slower
# task: more than 0.9 s pass in all.
import multiprocessing as mp
import time


def raise_large_valuerror(wait):
    time.sleep(wait)
    raise ValueError("x" * 1024**2)


if __name__ == '__main__':
    t_start = time.monotonic()
    try:
        with mp.Pool(2) as p:
            try:
                p.map(raise_large_valuerror, [0, 1])
            finally:
                time.sleep(0.5)
                p.close()
                p.join()
    except ValueError as e:
        print('map:', type(e).__name__, len(str(e)), set(str(e)))
    print('waited for the slow task:', time.monotonic() - t_start > 0.9)
    print('workers left:', len(mp.active_children()))
