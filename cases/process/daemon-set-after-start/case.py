# not a document example: the daemon flag must be set before start()
import multiprocessing as mp


def f():
    print('child daemon:', mp.current_process().daemon)


if __name__ == '__main__':
    p = mp.Process(target=f)
    print('default:', p.daemon)
    p.daemon = True
    print('set before start:', p.daemon)
    p.start()
    try:
        p.daemon = False
    except AssertionError as e:
        print('set after start:', type(e).__name__, e)
    p.join()
    print('still:', p.daemon, 'exitcode:', p.exitcode)
