# spec: cpython-testsuite.md section 13 (Manager and proxies), shutdown then
# use: the proxies of one manager share their thread's connection to it
# (BaseProxy._address_to_local), so once print(d) has opened that
# connection, every proxy of the main thread fails after shutdown() with
# BrokenPipeError, including proxies never called since they were made,
# and their str() shows the "'__str__()' failed" form; a thread that had no
# connection yet opens a new one and finds no socket (FileNotFoundError).
import multiprocessing as mp
import threading


def show(what, f):
    try:
        print(what, repr(f()))
    except Exception as e:
        print(what, type(e).__name__, e)


if __name__ == '__main__':
    m = mp.Manager()
    d = m.dict(a=1)
    l = m.list([1])
    ns = m.Namespace(x=1)
    print('d:', d)
    m.shutdown()
    show('d[a]:', lambda: d['a'])
    show('len(l):', lambda: len(l))
    show('l.append(2):', lambda: l.append(2))
    show('ns.x:', lambda: ns.x)
    print('str(l):', l)
    t = threading.Thread(target=show, args=('len(l) in a new thread:', lambda: len(l)))
    t.start()
    t.join()
