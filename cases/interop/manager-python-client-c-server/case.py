# Not a listing of a document: the interop case of issue 16, a CPython
# client of a manager holding a registered type of one's own.  Here both
# halves are Python; for libmpref, case.c is the server (Counter written
# in C) and client.py, on /usr/bin/python3, the client.  Both runs use
# client.py's client(), so the two halves cannot drift apart.
from multiprocessing.managers import BaseManager

from client import client


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


if __name__ == '__main__':
    with MyManager() as manager:
        client(manager)
