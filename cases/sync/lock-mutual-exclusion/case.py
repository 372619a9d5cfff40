# not a document example: while one process holds the Lock no other process runs the
# code it protects, so each "enter" is followed by the same process's "exit"
from multiprocessing import Process, Lock
import time


def work(lock, i):
    with lock:
        print('enter', i, flush=True)
        time.sleep(1)
        print('exit', i, flush=True)


if __name__ == '__main__':
    lock = Lock()
    ps = [Process(target=work, args=(lock, i)) for i in range(5)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
