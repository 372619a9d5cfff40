# spec: cpython-testsuite.md section 14 (Pool): imap_unordered yields results
# as they complete and imap in input order. Task 0 waits for a Manager
# Event the parent sets only after it has read every other result, so with
# two workers the other worker runs tasks 1..5 in turn: imap_unordered
# gives 1..5 then 0, while imap's next(timeout) raises TimeoutError until
# the event is set (and the iterator goes on afterwards); leaving
# `with Pool()` terminates the pool, so a task still waiting then never
# completes (get(timeout) is TimeoutError, ready() False).
import multiprocessing as mp


def task(args):
    ev, i = args
    if i == 0 and not ev.wait(60):
        return 'event not set'
    return i * 10


def show(what, f):
    try:
        print(what, repr(f()))
    except Exception as e:
        print(what, type(e).__name__, e)


if __name__ == '__main__':
    with mp.Manager() as m:
        ev = m.Event()
        with mp.Pool(2) as p:
            it = p.imap_unordered(task, [(ev, i) for i in range(6)])
            print('imap_unordered first five:', [it.next(timeout=60) for _ in range(5)])
            show('imap_unordered next(timeout=0.2):', lambda: it.next(timeout=0.2))
            ev.set()
            show('imap_unordered next:', lambda: it.next(timeout=60))
            show('imap_unordered next at end:', it.next)
            ev.clear()
            it = p.imap(task, [(ev, i) for i in range(6)])
            show('imap next(timeout=0.2):', lambda: it.next(timeout=0.2))
            show('imap next(timeout=0.2) again:', lambda: it.next(timeout=0.2))
            ev.set()
            print('imap rest:', [it.next(timeout=60) for _ in range(6)])
            ev.clear()
            r = p.apply_async(task, ((ev, 0),))
            show('waiting task get(timeout=0.2):', lambda: r.get(timeout=0.2))
        show('after with: get(timeout=0.5):', lambda: r.get(timeout=0.5))
        show('after with: ready():', r.ready)
        show('after with: map:', lambda: p.map(task, [(ev, 1)]))
