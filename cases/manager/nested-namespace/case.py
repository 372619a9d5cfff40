# spec: cpython-testsuite.md section 13 (Manager and proxies): a value read
# through a proxy is a copy, so mutating a list or dict held in a dict
# proxy, a list proxy or a Namespace is lost while reassigning it writes
# back; Namespace attributes: str() lists the public ones sorted, names
# starting with '_' stay on the local proxy (another process does not see
# them), deleted ones disappear, and missing ones raise AttributeError with
# CPython's messages; the same holds in a child under every start method.
import multiprocessing as mp


def show(what, f):
    try:
        print(what, repr(f()))
    except Exception as e:
        print(what, type(e).__name__, e)


def child(d, ns):
    d['l'].append('lost in child')
    t = d['l']
    t.append('child')
    d['l'] = t
    ns.l.append('lost in child')
    ns.y = 'from child'
    show('child ns.x:', lambda: ns.x)
    show('child ns._p:', lambda: ns._p)
    ns._c = 'child private'
    print('child ns:', ns)


if __name__ == '__main__':
    with mp.Manager() as m:
        d = m.dict({'l': [1], 'd': {'k': 0}})
        d['l'].append(2)
        d['d']['k'] = 5
        print('in place:', d)
        t = d['l']
        t.append(2)
        d['l'] = t
        t = d['d']
        t['k'] = 5
        d['d'] = t
        print('reassigned:', d, type(d['l']).__name__, type(d['d']).__name__)
        nl = m.list([[1], {'k': 0}])
        nl[0].append(2)
        nl[1]['k'] = 5
        print('list in place:', nl)
        t = nl[0]
        t += [2]
        nl[0] = t
        print('list reassigned:', nl)
        ns = m.Namespace(x=1, l=[1])
        ns.l.append(2)
        print('ns in place:', ns)
        ns.l = ns.l + [2]
        ns.b = 2
        ns.a = 1
        print('ns:', ns)
        ns._p = 'private'
        print('ns with _p:', ns, ns._p)
        show('ns.missing:', lambda: ns.missing)
        show('ns._q:', lambda: ns._q)
        show('del ns.missing:', lambda: delattr(ns, 'missing'))
        p = mp.Process(target=child, args=(d, ns))
        p.start()
        p.join()
        print('child exitcode:', p.exitcode)
        print('d after child:', d)
        print('ns after child:', ns)
        show('ns._c:', lambda: ns._c)
        del ns.x
        del ns._p
        print('ns after del:', ns)
        show('ns.x:', lambda: ns.x)
        show('ns._p:', lambda: ns._p)
        print('repr:', repr(ns))
        print('empty:', m.Namespace())
