# spec: _TestCondition.test_wait_result (CPython 3.11), the processes
# variant: the child sends SIGINT to the waiting parent.
import os
import signal
import time
from multiprocessing import Condition, Process


def child(c, pid):
    with c:
        c.notify()
    time.sleep(1)
    os.kill(pid, signal.SIGINT)


if __name__ == '__main__':
    c = Condition()
    with c:
        print('wait(0):', c.wait(0))
        print('wait(0.1):', c.wait(0.1))
        p = Process(target=child, args=(c, os.getpid()))
        p.start()
        print('wait(60) notified:', c.wait(60))
        t = time.monotonic()
        try:
            print('wait(60):', c.wait(60))
        except KeyboardInterrupt:
            print('wait(60) interrupted by SIGINT: KeyboardInterrupt')
        # the child sends SIGINT 1 s after it notified, long before 60 s
        print('interrupted before the timeout:', time.monotonic() - t < 30)
        p.join()
    print('exitcode:', p.exitcode)
