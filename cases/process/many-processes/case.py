# spec: CPython 3.11 _TestProcess.test_many_processes: N children (100, or 5
# under spawn, as the suite) started at once all exit 0; N children
# terminated 1 ms after their start() (scaled) all report -SIGTERM, however
# far each got in its start-up (signals racing child start-up and a busy
# forkserver).
import multiprocessing as mp
import time


def short_sleep(t):
    # not target=time.sleep itself: the shim's scaled sleep cannot be pickled
    time.sleep(t)


def sleep_some():
    time.sleep(100)


if __name__ == '__main__':
    n = 5 if mp.get_start_method() == 'spawn' else 100
    procs = [mp.Process(target=short_sleep, args=(0.01,)) for i in range(n)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print('short children, exit codes:', sorted(set(p.exitcode for p in procs)),
          'count', len(procs) == n)
    procs = [mp.Process(target=sleep_some) for i in range(n)]
    for p in procs:
        p.start()
    time.sleep(0.001)
    for p in procs:
        p.terminate()
    for p in procs:
        p.join()
    print('terminated children, exit codes:', sorted(set(p.exitcode for p in procs)),
          'count', len(procs) == n)
