# not a document example: the section lists the types a Manager() supports;
# this creates each one through a Manager and uses it from a child process
from multiprocessing import Process, Manager


def child(l, d, ns, lock, rlock, sem, bsem, cond, ev, bar, q, v, a):
    print('child lock.acquire(False):', lock.acquire(False))
    print('child rlock.acquire(False):', rlock.acquire(False))
    print('child sem.acquire x3:', sem.acquire(False), sem.acquire(False), sem.acquire(False))
    print('child bsem.acquire:', bsem.acquire(), bsem.release())
    try:
        bsem.release()
    except ValueError as e:
        print('child bsem.release again:', type(e).__name__, e)
    with cond:
        cond.notify()
    q.put(bar.wait())
    ev.set()
    l.append(3)
    d['b'] = 2
    ns.y = 'child'
    v.value += 1
    a[0] = -1
    q.put('from child')


if __name__ == '__main__':
    with Manager() as m:
        l = m.list([1, 2])
        d = m.dict(a=1)
        ns = m.Namespace(x=1)
        lock = m.Lock()
        rlock = m.RLock()
        sem = m.Semaphore(2)
        bsem = m.BoundedSemaphore(1)
        cond = m.Condition()
        ev = m.Event()
        bar = m.Barrier(2)
        q = m.Queue()
        v = m.Value('i', 5)
        a = m.Array('i', [1, 2, 3])
        objs = [l, d, ns, lock, rlock, sem, bsem, cond, ev, bar, q, v, a]
        print(*[type(o).__name__ for o in objs])
        print('lock.acquire:', lock.acquire())
        print('rlock.acquire x2:', rlock.acquire(), rlock.acquire())
        print('ev.is_set:', ev.is_set())
        p = Process(target=child, args=tuple(objs))
        with cond:
            p.start()
            print('cond.wait:', cond.wait(10))
        idx = bar.wait()
        print('barrier indices:', sorted([idx, q.get()]))
        print('q.get:', q.get())
        p.join()
        print('exitcode:', p.exitcode)
        print('ev.is_set:', ev.is_set())
        print('l:', l)
        print('d:', d)
        print('ns:', ns)
        print('v:', v, v.value)
        print('a:', a, a[:], len(a))
        print('sem:', sem)
        sem.release()
        print('sem:', sem)
        lock.release()
        print('lock.acquire(False):', lock.acquire(False))
        rlock.release()
        rlock.release()
        print('rlock:', rlock)
