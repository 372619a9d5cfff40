# spec: CPython 3.11 _TestProcess.test_active_children: active_children() is
# a list that holds a child only between start() and join().  The child waits
# on an Event the parent sets after looking, so "after start" cannot race the
# child's exit (the suite's child sleeps 0.1 s instead).
import multiprocessing as mp


def wait_for(e):
    e.wait()


if __name__ == '__main__':
    e = mp.Event()
    print('type:', type(mp.active_children()).__name__)
    p = mp.Process(target=wait_for, args=(e,))
    print('before start:', p in mp.active_children())
    p.daemon = True
    p.start()
    print('after start:', p in mp.active_children())
    print('count:', len(mp.active_children()))
    e.set()
    p.join()
    print('after join:', p in mp.active_children())
    print('count:', len(mp.active_children()))
