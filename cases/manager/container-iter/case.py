# spec: _TestContainers.test_list_iter and test_dict_iter (CPython 3.11):
# iteration over a ListProxy and a DictProxy.
from multiprocessing import Manager

if __name__ == '__main__':
    with Manager() as m:
        a = m.list(list(range(10)))
        it = iter(a)
        print('list(it):', list(it))
        print('list(it) again:', list(it))
        it = iter(a)
        a[0] = 100
        print('next(it) after a[0] = 100:', next(it))
        d = m.dict()
        for i in range(65, 70):
            d[i] = chr(i)
        it = iter(d)
        print('iter(d):', type(it).__name__)
        print('list(it):', list(it))
        print('list(it) again:', list(it))
        it = iter(d)
        d.clear()
        try:
            print('next(it) after d.clear():', next(it))
        except Exception as e:
            print('next(it) after d.clear():', type(e).__name__, e)
