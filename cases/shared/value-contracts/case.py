# not a document example: a spec case for the contracts of cpython-testsuite.md
# section 12 (Value / sharedctypes: test_value, test_rawvalue,
# test_getobj_getlock, the lock= matrix) and what CPython 3.11 does beyond
# them: each typecode's C type, its range and how a value out of range wraps
# (no error, as ctypes), float rounding and overflow to inf, the zero
# values, the conversion TypeErrors (the old value kept), a bad typecode;
# get_lock()/get_obj() with the default RLock and with a given Lock, lock=False
# and RawValue giving raw ctypes objects without get_lock (AttributeError);
# a child's writes, wrapped, seen by the parent.
# Values beyond the 64-bit range (2**64 for 'Q') are left out: the C
# translation's ints are 64-bit.
import multiprocessing as mp


def child(v, lv, raw, h):
    print('child sees:', v.value, lv.value, raw.value, h.value)
    with lv.get_lock():
        print('child holds:', lv.get_lock())
    v.value = 2**31 + 5
    raw.value *= 2
    h.value = 40000


def attempt(label, fn):
    try:
        print(label, fn())
    except (TypeError, AttributeError) as e:
        print(label, type(e).__name__, e)


if __name__ == '__main__':
    print('zero values:', mp.Value('i'), mp.Value('c'), mp.Value('u'), mp.Value('d'))
    table = [('b', (127, 128, -129)), ('B', (255, 256, -1)),
             ('h', (32767, 32768, -32769)), ('H', (65535, 65536, -1)),
             ('i', (2**31 - 1, 2**31, -2**31 - 1)), ('I', (2**32 - 1, 2**32, -1)),
             ('l', (2**63 - 1, -2**63)), ('L', (2**63 - 1, -1)),
             ('q', (-2**63, 5)), ('Q', (-1, 5)),
             ('f', (0.1, 16777217, 1e39, -1e39)), ('d', (0.1, 1e308 * 10, 7)),
             ('c', (b'x', 65, 255)), ('u', ('é', '\U0001f600'))]
    for code, inits in table:
        print(code, ' '.join('%r->%r' % (x, mp.Value(code, x, lock=False)) for x in inits))
    print('.value:', mp.Value('b', 200).value, mp.Value('I', -2).value,
          mp.Value('f', 0.1).value, mp.Value('c', 66).value, mp.Value('d', 7).value,
          mp.Value('b', True).value)

    attempt("Value('i', 1.5):", lambda: mp.Value('i', 1.5))
    attempt("Value('i', '1'):", lambda: mp.Value('i', '1'))
    attempt("Value('i', None):", lambda: mp.Value('i', None))
    attempt("Value('d', 'x'):", lambda: mp.Value('d', 'x'))
    attempt("Value('c', 256):", lambda: mp.Value('c', 256))
    attempt("Value('c', 'x'):", lambda: mp.Value('c', 'x'))
    attempt("Value('u', 'xy'):", lambda: mp.Value('u', 'xy'))
    attempt("Value('u', b'x'):", lambda: mp.Value('u', b'x'))
    attempt("Value('x', 1):", lambda: mp.Value('x', 1))
    attempt("Value('ii', 1):", lambda: mp.Value('ii', 1))
    attempt("RawValue('x', 1):", lambda: mp.RawValue('x', 1))
    d = mp.Value('d', 1.5)

    def set_str():
        d.value = 'x'
    attempt("d.value = 'x':", set_str)
    print('d.value kept:', d.value)

    v = mp.Value('i', 7)
    print('default lock:', v, v.get_obj(), v.get_lock())
    with v:
        print('with v:', v.get_lock())
    lock = mp.Lock()
    lv = mp.Value('i', 7, lock=lock)
    print('lock=Lock():', lv, lv.get_lock() is lock, lv.get_lock())
    with lv:
        print('with lv:', lock)
    raw = mp.Value('i', 5, lock=False)
    print('lock=False:', raw, type(raw).__name__, raw.value)
    attempt('lock=False get_lock():', lambda: raw.get_lock())
    rv = mp.RawValue('d', 2.5)
    print('RawValue:', rv, type(rv).__name__, rv.value)
    attempt('RawValue get_lock():', lambda: rv.get_lock())

    h = mp.Value('h', 0)
    p = mp.Process(target=child, args=(v, lv, rv, h))
    p.start()
    p.join()
    print('after the child:', v.value, rv.value, h.value, p.exitcode)
    print(v, rv, h)
