# not a document example: is_alive() polls the child, so once the child has
# ended it turns False, and exitcode is set, without a join()
import multiprocessing as mp
import time
from multiprocessing.connection import wait


def f():
    pass


if __name__ == '__main__':
    p = mp.Process(target=f)
    p.start()
    print('sentinel ready:', wait([p.sentinel], 30) == [p.sentinel])
    # the sentinel is ready when the child closes it, a moment before the
    # child is a zombie that waitpid() can reap: poll for up to 5 s
    deadline = time.monotonic() + 5
    while p.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    print('is_alive() before join():', p.is_alive())
    print('exitcode before join():', p.exitcode)
    p.join()
    print('is_alive() after join():', p.is_alive())
