# not a document example: the daemon flag's initial value is inherited from the creating
# process, and a daemonic process may not create child processes
import multiprocessing as mp


def g():
    print('grandchild ran')


def f():
    me = mp.current_process()
    q = mp.Process(target=g)
    print(me.name, 'daemon', me.daemon, 'new Process daemon', q.daemon)
    try:
        q.start()
    except AssertionError as e:
        print(me.name, 'start:', type(e).__name__, e)
    else:
        q.join()


if __name__ == '__main__':
    for daemon in (True, False):
        p = mp.Process(target=f, daemon=daemon)
        p.start()
        p.join()
        print('exitcode:', p.exitcode)
