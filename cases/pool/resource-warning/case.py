# spec: CPython's _TestPool.test_resource_warning: a Pool garbage
# collected while its state is RUN emits ResourceWarning 'unclosed
# running multiprocessing pool <repr>' from __del__ (the test forces the
# state back to RUN after terminate() and join(), so no worker is left
# running); a pool collected after close()/join() warns nothing.
import gc
import multiprocessing as mp
import multiprocessing.pool
import warnings

if __name__ == '__main__':
    pool = mp.Pool(1)
    pool.terminate()
    pool.join()
    pool._state = multiprocessing.pool.RUN
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        pool = None
        gc.collect()
    for m in w:
        print(m.category.__name__, m.message)
    pool = mp.Pool(1)
    pool.close()
    pool.join()
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        pool = None
        gc.collect()
    print('after close and join:', [str(m.message) for m in w])
