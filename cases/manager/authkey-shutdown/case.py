# spec: cpython-testsuite.md section 13 (Manager and proxies): a second
# manager object connecting to a running server with a wrong authkey (or
# the default one, current_process().authkey, when the server has its own)
# gets AuthenticationError 'digest sent was rejected', in the parent and in
# a child under every start method, and with the right key it connects and
# creates objects in the same server; after shutdown(), proxies fail with
# BrokenPipeError (their connection's server is gone), str() of a proxy
# shows CPython's "'__str__()' failed" form, creating through the shut
# manager is AssertionError 'server not yet started', creating through a
# connected one finds no socket (FileNotFoundError), and shutdown() again
# is a no-op.
import multiprocessing as mp
from multiprocessing.managers import SyncManager


def show(what, f):
    try:
        print(what, repr(f()))
    except Exception as e:
        print(what, type(e).__name__, e)


def connect(address, key):
    m = SyncManager(address=address, authkey=key)
    m.connect()
    return m


def child(address, d):
    show('child wrong key:', lambda: connect(address, b'wrong') and 'connected')
    show('child default key:', lambda: connect(address, None) and 'connected')
    m = connect(address, b'secret')
    l = m.list(['from child'])
    d['child'] = l[0]
    print('child connected:', l, d)


if __name__ == '__main__':
    m = SyncManager(authkey=b'secret')
    m.start()
    d = m.dict(a=1)
    print('d:', d)
    show('wrong key:', lambda: connect(m.address, b'wrong') and 'connected')
    show('empty key:', lambda: connect(m.address, b'') and 'connected')
    show('default key:', lambda: connect(m.address, None) and 'connected')
    m2 = connect(m.address, b'secret')
    d2 = m2.dict(b=2)
    print('second manager:', d2, type(d2).__name__)
    p = mp.Process(target=child, args=(m.address, d))
    p.start()
    p.join()
    print('child exitcode:', p.exitcode)
    print('d after child:', d)
    m.shutdown()
    show('d[a]:', lambda: d['a'])
    show('d[a] again:', lambda: d['a'])
    print('str(d2):', d2)
    show('m.dict():', lambda: m.dict())
    show('m2.dict():', lambda: m2.dict())
    show('m.shutdown():', m.shutdown)
