# Not a listing of a document: the interop case of issue 16, a CPython
# client of a manager holding a registered type of one's own.  Here both
# halves are Python; for libmpref, case.c is the server (Counter written
# in C) and client.py, on /usr/bin/python3, the client below.
from multiprocessing.managers import BaseManager, RemoteError


class CounterError(Exception):
    pass


class Counter(object):
    def __init__(self, n=0):
        self.n = n

    def increment(self, by=1):
        self.n += by
        return self.n

    def value(self):
        return self.n

    def fail(self, kind):
        if kind == 'value':
            raise ValueError('bad value %d' % self.n)
        if kind == 'key':
            raise KeyError(kind)
        raise CounterError('counter at %d' % self.n)

    def _secret(self):
        return 'secret %d' % self.n


class MyManager(BaseManager):
    pass


MyManager.register('Counter', callable=Counter)
MyManager.register('Secretive', callable=Counter, exposed=('value', '_secret'))


def call(proxy, name, *args):
    what = '%s.%s%r' % (proxy._token.typeid, name, args)
    try:
        print(what, '->', repr(proxy._callmethod(name, args)))
    except RemoteError as e:
        lines = str(e).splitlines()
        print(what, '-> RemoteError', 'KeyError: %r' % name in lines)
    except Exception as e:
        print(what, '->', type(e).__name__, str(e))


def client(manager):
    c = manager.Counter(10)
    s = manager.Secretive(3)
    print(type(c).__name__, sorted(c._exposed_))
    print(type(s).__name__, sorted(s._exposed_))
    call(c, 'increment', 5)
    call(c, 'value')
    call(c, 'fail', 'value')
    call(c, 'fail', 'key')
    call(c, 'fail', 'own')
    call(c, '_secret')
    call(s, '_secret')
    call(s, 'value')
    call(s, 'increment')


if __name__ == '__main__':
    with MyManager() as manager:
        client(manager)
