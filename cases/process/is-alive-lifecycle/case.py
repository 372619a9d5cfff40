# not a document example: is_alive() is False before start(), True until the child ends
import multiprocessing as mp


def f(ev):
    ev.wait()


if __name__ == '__main__':
    ev = mp.Event()
    p = mp.Process(target=f, args=(ev,))
    print('before start:', p.is_alive())
    p.start()
    print('after start:', p.is_alive())
    ev.set()
    p.join()
    print('after join:', p.is_alive(), p.exitcode)
    print('main process:', mp.current_process().is_alive())
