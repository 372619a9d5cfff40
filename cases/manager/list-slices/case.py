# spec: cpython-testsuite.md section 13 (Manager and proxies, _TestContainers
# test_list): a ListProxy takes slices in getitem/setitem/delitem with the
# list's own errors, returns plain lists from slices and from + and *, and
# += / *= change the list in the server and keep the proxy; a child (any
# start method) slices the same list.
import multiprocessing as mp


def show(what, f):
    try:
        r = f()
        print(what, type(r).__name__, repr(r))
    except Exception as e:
        print(what, type(e).__name__, e)


def child(l):
    show('child l[2:5]:', lambda: l[2:5])
    l[:2] = ['c']
    del l[-1:]


if __name__ == '__main__':
    with mp.Manager() as m:
        l = m.list(range(10))
        show('l[1:3]:', lambda: l[1:3])
        show('l[::-1]:', lambda: l[::-1])
        show('l[-3:]:', lambda: l[-3:])
        show('l[8:100]:', lambda: l[8:100])
        show('l[5:2]:', lambda: l[5:2])
        show('l[::0]:', lambda: l[::0])
        show('l[1:a]:', lambda: l[1:'a'])
        show('l[1:3] = [a, b, c]:', lambda: l.__setitem__(slice(1, 3), ['a', 'b', 'c']))
        print('l:', l, len(l))
        show('l[::2] = [0]:', lambda: l.__setitem__(slice(None, None, 2), [0]))
        show('l[::5] = [x, y, z]:', lambda: l.__setitem__(slice(None, None, 5), ['x', 'y', 'z']))
        show('l[::5] = [x, y]:', lambda: l.__setitem__(slice(None, None, 5), ['x', 'y']))
        show('l[1:2] = 5:', lambda: l.__setitem__(slice(1, 2), 5))
        show('del l[::2]:', lambda: l.__delitem__(slice(None, None, 2)))
        print('l:', l, len(l))
        show('l + [0]:', lambda: l + [0])
        show('l * 2:', lambda: l * 2)
        show('l + (0,):', lambda: l + (0,))
        l2 = l
        l += ['end']
        l *= 2
        print('l is l2:', l is l2, type(l).__name__, len(l))
        p = mp.Process(target=child, args=(l,))
        p.start()
        p.join()
        print('child exitcode:', p.exitcode)
        print('l:', l)
