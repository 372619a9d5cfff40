# not a document example: Process.join(timeout) "blocks at most timeout
# seconds": on a child that runs longer it waits the whole timeout, then
# returns None with the child still alive
import multiprocessing as mp
import time


def f():
    time.sleep(5)


if __name__ == '__main__':
    p = mp.Process(target=f)
    p.start()
    t = time.monotonic()
    r = p.join(0.3)
    waited = time.monotonic() - t
    print('join(0.3):', r, 'alive:', p.is_alive())
    print('waited at least 0.3 s:', waited >= 0.3)
    print('waited less than 2 s:', waited < 2)
    p.terminate()
    p.join()
    print('exitcode:', p.exitcode)
