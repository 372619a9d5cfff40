# spec: CPython's TestStdinBadfiledescriptor.test_pool_in_process: a
# (non-daemonic) child process creates a Pool(4), maps over it, closes
# and joins it, and exits with status 0.
import multiprocessing as mp


def _afunc(x):
    return x * x


def pool_in_process():
    pool = mp.Pool(processes=4)
    x = pool.map(_afunc, [1, 2, 3, 4, 5, 6, 7])
    pool.close()
    pool.join()
    print('in child:', x)
    print('workers left in child:', len(mp.active_children()))


if __name__ == '__main__':
    proc = mp.Process(target=pool_in_process)
    proc.start()
    proc.join()
    print('exitcode:', proc.exitcode)
