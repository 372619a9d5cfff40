# not a document example: exitcode is None while running, 0 on return, N for sys.exit(N),
# 1 for an uncaught exception, -N when killed by signal N
import multiprocessing as mp
import os
import signal
import sys
import time


def ret():
    return 5


def exit3():
    sys.exit(3)


def exit_none():
    sys.exit()


def exit_msg():
    sys.exit('bye')


def raiser():
    raise ValueError('boom')


def usr1():
    os.kill(os.getpid(), signal.SIGUSR1)


def sleeper():
    time.sleep(50)


if __name__ == '__main__':
    for f in (ret, exit3, exit_none, exit_msg, raiser, usr1):
        p = mp.Process(target=f)
        p.start()
        p.join()
        print(f.__name__, p.name, p.exitcode)
    for how in ('terminate', 'kill'):
        p = mp.Process(target=sleeper)
        p.start()
        print(how, 'while running:', p.exitcode)
        getattr(p, how)()
        p.join()
        print(how, p.name, p.exitcode)
        print(repr(p))
