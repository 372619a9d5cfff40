# spec: CPython's _TestPool.test_release_task_refs (bpo-29861): after
# map() returns, the pool keeps no reference to the task arguments nor
# to the copies of them the workers sent back: once the caller drops
# them, every argument is finalised (its weakref dead) and no copy is
# alive. The handler threads drop their references shortly after the
# result is delivered, so the case waits for that (CPython's test sleeps
# 0.1 s), up to 10 s.
import gc
import multiprocessing as mp
import time
import weakref


class CountedObject(object):
    n_instances = 0

    def __new__(cls):
        cls.n_instances += 1
        return object.__new__(cls)

    def __del__(self):
        type(self).n_instances -= 1


def identity(x):
    return x


if __name__ == '__main__':
    with mp.Pool(2) as p:
        objs = [CountedObject() for i in range(10)]
        refs = [weakref.ref(o) for o in objs]
        out = p.map(identity, objs)
        print('copies back:', len(out), all(type(o) is CountedObject for o in out),
              any(a is b for a, b in zip(objs, out)))
        print('instances:', CountedObject.n_instances)
        del objs, out
        deadline = time.monotonic() + 10
        while True:
            gc.collect()
            released = set(wr() for wr in refs) == {None}
            if (released and CountedObject.n_instances == 0) or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        print('arguments released:', released)
        print('instances left:', CountedObject.n_instances)
    p.join()
