# spec: CPython's TestInitializers.test_pool_initializer: Pool(initializer=1)
# raises TypeError 'initializer must be a callable' before starting any
# worker; Pool(1, initializer, (ns,)) runs initializer(ns) once in its one
# worker (a manager Namespace counts the calls), even when the pool is
# closed and joined without any task.
import multiprocessing as mp


def initializer(ns):
    ns.test += 1


if __name__ == '__main__':
    try:
        mp.Pool(initializer=1)
    except TypeError as e:
        print('initializer=1:', type(e).__name__, e)
    print('workers after the refusal:', len(mp.active_children()))
    with mp.Manager() as mgr:
        ns = mgr.Namespace()
        ns.test = 0
        p = mp.Pool(1, initializer, (ns,))
        p.close()
        p.join()
        print('ns.test:', ns.test)
