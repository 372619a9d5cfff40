# not a document example: terminate() sends SIGTERM; finally clauses and exit handlers of
# the child do not run, and the child's own children are not terminated
import atexit
import multiprocessing as mp
import time


def grandchild(conn):
    time.sleep(3)
    conn.send('grandchild still alive')
    conn.close()


def child(ev, conn):
    atexit.register(print, 'child atexit ran', flush=True)
    g = mp.Process(target=grandchild, args=(conn,))
    g.start()
    try:
        print('child started', flush=True)
        ev.set()
        time.sleep(50)
    finally:
        print('child finally ran', flush=True)


if __name__ == '__main__':
    ev = mp.Event()
    r, w = mp.Pipe(False)
    p = mp.Process(target=child, args=(ev, w))
    p.start()
    ev.wait()
    p.terminate()
    print('is_alive right after terminate:', p.is_alive())
    p.join()
    print('exitcode:', p.exitcode, 'is_alive:', p.is_alive())
    print(r.recv())
