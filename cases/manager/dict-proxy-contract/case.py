# spec: cpython-testsuite.md section 13 (Manager and proxies): a DictProxy's
# get/keys/values/items/update/pop/popitem/setdefault/len/in/copy, str() being
# the server dict's repr and repr() the proxy's; KeyError, TypeError and
# ValueError raised in the server come back with their class and message;
# keys()/values()/items() are lists; a child (any start method) gets the
# proxy as an argument, its changes are seen by the parent, and an uncaught
# KeyError from the proxy ends it with exit code 1.
import multiprocessing as mp


def show(what, f):
    try:
        print(what, repr(f()))
    except Exception as e:
        print(what, type(e).__name__, e)


def child(d):
    print('child sees:', d)
    d.update({'c': 3}, d=4)
    show('child setdefault a:', lambda: d.setdefault('a', 100))
    show('child setdefault e:', lambda: d.setdefault('e', 5))
    show('child setdefault f:', lambda: d.setdefault('f'))
    show('child pop c:', lambda: d.pop('c'))
    show('child pop zz default:', lambda: d.pop('zz', 'dflt'))
    show('child pop zz:', lambda: d.pop('zz'))
    print('child done')
    d['missing']


if __name__ == '__main__':
    with mp.Manager() as m:
        d = m.dict({'a': 1})
        d['b'] = 2
        d[(1, 2)] = [3]
        print(type(d).__name__, len(d), 'a' in d, 'z' in d, (1, 2) in d)
        show('get a:', lambda: d.get('a'))
        show('get z:', lambda: d.get('z'))
        show('get z 0:', lambda: d.get('z', 0))
        show('keys:', d.keys)
        show('values:', d.values)
        show('items:', d.items)
        show('copy:', d.copy)
        show('d[z]:', lambda: d['z'])
        show('d[(0, 1)]:', lambda: d[(0, 1)])
        show('d[[1]]:', lambda: d[[1]])
        show('del d[z]:', lambda: d.__delitem__('z'))
        show('update [1]:', lambda: d.update([1]))
        show('update [(1, 2, 3)]:', lambda: d.update([(1, 2, 3)]))
        show('update 5:', lambda: d.update(5))
        show('update pairs:', lambda: d.update([('x', 1)], y=2))
        print('str:', str(d))
        print('repr:', repr(d))
        del d[(1, 2)]
        p = mp.Process(target=child, args=(d,))
        p.start()
        p.join()
        print('child exitcode:', p.exitcode)
        print('after child:', d, len(d))
        show('popitem:', d.popitem)
        d.clear()
        show('len after clear:', lambda: len(d))
        show('popitem empty:', d.popitem)
        print('str empty:', d)
