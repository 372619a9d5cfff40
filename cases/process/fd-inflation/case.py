# spec: CPython 3.11 _TestProcess.test_child_fd_inflation: under spawn and
# forkserver a child's number of open descriptors does not grow with the
# number of its siblings running (no sibling's pipe ends are inherited): 5
# children, all alive at once, report the same count.
import multiprocessing as mp
import os


def fd_count(evt, q):
    q.put(len(os.listdir('/proc/self/fd')))
    evt.wait()


if __name__ == '__main__':
    evt = mp.Event()
    q = mp.Queue()
    procs = [mp.Process(target=fd_count, args=(evt, q)) for i in range(5)]
    for p in procs:
        p.start()
    counts = [q.get() for i in range(5)]
    evt.set()
    for p in procs:
        p.join()
    print('distinct descriptor counts among 5 running siblings:', len(set(counts)))
    print('exit codes:', [p.exitcode for p in procs])
    q.close()
    q.join_thread()
