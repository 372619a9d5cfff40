# spec: cpython-testsuite.md section 13 (Manager and proxies): a ListProxy's
# append/extend/insert/pop/remove/reverse/sort/index/count, len/in/indexing,
# str() being the server list's repr; IndexError, ValueError and TypeError
# raised in the server come back with their class and CPython's message;
# sort() is stable (also with reverse=True) over equal numbers of different
# types; index() honours start and stop; a child (any start method) gets the
# proxy as an argument and the parent sees what it did.
import multiprocessing as mp


def show(what, f):
    try:
        print(what, repr(f()))
    except Exception as e:
        print(what, type(e).__name__, e)


def child(l):
    print('child sees:', l, len(l))
    l.insert(0, 'first')
    l.insert(-1, 'before last')
    l.insert(100, 'last')
    l.insert(-100, 'very first')
    show('child pop 1:', lambda: l.pop(1))
    show('child count last:', lambda: l.count('last'))
    l.append(['nested'])
    show('child index nested:', lambda: l.index(['nested']))


if __name__ == '__main__':
    with mp.Manager() as m:
        l = m.list(range(3))
        print(type(l).__name__, len(l), 1 in l, 5 in l, l)
        l.append(3)
        l.extend((4, 5))
        l.extend([0, 1, 2, 3, 4, 5])
        print('l:', l)
        show('count 4:', lambda: l.count(4))
        show('count 9:', lambda: l.count(9))
        show('index 4:', lambda: l.index(4))
        show('index 4 from 5:', lambda: l.index(4, 5))
        show('index 4 in 5..9:', lambda: l.index(4, 5, 9))
        show('index 4 in -3..:', lambda: l.index(4, -3))
        show('index 4 in 5..6:', lambda: l.index(4, 5, 6))
        show('index 99:', lambda: l.index(99))
        show('l[-1]:', lambda: l[-1])
        show('l[12]:', lambda: l[12])
        show('l[-13]:', lambda: l[-13])
        show('l[a]:', lambda: l['a'])
        show('l[12] = 0:', lambda: l.__setitem__(12, 0))
        show('del l[12]:', lambda: l.__delitem__(12))
        show('pop 12:', lambda: l.pop(12))
        show('pop:', l.pop)
        show('pop 0:', lambda: l.pop(0))
        show('pop -2:', lambda: l.pop(-2))
        show('remove 3:', lambda: l.remove(3))
        show('remove 99:', lambda: l.remove(99))
        show('extend 5:', lambda: l.extend(5))
        print('l:', l, len(l))
        l.reverse()
        print('reversed:', l)
        l.sort()
        print('sorted:', l)
        l.sort(reverse=True)
        print('sorted reverse:', l)
        e = m.list([1.0, 0, True, 1, False, 0.0])
        e.sort()
        print('stable:', e)
        e.sort(reverse=True)
        print('stable reverse:', e)
        e.append('x')
        show('sort mixed:', e.sort)
        print('after failed sort:', len(e))
        empty = m.list()
        show('pop empty:', empty.pop)
        show('empty[0]:', lambda: empty[0])
        print('repr:', repr(l))
        p = mp.Process(target=child, args=(l,))
        p.start()
        p.join()
        print('child exitcode:', p.exitcode)
        print('after child:', l, len(l))
