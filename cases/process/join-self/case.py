# not a document example: a process cannot join itself
import multiprocessing as mp


def f():
    try:
        mp.current_process().join()
    except AssertionError as e:
        print('child joins itself:', type(e).__name__, e)


if __name__ == '__main__':
    p = mp.Process(target=f)
    p.start()
    p.join()
    print('exitcode:', p.exitcode)
    try:
        mp.current_process().join()
    except AssertionError as e:
        print('main joins itself:', type(e).__name__, e)
