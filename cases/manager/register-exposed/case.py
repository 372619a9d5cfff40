# spec: BaseManager.register() for a class of one's own (CPython 3.11
# Lib/multiprocessing/managers.py, as _TestMyManager.common uses it,
# without its generator typeid): with exposed=None a proxy reaches the
# public methods, with exposed= exactly the names given (a private one
# too); a method's exception comes back with its class and message;
# _callmethod of a name that is not exposed is RemoteError, whose text
# holds the server's AttributeError and, raised while handling it, the
# KeyError of its fallback lookup.
from multiprocessing.managers import BaseManager, RemoteError


class FooBar(object):
    def f(self):
        return 'f()'

    def g(self):
        raise ValueError('g failed')

    def _h(self):
        return '_h()'


class MyManager(BaseManager):
    pass


MyManager.register('Foo', callable=FooBar)
MyManager.register('Bar', callable=FooBar, exposed=('f', '_h'))


def call(proxy, name):
    try:
        print('%s._callmethod(%r): %r' % (proxy._token.typeid, name,
                                          proxy._callmethod(name)))
    except RemoteError as e:
        print('%s._callmethod(%r): %s' % (proxy._token.typeid, name,
                                          type(e).__name__))
        # the exception lines of the server's traceback (not its file lines)
        for line in str(e).splitlines():
            if line.startswith(('AttributeError', 'During', 'KeyError')):
                print('  ' + line)
    except Exception as e:
        print('%s._callmethod(%r): %s %s' % (proxy._token.typeid, name,
                                             type(e).__name__, e))


if __name__ == '__main__':
    with MyManager() as manager:
        foo = manager.Foo()
        bar = manager.Bar()
        print(type(foo).__name__, type(bar).__name__)
        for name in ('f', 'g', '_h'):
            call(foo, name)
        for name in ('f', 'g', '_h'):
            call(bar, name)
        print('str(foo):', str(foo))
