# spec: CPython's _TestPool.test_map_handle_iterable_exception,
# test_imap_handle_iterable_exception and
# test_imap_unordered_handle_iterable_exception: an exception raised by
# the input iterable (a generator, or an iterator's __next__) propagates
# out of map(), imap() and imap_unordered() as the same exception, not
# wrapped, not hanging; imap yields every result of the chunks before the
# failing one (3 with chunksize 1 and failure at item 3, 6 with chunksize
# 2 and failure at 7, 4 with chunksize 4), imap_unordered some of the
# squares before it; each call can be repeated and the pool stays usable.
import multiprocessing as mp


class SayWhenError(ValueError):
    pass


def exception_throwing_generator(total, when):
    if when == -1:
        raise SayWhenError('Somebody said when')
    for i in range(total):
        if i == when:
            raise SayWhenError('Somebody said when')
        yield i


class SpecialIterable:
    def __iter__(self):
        return self

    def __next__(self):
        raise SayWhenError('from __next__')

    def __len__(self):
        return 1


def sqr(x):
    return x * x


def show(what, f):
    try:
        print(what, repr(f()))
    except Exception as e:
        print(what, type(e).__name__, e, 'cause:', e.__cause__)


def drain(it, n):
    got = []
    for _ in range(n):
        got.append(next(it))
    return got


def drain_unordered(it, total):
    # every value it yields is a distinct square of the input; it stops
    # with the iterable's exception, before it has yielded them all
    expected = [sqr(i) for i in range(total)]
    n = 0
    try:
        for _ in range(total):
            v = next(it)
            expected.remove(v)
            n += 1
    except SayWhenError as e:
        return 'SayWhenError %s after %d values' % (e, n)
    return 'no exception'


if __name__ == '__main__':
    with mp.Pool(2) as p:
        for _ in range(2):
            show('map when=-1:', lambda: p.map(sqr, exception_throwing_generator(1, -1), 1))
        show('map when=3:', lambda: p.map(sqr, exception_throwing_generator(10, 3), 1))
        for _ in range(2):
            show('map SpecialIterable:', lambda: p.map(sqr, SpecialIterable(), 1))
        for _ in range(2):
            it = p.imap(sqr, exception_throwing_generator(1, -1), 1)
            show('imap when=-1:', it.__next__)
        for total, when, chunksize, n in ((10, 3, 1, 3), (20, 7, 2, 6), (20, 7, 4, 4)):
            it = p.imap(sqr, exception_throwing_generator(total, when), chunksize)
            print('imap chunksize=%d:' % chunksize, drain(it, n))
            show('imap next:', it.__next__)
        for _ in range(2):
            it = p.imap_unordered(sqr, exception_throwing_generator(1, -1), 1)
            show('imap_unordered when=-1:', it.__next__)
        for total, when, chunksize in ((10, 3, 1), (20, 7, 2)):
            it = p.imap_unordered(sqr, exception_throwing_generator(total, when), chunksize)
            n_ok = drain_unordered(it, total)
            print('imap_unordered chunksize=%d:' % chunksize, n_ok)
        show('map after:', lambda: p.map(sqr, range(5)))
        show('imap after:', lambda: list(p.imap(sqr, range(5), 2)))
        show('imap_unordered after:', lambda: sorted(p.imap_unordered(sqr, range(5))))
