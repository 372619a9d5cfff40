# spec: TestSyncManagerTypes (CPython 3.11) test_event, test_lock,
# test_barrier, test_queue, test_joinable_queue and test_value: each object made by a
# SyncManager, used by a child, then checked by the parent.
import multiprocessing
import multiprocessing.managers


def run_worker(worker, obj):
    p = multiprocessing.Process(target=worker, args=(obj,))
    p.daemon = True
    p.start()
    p.join()
    print('  child exitcode:', p.exitcode)


def child_event(obj):
    print('  child: is_set', obj.is_set(), 'wait()', obj.wait())
    obj.clear()
    print('  child: clear(); wait(0.001)', obj.wait(0.001))


def child_lock(obj):
    print('  child: acquire()', obj.acquire())


def child_barrier(obj):
    print('  child: parties', obj.parties)
    print('  child: reset()', obj.reset())


def child_pool(obj):
    with obj:
        pass
    print('  child: with pool: done')


def child_queue(obj):
    print('  child: qsize', obj.qsize(), 'full', obj.full(),
          'empty', obj.empty())
    print('  child: get', obj.get(), 'empty', obj.empty())
    print('  child: get', obj.get(), 'empty', obj.empty())


def child_value(obj):
    print('  child: value', obj.value, 'get()', obj.get())
    obj.set(2)


def test_event(manager):
    o = manager.Event()
    o.set()
    run_worker(child_event, o)
    print('is_set:', o.is_set(), 'wait(0.001):', o.wait(0.001))


def test_lock(manager):
    o = manager.Lock()
    run_worker(child_lock, o)
    print('release():', o.release())
    try:
        o.release()
    except RuntimeError as e:
        print('release() again: RuntimeError', e)


def test_barrier(manager):
    o = manager.Barrier(5)
    run_worker(child_barrier, o)
    print('parties n_waiting broken:', o.parties, o.n_waiting, o.broken)


def test_pool(manager):
    o = manager.Pool(processes=4)
    run_worker(child_pool, o)


def test_queue(manager, qname='Queue'):
    o = getattr(manager, qname)(2)
    o.put(5)
    o.put(6)
    run_worker(child_queue, o)
    print('empty full:', o.empty(), o.full())


def test_value(manager):
    o = manager.Value('i', 1)
    run_worker(child_value, o)
    print('value get():', o.value, o.get())


if __name__ == '__main__':
    for name, test, args in [('Event', test_event, ()),
                             ('Lock', test_lock, ()),
                             ('Barrier', test_barrier, ()),
                             ('Queue', test_queue, ()),
                             ('JoinableQueue', test_queue, ('JoinableQueue',)),
                             ('Value', test_value, ())]:
        manager = multiprocessing.managers.SyncManager()
        manager.start()
        print(name)
        test(manager, *args)
        manager.shutdown()
