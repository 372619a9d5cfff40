# spec: TestSyncManagerTypes.test_pool (CPython 3.11): a SyncManager's Pool
# used by a child.
import multiprocessing
import multiprocessing.managers


def run_worker(worker, obj):
    p = multiprocessing.Process(target=worker, args=(obj,))
    p.daemon = True
    p.start()
    p.join()
    print('  child exitcode:', p.exitcode)


def child_pool(obj):
    with obj:
        pass
    print('  child: with pool: done')


def test_pool(manager):
    o = manager.Pool(processes=4)
    run_worker(child_pool, o)
    # the child's with terminated the pool in the server
    try:
        print('apply() after the child left with:', o.apply(abs, (-1,)))
    except ValueError as e:
        print('apply() after the child left with: ValueError', e)


if __name__ == '__main__':
    manager = multiprocessing.managers.SyncManager()
    manager.start()
    print('Pool')
    test_pool(manager)
    manager.shutdown()
