# not a document example: pid is None before the process is spawned, then the child's pid
import multiprocessing as mp
import os


def f():
    print('child os.getpid():', os.getpid())


if __name__ == '__main__':
    p = mp.Process(target=f)
    print('before start:', p.pid, p.ident)
    p.start()
    pid = p.pid
    p.join()
    print('after start:', pid, 'ident', p.ident, type(pid).__name__)
    print('after join:', p.pid)
    print('main pid:', os.getpid(), mp.current_process().pid)
