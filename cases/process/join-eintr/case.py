# spec: CPython 3.11 _TestPollEintr.test_poll_eintr: a parent with a handler
# for SIGUSR1 joins a child that sleeps 2 s while another child sends it
# SIGUSR1; join() neither fails nor returns early (EINTR is retried, PEP
# 475): the handler ran and the sleeper's exitcode is 0.  The suite's killer
# signals once after 0.1 s; this one signals four times over the sleep
# (0.1, 0.6, 1.1, 1.6 s) so that some signals surely land inside join().
import multiprocessing as mp
import os
import signal
import time


def killer(pid):
    for _ in range(4):
        time.sleep(0.1 if _ == 0 else 0.5)
        os.kill(pid, signal.SIGUSR1)


if __name__ == '__main__':
    got = []
    signal.signal(signal.SIGUSR1, lambda *args: got.append(1))
    k = mp.Process(target=killer, args=(os.getpid(),))
    k.start()
    try:
        p = mp.Process(target=time.sleep, args=(2,))
        p.start()
        t = time.monotonic()
        p.join()
        d = time.monotonic() - t
    finally:
        k.join()
    print('signals handled:', len(got))
    print('exitcode:', p.exitcode)
    print('is_alive:', p.is_alive())
    print('join took %.2f s' % d)
