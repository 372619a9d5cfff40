# not a document example: CPython's _TestQueue as the suite runs it a second
# time on a SyncManager's proxies (WithManagerTestQueue: Queue, JoinableQueue
# and the Events are manager objects, queue.Queue in the server; Process is
# multiprocessing's). test_timeout, test_closed_queue_put_get_exceptions and
# test_no_import_lock_contention use multiprocessing.Queue even there: the
# queue cases that cover _TestQueue's copies name them.
import multiprocessing as mp
import time


def timed(label, fn, *args, **kw):
    t0 = time.monotonic()
    try:
        r = repr(fn(*args, **kw))
    except Exception as e:
        r = '%s.%s %r' % (type(e).__module__, type(e).__name__, str(e))
    print('%s: %s after %.3f s' % (label, r, time.monotonic() - t0))


def put_f(queue, child_can_start, parent_can_continue):
    child_can_start.wait()
    for i in range(6):
        queue.get()
    parent_can_continue.set()


def get_f(queue, child_can_start, parent_can_continue):
    child_can_start.wait()
    for i in (2, 3, 4, 5):
        queue.put(i)
    parent_can_continue.set()


def fork_f(queue):
    for i in range(10, 20):
        queue.put(i)


def task_done_f(q, done):
    for obj in iter(q.get, None):
        time.sleep(0.1)
        done.append(obj)
        q.task_done()


def start(target, *args):
    p = mp.Process(target=target, args=args)
    p.daemon = True
    p.start()
    return p


if __name__ == '__main__':
    manager = mp.Manager()

    # test_put
    queue = manager.Queue(maxsize=6)
    print('queue: %r' % queue)
    child_can_start, parent_can_continue = manager.Event(), manager.Event()
    p = start(put_f, queue, child_can_start, parent_can_continue)
    print('empty, full:', queue.empty(), queue.full())
    print('puts:', queue.put(1), queue.put(2, True), queue.put(3, True, None),
          queue.put(4, False), queue.put(5, False, None), queue.put_nowait(6))
    print('empty, full:', queue.empty(), queue.full())
    timed('put(7, False)', queue.put, 7, False)
    timed('put(7, False, None)', queue.put, 7, False, None)
    timed('put_nowait(7)', queue.put_nowait, 7)
    timed('put(7, True, 0.2)', queue.put, 7, True, 0.2)
    timed('put(7, False, 0.2)', queue.put, 7, False, 0.2)
    timed('put(7, True, timeout=0.3)', queue.put, 7, True, timeout=0.3)
    child_can_start.set()
    parent_can_continue.wait()
    print('after the child got 6, empty, full:', queue.empty(), queue.full())
    p.join()
    print('exitcode:', p.exitcode)

    # test_get
    queue = manager.Queue()
    child_can_start, parent_can_continue = manager.Event(), manager.Event()
    p = start(get_f, queue, child_can_start, parent_can_continue)
    print('empty:', queue.empty())
    child_can_start.set()
    parent_can_continue.wait()
    print('empty:', queue.empty())
    print('gets:', queue.get(True, None), queue.get(True), queue.get(timeout=1),
          queue.get_nowait())
    print('empty:', queue.empty())
    timed('get(False)', queue.get, False)
    timed('get(False, None)', queue.get, False, None)
    timed('get_nowait()', queue.get_nowait)
    timed('get(True, 0.2)', queue.get, True, 0.2)
    timed('get(False, 0.2)', queue.get, False, 0.2)
    timed('get(timeout=0.3)', queue.get, timeout=0.3)
    p.join()
    print('exitcode:', p.exitcode)

    # test_fork: the parent's items first, then the child's, in order
    queue = manager.Queue()
    for i in range(10):
        queue.put(i)
    time.sleep(0.1)
    p = start(fork_f, queue)
    print('got:', [queue.get() for i in range(20)])
    timed('get(False)', queue.get, False)
    p.join()
    print('exitcode:', p.exitcode)

    # test_qsize
    q = manager.Queue()
    sizes = [q.qsize()]
    for step in (lambda: q.put(1), lambda: q.put(5), q.get, q.get):
        step()
        sizes.append(q.qsize())
    print('qsize:', sizes)

    # test_task_done: join() returns once four workers marked all ten done
    queue = manager.JoinableQueue()
    print('joinable: %r' % queue)
    done = manager.list()
    workers = [start(task_done_f, queue, done) for i in range(4)]
    for i in range(10):
        queue.put(i)
    queue.join()
    print('done at join():', sorted(done))
    for p in workers:
        queue.put(None)
    for p in workers:
        p.join()
    print('exitcodes:', [p.exitcode for p in workers])
    manager.shutdown()
