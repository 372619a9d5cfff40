# not a document example: start() may be called at most once per process object
import multiprocessing as mp


def f():
    pass


if __name__ == '__main__':
    p = mp.Process(target=f)
    p.start()
    try:
        p.start()
    except AssertionError as e:
        print('while running:', type(e).__name__, e)
    p.join()
    try:
        p.start()
    except AssertionError as e:
        print('after join:', type(e).__name__, e)
    print('exitcode:', p.exitcode)
    p.start()
