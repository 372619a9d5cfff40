# spec: CPython 3.11 _TestProcess.test_wait_for_threads: a child process
# waits for its non-daemon threads before it exits, and not for its daemon
# threads.  The non-daemon thread sets an Event after 0.5 s; the daemon one
# would clear it after 20 s (both scaled by MP_TIME_SCALE): the Event is set
# after join() only when the child waited for the first and not the second.
import multiprocessing as mp
import threading
import time


def func1(evt):
    time.sleep(0.5)
    evt.set()


def func2(evt):
    time.sleep(20)
    evt.clear()


def child(evt):
    threading.Thread(target=func1, args=(evt,)).start()
    threading.Thread(target=func2, args=(evt,), daemon=True).start()


if __name__ == '__main__':
    evt = mp.Event()
    p = mp.Process(target=child, args=(evt,))
    p.start()
    p.join()
    print('event set after join:', evt.is_set())
    print('exitcode:', p.exitcode)
