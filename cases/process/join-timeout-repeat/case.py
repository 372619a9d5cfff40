# not a document example: join(timeout) returns None whether or not the process ended;
# the exitcode tells which; a process may be joined many times
import multiprocessing as mp
import time


def f():
    time.sleep(5)


if __name__ == '__main__':
    p = mp.Process(target=f)
    p.start()
    print('join(0.1):', p.join(0.1), 'exitcode:', p.exitcode, 'alive:', p.is_alive())
    print('join():', p.join(), 'exitcode:', p.exitcode, 'alive:', p.is_alive())
    print('join() again:', p.join(), 'exitcode:', p.exitcode)
    print('join(0) again:', p.join(0), 'exitcode:', p.exitcode)
