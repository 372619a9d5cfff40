# The Python half of interop/manager-python-client-c-server: case.c (a
# libmpref manager holding Counter, a type written in C) runs this with
# the server's address as argv[1] and its authkey in hex as argv[2]; the
# client below is case.py's too (it imports it); here the typeids are
# registered without a callable.
import sys
from multiprocessing.managers import BaseManager, RemoteError


class CounterError(Exception):
    pass


class MyManager(BaseManager):
    pass


MyManager.register('Counter')
MyManager.register('Secretive')


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
    manager = MyManager(address=sys.argv[1], authkey=bytes.fromhex(sys.argv[2]))
    manager.connect()
    client(manager)
