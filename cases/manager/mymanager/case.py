# spec: _TestMyManager (CPython 3.11): a BaseManager subclass with its
# own registrations, used after start(), inside with, and inside with on a
# started manager.
from multiprocessing.managers import BaseManager, BaseProxy, RemoteError


class FooBar(object):
    def f(self):
        return 'f()'

    def g(self):
        raise ValueError

    def _h(self):
        return '_h()'


def baz():
    for i in range(10):
        yield i*i


class IteratorProxy(BaseProxy):
    _exposed_ = ('__next__',)

    def __iter__(self):
        return self

    def __next__(self):
        return self._callmethod('__next__')


class MyManager(BaseManager):
    pass


MyManager.register('Foo', callable=FooBar)
MyManager.register('Bar', callable=FooBar, exposed=('f', '_h'))
MyManager.register('baz', callable=baz, proxytype=IteratorProxy)


def attempt(what, fn, *args):
    try:
        print('%s: %r' % (what, fn(*args)))
    except Exception as e:
        print('%s: %s' % (what, type(e).__name__))


def common(manager):
    foo = manager.Foo()
    bar = manager.Bar()
    baz = manager.baz()
    print('proxies:', type(foo).__name__, type(bar).__name__,
          type(baz).__name__)
    print('foo methods:', [n for n in ('f', 'g', '_h') if hasattr(foo, n)])
    print('bar methods:', [n for n in ('f', 'g', '_h') if hasattr(bar, n)])
    attempt('foo.f()', foo.f)
    attempt('foo.g()', foo.g)
    attempt("foo._callmethod('f')", foo._callmethod, 'f')
    attempt("foo._callmethod('_h')", foo._callmethod, '_h')
    attempt('bar.f()', bar.f)
    attempt('bar._h()', bar._h)
    attempt("bar._callmethod('f')", bar._callmethod, 'f')
    attempt("bar._callmethod('_h')", bar._callmethod, '_h')
    print('list(baz):', list(baz))


if __name__ == '__main__':
    # test_mymanager: start() ... shutdown()
    manager = MyManager()
    manager.start()
    common(manager)
    manager.shutdown()
    print('start/shutdown: exitcode', manager._process.exitcode)
    # test_mymanager_context: with on a manager not yet started
    manager = MyManager()
    with manager:
        common(manager)
    print('with: exitcode', manager._process.exitcode)
    # test_mymanager_context_prestarted: with on a started manager
    manager = MyManager()
    manager.start()
    with manager:
        common(manager)
    print('start, with: exitcode', manager._process.exitcode)
