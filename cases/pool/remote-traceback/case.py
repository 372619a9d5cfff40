# spec: CPython's _TestPool.test_traceback: an exception raised in a
# worker comes back as itself (type and args) with __cause__ a
# multiprocessing.pool.RemoteTraceback whose .tb is the worker's
# formatted traceback, holding the raising source line; sys.excepthook
# prints that remote traceback too; an exception raised by the input
# iterable (re-raised by _helper_reraises_exception) is not wrapped: its
# __cause__ is None, from map(), imap() and an iterator's __next__.
import io
import multiprocessing as mp
import multiprocessing.pool
import sys


class SayWhenError(ValueError):
    pass


def exception_throwing_generator(total, when):
    if when == -1:
        raise SayWhenError('Somebody said when')
    for i in range(total):
        if i == when:
            raise SayWhenError('Somebody said when')
        yield i


def raiser():
    raise RuntimeError(123) # some comment


class SpecialIterable:
    def __iter__(self):
        return self

    def __next__(self):
        raise SayWhenError('from __next__')

    def __len__(self):
        return 1


def sqr(x):
    return x * x


if __name__ == '__main__':
    with mp.Pool(1) as p:
        try:
            p.apply(raiser)
        except Exception as e:
            exc = e
        else:
            exc = None
    p.join()
    print('type:', type(exc).__name__, exc.args)
    cause = exc.__cause__
    print('cause:', type(cause).__module__ + '.' + type(cause).__name__)
    tb = cause.tb.splitlines()
    # the worker's traceback between the triple quotes of RemoteTraceback
    print('tb first lines:', tb[:3])
    print('tb last lines:', tb[-2:])
    print('tb frames in:', [l.split(', in ')[-1] for l in tb if l.startswith('  File ')])
    print('source line in tb:', 'raise RuntimeError(123) # some comment' in cause.tb)
    f = io.StringIO()
    saved, sys.stderr = sys.stderr, f
    try:
        try:
            raise exc
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.stderr = saved
    printed = f.getvalue()
    print('excepthook shows the worker line:',
          'raise RuntimeError(123) # some comment' in printed)
    print('excepthook shows the chain:',
          'The above exception was the direct cause of the following exception:' in printed)
    print('excepthook last line:', printed.splitlines()[-1])
    with mp.Pool(1) as p:
        try:
            p.map(sqr, exception_throwing_generator(1, -1), 1)
        except Exception as e:
            exc = e
        else:
            exc = None
        print('iterable error:', type(exc).__name__, exc, 'cause:', exc.__cause__)
        # map() lists a generator in the caller; these two go through the
        # task handler and a worker's _helper_reraises_exception
        for what, call in (
                ('imap', lambda: next(p.imap(sqr, exception_throwing_generator(1, -1), 1))),
                ('map __next__', lambda: p.map(sqr, SpecialIterable(), 1))):
            try:
                call()
            except Exception as e:
                print('iterable error (%s):' % what, type(e).__name__, e,
                      'cause:', e.__cause__)
    p.join()
