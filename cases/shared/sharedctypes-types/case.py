# spec: CPython 3.11 _TestSharedCTypes.test_sharedctypes, test_synchronize and
# test_copy: sharedctypes.Value() given a typecode, a ctypes type (c_double,
# c_longlong) or a ctypes Structure built from positional arguments, and
# Array('d', list) and Array('c', 20) with .value, all doubled by a child,
# without and with a lock; sharedctypes.copy() of a Structure is independent
# of the original.
import multiprocessing as mp
from ctypes import Structure, c_double, c_int, c_longlong
from multiprocessing.sharedctypes import Value, copy


class Foo(Structure):
    _fields_ = [('x', c_int), ('y', c_double), ('z', c_longlong)]


def double(x, y, z, foo, arr, string):
    x.value *= 2
    y.value *= 2
    z.value *= 2
    foo.x *= 2
    foo.y *= 2
    string.value *= 2
    for i in range(len(arr)):
        arr[i] *= 2


def run(lock):
    x = Value('i', 7, lock=lock)
    y = Value(c_double, 1.0 / 3.0, lock=lock)
    z = Value(c_longlong, 2 ** 33, lock=lock)
    foo = Value(Foo, 3, 2, lock=lock)
    arr = mp.Array('d', list(range(10)), lock=lock)
    string = mp.Array('c', 20, lock=lock)
    string.value = b'hello'
    p = mp.Process(target=double, args=(x, y, z, foo, arr, string), daemon=True)
    p.start()
    p.join()
    print('lock=%s:' % lock, x.value, y.value, z.value, foo.x, foo.y, list(arr),
          string.value, 'exitcode', p.exitcode)


if __name__ == '__main__':
    run(False)
    run(True)
    foo = Foo(2, 5.0, 2 ** 33)
    bar = copy(foo)
    foo.x = 0
    foo.y = 0
    foo.z = 0
    print('copy():', bar.x, bar.y, bar.z, 'original', foo.x, foo.y, foo.z)
