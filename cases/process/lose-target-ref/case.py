# spec: CPython 3.11 _TestProcess.test_lose_target_ref: after start() and
# join() the parent holds no reference to the Process's target (nor its
# args): a weak reference to the callable target is dead once the parent's
# own name for it is deleted; the target ran in the child.
import gc
import multiprocessing as mp
import weakref


class DummyCallable:
    def __call__(self, q, c):
        assert isinstance(c, DummyCallable)
        q.put(5)


if __name__ == '__main__':
    c = DummyCallable()
    wr = weakref.ref(c)
    q = mp.Queue()
    p = mp.Process(target=c, args=(q, c))
    del c
    p.start()
    p.join()
    gc.collect()
    print('target collected after join:', wr() is None)
    print('the target ran:', q.get())
    q.close()
    q.join_thread()
