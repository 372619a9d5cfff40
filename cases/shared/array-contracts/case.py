# not a document example: a spec case for the contracts of cpython-testsuite.md
# section 12 (Array / sharedctypes: test_array, test_rawarray,
# test_array_from_size, test_getobj_getlock_obj, the c_char array's .value)
# and what CPython 3.11 does beyond them: indexing and slicing with negative
# indices and steps, slice assignment (extended slices too) and its errors,
# IndexError/ValueError/TypeError messages, wrap-around on assignment, arrays
# of size 0 and zero-filled arrays, c_char arrays' .value (up to the first
# NUL) and .raw (every byte), the reprs and class names, lock=False and
# RawArray without get_lock, a child's writes seen by the parent.
import multiprocessing as mp


def attempt(label, fn):
    try:
        print(label, fn())
    except (IndexError, ValueError, TypeError, AttributeError) as e:
        print(label, type(e).__name__, e)


def setitem(a, k, v):
    def f():
        a[k] = v
        return a[:]
    return f


def child(a, s, r):
    # negates every element, writes the strings
    for i in range(len(a)):
        a[i] = -a[i]
    s.value = b'child'
    r[::2] = [7, 7]


if __name__ == '__main__':
    a = mp.Array('i', range(10))
    print(len(a), a[:], list(a) == a[:])
    print(a[2:5], a[::2], a[-1], a[-10], a[::-1], a[8:2:-2], a[7:3], a[-3:], a[:100])
    attempt('a[10]:', lambda: a[10])
    attempt('a[-11]:', lambda: a[-11])
    attempt('a[10] = 1:', setitem(a, 10, 1))
    attempt('a[::0]:', lambda: a[::0])
    attempt('a[0:2] = [1]:', setitem(a, slice(0, 2), [1]))
    attempt('a[::3] = [0, 0]:', setitem(a, slice(None, None, 3), [0, 0]))
    attempt("a[0] = 'x':", setitem(a, 0, 'x'))
    attempt('a[0] = 1.5:', setitem(a, 0, 1.5))
    attempt('a[1:3] = (7, 8):', setitem(a, slice(1, 3), (7, 8)))
    attempt('a[::3] = [-1, -2, -3, -4]:', setitem(a, slice(None, None, 3), [-1, -2, -3, -4]))
    attempt('a[-1] = 2**31:', setitem(a, -1, 2**31))
    attempt('a[2:4] = [2**32 + 5, -2**31 - 1]:', setitem(a, slice(2, 4), [2**32 + 5, -2**31 - 1]))
    attempt('a.value:', lambda: a.value)
    print(type(a).__name__, type(a.get_obj()).__name__, a.get_lock())
    print(a)
    print(a.get_obj())

    print('zero-filled:', mp.Array('i', 3)[:], mp.Array('d', 2)[:], mp.Array('c', 3)[:],
          mp.Array('u', 2)[:] == '\x00\x00')
    z = mp.Array('i', 0)
    print('size 0:', len(z), z[:], type(z.get_obj()).__name__)
    attempt('size 0 [0]:', lambda: z[0])
    attempt("Array('i', -1):", lambda: mp.Array('i', -1))
    attempt("Array('i', [1.5]):", lambda: mp.Array('i', [1.5]))
    attempt("Array('x', 3):", lambda: mp.Array('x', 3))
    attempt("Array('b', [127, 128, -129]):", lambda: mp.Array('b', [127, 128, -129])[:])
    print(mp.Array('d', [1, 2])[:], mp.Array('b', b'ab')[:], mp.Array('u', 'hé')[:],
          mp.Array('f', [0.1])[:])

    s = mp.Array('c', b'hello')
    print('c array:', type(s).__name__, len(s), s.value, s.raw, s[:], s[1], s[-1:])
    s.value = b'hi'
    print('value = hi:', s.value, s.raw)
    s.raw = b'XY'
    print('raw = XY:', s.value, s.raw)
    s[3:5] = b'!?'
    print('s[3:5] = !?:', s.value, s.raw)
    attempt("s.value = b'toolong':", lambda: setattr(s, 'value', b'toolong'))
    attempt("s.raw = b'toolong':", lambda: setattr(s, 'raw', b'toolong'))
    attempt("s[0] = b'ab':", setitem(s, 0, b'ab'))
    attempt("s[0:2] = b'a':", setitem(s, slice(0, 2), b'a'))
    print('unchanged:', s.raw)
    e = mp.Array('c', 10)
    print('c array of 10:', e.value, e.raw)
    print("Array('c', 0):", mp.Array('c', 0).value, mp.Array('c', 0).raw)

    r = mp.Array('i', [1, 2, 3], lock=False)
    print('lock=False:', type(r).__name__, r[:], len(r))
    attempt('lock=False get_lock():', lambda: r.get_lock())
    ra = mp.RawArray('i', [1, 2, 3])
    print('RawArray:', type(ra).__name__, ra[:])
    attempt('RawArray get_lock():', lambda: ra.get_lock())
    rs = mp.RawArray('c', b'raw')
    print('RawArray c:', type(rs).__name__, rs.value, rs.raw)
    print(s)
    print(rs)

    a = mp.Array('i', range(-2, 3))
    p = mp.Process(target=child, args=(a, s, ra))
    p.start()
    p.join()
    print('after the child:', a[:], s.value, s.raw, ra[:], p.exitcode)
