# spec: cpython-testsuite.md section 14 (Pool): initializer(*initargs) runs
# once in each worker, before its tasks (also in the workers that replace
# retired ones); maxtasksperchild=k retires a worker after k tasks, so the
# tasks of a one-worker pool run in ceil(n / k) successive processes, k
# each, every one a new pid with the next name of the process counter
# (ForkPoolWorker-N, SpawnPoolWorker-N or ForkServerPoolWorker-N, shown as
# W-N); without it the same workers serve every task; the workers are
# daemonic, their parent_process() is the main process, and a new pool's
# workers are new processes. The last worker of each limited pool has tasks
# left, so no replacement races the end of its pool and the numbers stay
# deterministic.
import multiprocessing as mp
import os

INIT = None
KIND = {'fork': 'ForkPoolWorker', 'spawn': 'SpawnPoolWorker',
        'forkserver': 'ForkServerPoolWorker'}


def init(tag, n):
    global INIT
    assert INIT is None, 'initializer ran twice'
    INIT = (tag * n, os.getpid())


def task(x):
    me = mp.current_process()
    return x, INIT, os.getpid(), me.name, me.daemon, mp.parent_process().pid


def report(label, results, first=0, names_in=None):
    parent = os.getpid()
    kind = KIND[mp.get_start_method()]
    pids = [pid for _, _, pid, _, _, _ in results]
    print(label, 'inputs in order:',
          [x for x, _, _, _, _, _ in results] == list(range(first, first + len(results))))
    print(label, 'initializer ran in the worker:',
          all(init[1] == pid for _, init, pid, _, _, _ in results if init))
    print(label, 'initializer values:', sorted({init[0] for _, init, _, _, _, _ in results if init}))
    print(label, 'daemonic children of main:', all(d and pp == parent for *_, d, pp in results))
    names = [name.replace(kind, 'W') for _, _, _, name, _, _ in results]
    if names_in is None:
        print(label, 'names:', names)
    else:
        print(label, 'names among', sorted(names_in), set(names) <= names_in)
    print(label, 'pids per worker name:',
          all(len({pid for pid, n in zip(pids, names) if n == name}) == 1 for name in names),
          'distinct pids:', len(set(pids)) if names_in is None else len(set(pids)) <= 2)
    return set(pids)


if __name__ == '__main__':
    with mp.Pool(1, initializer=init, initargs=('ab', 2), maxtasksperchild=2) as p:
        a = report('max2:', p.map(task, range(7), chunksize=1))
        a |= report('max2 again:', [p.apply(task, (i,)) for i in range(2)])
    with mp.Pool(1, maxtasksperchild=3) as p:
        b = report('max3 no init:', list(p.imap(task, range(7))))
    with mp.Pool(2, initializer=init, initargs=('x', 3)) as p:
        c = report('unlimited:', p.map(task, range(10), chunksize=1), 0, {'W-9', 'W-10'})
        c2 = report('unlimited again:', p.map(task, range(10, 20), chunksize=1), 10, {'W-9', 'W-10'})
        print('at most two workers for both maps:', len(c | c2) <= 2)
    print('pools share no worker:', not (a & b) and not (a & c) and not (b & c))
