# not a document example: joining a process before starting it is an error
import multiprocessing as mp


def f():
    print('child ran')


if __name__ == '__main__':
    p = mp.Process(target=f)
    try:
        p.join()
    except AssertionError as e:
        print('join before start:', type(e).__name__, e)
    try:
        p.join(1)
    except AssertionError as e:
        print('join(1) before start:', type(e).__name__, e)
    p.start()
    print('join after start:', p.join())
    print('exitcode:', p.exitcode)
