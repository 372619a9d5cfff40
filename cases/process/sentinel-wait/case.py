# not a document example: sentinel is a handle that becomes ready when the process ends,
# usable with multiprocessing.connection.wait()
import multiprocessing as mp
from multiprocessing.connection import wait


def f(ev):
    ev.wait()


if __name__ == '__main__':
    ev = mp.Event()
    p = mp.Process(target=f, args=(ev,))
    try:
        p.sentinel
    except ValueError as e:
        print('before start:', type(e).__name__, e)
    p.start()
    s = p.sentinel
    print('type:', type(s).__name__)
    print('wait(timeout=0) while running:', wait([s], timeout=0))
    ev.set()
    print('wait() after set:', wait([s]) == [s])
    print('exitcode without join:', p.exitcode)
    p.join()
