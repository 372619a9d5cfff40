# not a document example: 'd' is a double and 'i' a signed int; the shared objects are
# process-safe through their lock
from multiprocessing import Process, Value, Array


def add(n, a, times):
    for _ in range(times):
        with n.get_lock():
            n.value += 1
        with a.get_lock():
            a[0] -= 1


if __name__ == '__main__':
    num = Value('d', 0.0)
    arr = Array('i', range(10))
    print(num)
    print(type(arr.get_obj()).__name__, len(arr))
    arr[1] = 2**31
    print(arr[1], arr[:3])
    ps = [Process(target=add, args=(num, arr, 200)) for _ in range(4)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print(num.value, arr[0])
