# spec: TestInitializers.test_manager_initializer (CPython 3.11).
import multiprocessing
import multiprocessing.managers


def initializer(ns):
    ns.test += 1


if __name__ == '__main__':
    mgr = multiprocessing.Manager()
    ns = mgr.Namespace()
    ns.test = 0
    m = multiprocessing.managers.SyncManager()
    try:
        m.start(1)
        print('start(1): no error')
    except TypeError as e:
        print('start(1): TypeError', e)
    m.start(initializer, (ns,))
    print('ns.test after start(initializer, (ns,)):', ns.test)
    m.shutdown()
    m.join()
    mgr.shutdown()
    mgr.join()
