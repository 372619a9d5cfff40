# spec: CPython 3.11 _TestQueue.test_queue_feeder_donot_stop_onexc (bpo-30414,
# bpo-33078): an item the feeder thread cannot pickle makes put() fail in
# neither the caller nor the queue: the error is printed by the feeder (a
# traceback on stderr), later items still arrive, and with maxsize=1 the slot
# of the failed item is given back (the next put() does not block, qsize()
# counts 1, empty() after the get).  The suite's item has a __reduce__ that
# raises; this case puts a Lock, which CPython refuses to pickle outside
# spawning ("Lock objects should only be shared between processes through
# inheritance"), so that a C implementation has the same item.
import multiprocessing as mp

if __name__ == '__main__':
    lock = mp.Lock()
    q = mp.Queue()
    q.put(lock)
    print('put(Lock) returned')
    q.put(True)
    print('get:', q.get(timeout=10))
    q.close()
    q.join_thread()

    q = mp.Queue(maxsize=1)
    q.put(lock)
    q.put(True)
    print('maxsize=1 qsize:', q.qsize())
    print('maxsize=1 get:', q.get(timeout=10))
    print('maxsize=1 empty:', q.empty())
    q.close()
    q.join_thread()
