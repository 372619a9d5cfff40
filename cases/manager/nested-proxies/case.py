# spec: _TestContainers.test_list, test_list_proxy_in_list,
# test_dict_proxy_nested and test_nested_queue (CPython 3.11): proxies
# stored inside list and dict proxies stay live references.
from multiprocessing import Manager


def test_list(m):
    a = m.list(list(range(10)))
    print('a[:]:', a[:])
    b = m.list()
    print('b[:]:', b[:])
    b.extend(list(range(5)))
    print('b.extend:', b[:])
    print('b[2] b[2:10]:', b[2], b[2:10])
    b *= 2
    print('b *= 2:', type(b).__name__, b[:])
    print('b + [5, 6]:', type(b + [5, 6]).__name__, b + [5, 6])
    print('a[:]:', a[:])
    e = m.list([a, b])
    print('e[i][:]:', [type(x).__name__ for x in e], [x[:] for x in e])
    f = m.list([a])
    a.append('hello')
    print('f[0][:]:', f[0][:])


def test_list_proxy_in_list(m):
    a = m.list([m.list(range(3)) for _i in range(3)])
    print('inner[:]:', [inner[:] for inner in a])
    a[0][-1] = 55
    print('a[0][-1] = 55:', [inner[:] for inner in a])
    print('a[1].pop():', a[1].pop())
    print('len:', [len(inner) for inner in a])
    del a
    b = m.list()
    b.append(b)
    print('b[0] is a proxy of b:', type(b[0]).__name__, len(b[0][0][0]))
    del b
    print('del b: returned')


def test_dict_proxy_nested(m):
    pets = m.dict(ferrets=2, hamsters=4)
    supplies = m.dict(water=10, feed=3)
    d = m.dict(pets=pets, supplies=supplies)
    print('supplies[water] d[supplies][water]:', supplies['water'],
          d['supplies']['water'])
    d['supplies']['blankets'] = 5
    print('blankets = 5:', supplies['blankets'], d['supplies']['blankets'])
    d['supplies']['water'] = 7
    print('water = 7:', supplies['water'], d['supplies']['water'])
    del pets
    del supplies
    print('after del: d[pets][ferrets]:', d['pets']['ferrets'])
    d['supplies']['blankets'] = 11
    print('blankets = 11:', d['supplies']['blankets'])
    pets = d['pets']
    supplies = d['supplies']
    supplies['water'] = 7
    print('water = 7:', supplies['water'], d['supplies']['water'])
    d.clear()
    print('d.clear(): len', len(d), 'water', supplies['water'],
          'hamsters', pets['hamsters'])
    l = m.list([pets, supplies])
    l[0]['marmots'] = 1
    print('l[0][marmots] = 1:', pets['marmots'], l[0]['marmots'])
    del pets
    del supplies
    print('after del: l[0][marmots]:', l[0]['marmots'])
    outer = m.list([[88, 99], l])
    print('outer[0]:', type(outer[0]).__name__, outer[0])
    print('outer[-1][-1][feed]:', outer[-1][-1]['feed'])


def test_nested_queue(m):
    a = m.list()
    a.append(m.Queue())
    a[0].put(123)
    print('queue in list:', a[0].get())
    b = m.dict()
    b[0] = m.Queue()
    b[0].put(456)
    print('queue in dict:', b[0].get())


if __name__ == '__main__':
    with Manager() as m:
        test_list(m)
        test_list_proxy_in_list(m)
        test_dict_proxy_nested(m)
        test_nested_queue(m)
