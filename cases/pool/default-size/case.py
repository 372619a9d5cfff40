# Not a listing of the document: a small program for the claim in the
# comments of its create_pro_pool(): "由于Pool的默認大小是CPU的核數,如果你不幸擁有
# 8核CPU,你要提交至少9個子進程才能看到上面的等待效果" (Pool()'s default size is
# the number of CPU cores; with 8 cores, submit at least 9 tasks to see the
# waiting). n + 1 tasks that each sleep one second run on n = os.cpu_count()
# workers: n of them together, the last one after a worker is free.
import os
import time
from multiprocessing import Pool

def task(i):
    start = time.time()
    time.sleep(1)
    return os.getpid(), start, time.time()

if __name__ == '__main__':
    n = os.cpu_count()
    p = Pool()
    results = p.map(task, range(n + 1))
    p.close()
    p.join()
    pids = set(pid for pid, start, end in results)
    starts = sorted(start for pid, start, end in results)
    ends = sorted(end for pid, start, end in results)
    print('tasks:', len(results) == n + 1)
    print('distinct workers == os.cpu_count():', len(pids) == n)
    print('the first n tasks ran together:', starts[n - 1] < ends[0])
    print('the last task waited for a free worker:', starts[n] >= ends[0])
