# not a document example: CPython's _TestEvent as the suite runs it a second
# time on a SyncManager's Event proxy (WithManagerTestEvent). wait() on the
# proxy returns threading.Event.wait's flag; a child started with the proxy
# sets the server's Event after a delay; repr() is the proxy's own, str() the
# server object's.
import multiprocessing as mp
import time


def timed(label, fn):
    t0 = time.monotonic()
    r = fn()
    print('%s: %s after %.3f s' % (label, r, time.monotonic() - t0))


def set_later(event):
    time.sleep(0.35)
    event.set()


if __name__ == '__main__':
    manager = mp.Manager()

    # test_event
    event = manager.Event()
    print('is_set():', event.is_set())
    timed('wait(0.0)', lambda: event.wait(0.0))
    timed('wait(0.2)', lambda: event.wait(0.2))
    print('set():', event.set())
    print('is_set():', event.is_set())
    timed('wait()', lambda: event.wait())
    timed('wait(0.2)', lambda: event.wait(0.2))
    print('clear():', event.clear())
    print('is_set():', event.is_set())
    p = mp.Process(target=set_later, args=(event,))
    p.daemon = True
    p.start()
    timed('wait() for the child', lambda: event.wait())
    p.join()
    print('exitcode:', p.exitcode)

    # test_repr
    event = manager.Event()
    print('repr: %r %s' % (event, event))
    event.set()
    print('repr: %r %s' % (event, event))
    manager.shutdown()
