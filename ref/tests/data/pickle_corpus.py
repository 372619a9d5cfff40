"""The pickle corpus test-pickle checks libmpref against (run with the
oracle, /usr/bin/python3).

    pickle_corpus.py gen SEED COUNT
        writes records to stdout: for each value and each protocol 0..5,
        u8 protocol, u32 len + pickle.dumps(value, protocol), u32 len +
        repr(value) in UTF-8 (big-endian lengths).  Values: the edge cases
        below, then COUNT random nested values from SEED.  Protocols 0 to
        2 are left out for values holding bytes (CPython pickles them
        through REDUCE there, which libmpref neither writes nor reads).
        libmpref writes protocols 2 to 5: 0 and 1 are for loading only.
    pickle_corpus.py errors
        reads u32 len + bytes records and answers each with u32 len +
        "ExceptionName: message" from pickle.loads (or "ok: repr").  Only
        for data-only input (the prefixes of libmpref's own pickles): it
        is loaded by CPython.
    pickle_corpus.py check
        reads u32 len + pickle records from stdin (what libmpref wrote)
        and answers each with u32 len + repr(pickle.loads(p)) and u32 len +
        pickle.dumps(that value, 4), or len 0xffffffff + the exception.
    pickle_corpus.py hostile MARKER
        writes u32 len + pickle records of what a decoder that executes
        code would act on, for each protocol 0..5: an instance of a class
        of this script, the class itself, os.system as a value, an object
        whose __reduce__ runs os.system('touch MARKER'), a set, a
        bytearray, an OrderedDict.  libmpref must refuse every one, and
        MARKER must not exist afterwards.
"""
import math
import pickle
import random
import struct
import sys

INTS = [0, 1, -1, 255, 256, -256, 65535, 65536, -65536, 2**31 - 1, -2**31,
        2**31, -2**31 - 1, 2**32, -2**32, 2**53 - 1, 2**53 + 1, -2**53 - 1,
        2**55, -2**55, 2**55 - 1, -2**55 - 1, 2**56, -2**56, 2**63 - 1,
        -2**63, 2**62, -2**62, 127, 128, -128, -129, 32767, 32768, -32768,
        -32769, 2**39, -2**47]
FLOATS = [0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 3.1415927, 1e16, 1e15, 1e-4, 1e-5,
          1e22, 1e23, 5e-324, -5e-324, 1.7976931348623157e308,
          2.2250738585072014e-308, math.inf, -math.inf, math.nan,
          2.0**53, 2.0**63, -2.0**63, 123456789.125, 1/3, 2/3, 9.5e-7]
STRS = ['', 'a', 'hello', "it's", 'say "hi"', 'both \' and "', 'tab\there',
        'nl\n', '\x00\x01\x7f', 'caf\xe9', '\u20ac100', '\u4e16\u754c',
        '\U0001f600 emoji', '\ud800 lone surrogate', '\udfff', '\\', '\u2028',
        'x' * 255, 'y' * 256, '\xe9' * 128, 'z' * 65535, 'w' * 65536,
        'v' * 70000, '\u00ad\u0378\ue000\U000e0001']
BYTES = [b'', b'\x00', b'abc', b"it's", b'"q"', bytes(range(256)),
         b'b' * 255, b'c' * 256, b'd' * 65536, b'e' * 70000]


def edge_values():
    vals = []
    vals += INTS + FLOATS + STRS + BYTES
    vals += [None, True, False, (), [], {}, (1,), (1, 2), (1, 2, 3),
             (1, 2, 3, 4), [42, None, 'hello'], {1: '1', '2': 2, 0.25: None}]
    s = 'shared string'
    l = [1, 2]
    t = (l, s)
    vals += [[s, s, s], [l, l, (l,)], (t, t), {s: l, 'k': l}, [t, [t], {1: t}]]
    vals += [{1: 'a', 1.0: 'b', True: 'c'}, {(1, 2): [3], (1, (2,)): {}},
             {None: None, False: 0, 'x': b'y', b'z': (), 2.5: [1.5]}]
    vals += [list(range(999)), list(range(1000)), list(range(1001)),
             list(range(2500)), {i: str(i) for i in range(999)},
             {i: i for i in range(1000)}, {str(i): i for i in range(1001)},
             {i: None for i in range(2001)}, tuple(range(300))]
    vals += [[str(i) for i in range(300)]]  # LONG_BINPUT/GET past 255
    big = ['p' * 1000 for _ in range(100)]
    vals += [big, [big[0]] * 300, [b'q' * 300] * 3]
    deep = 'leaf'
    for i in range(200):
        deep = [deep] if i % 3 == 0 else ((deep,) if i % 3 == 1 else {i: deep})
    vals.append(deep)
    return vals


def rand_str(r):
    pools = ['abcdefghij', "'\"\\ \t\n", '\x00\x1f\x7f\x80\x9f\xa0\xad\xff',
             '\u0100\u0378\u200b\u2028\u3000\ufeff\uffff',
             '\U00010000\U0001f600\U000e0001\U0010ffff', '\ud800\udbff\udc00']
    n = r.choice([0, 1, 2, 5, 10, 40])
    return ''.join(r.choice(r.choice(pools)) for _ in range(n))


def rand_value(r, depth):
    k = r.randrange(12 if depth < 6 else 7)
    if k == 0:
        return r.choice([None, True, False])
    if k == 1:
        return r.choice(INTS)
    if k == 2:
        return r.randrange(-2**63, 2**63) >> r.randrange(64)
    if k == 3:
        return r.choice(FLOATS + [r.uniform(-1e6, 1e6),
                                  struct.unpack('<d', r.randbytes(8))[0]])
    if k == 4:
        return rand_str(r)
    if k == 5:
        return r.randbytes(r.choice([0, 1, 3, 20]))
    if k == 6:
        return r.choice(INTS[:8] + FLOATS[:6])
    n = r.choice([0, 1, 2, 3, 4, 7])
    if k in (7, 8):
        return [rand_value(r, depth + 1) for _ in range(n)]
    if k == 9:
        return tuple(rand_value(r, depth + 1) for _ in range(n))
    d = {}
    for _ in range(n):
        key = rand_value(r, depth + 3)
        try:
            d[key] = rand_value(r, depth + 1)
        except TypeError:
            pass  # unhashable key
    return d


def has_bytes(v, seen=None):
    if isinstance(v, bytes):
        return True
    if isinstance(v, (list, tuple)):
        return any(has_bytes(x) for x in v)
    if isinstance(v, dict):
        return any(has_bytes(k) or has_bytes(x) for k, x in v.items())
    return False


def record(out, b):
    out.write(struct.pack('>I', len(b)) + b)


def gen(seed, count):
    r = random.Random(seed)
    out = sys.stdout.buffer
    vals = edge_values() + [rand_value(r, 0) for _ in range(count)]
    for v in vals:
        for proto in (0, 1, 2, 3, 4, 5):
            if proto <= 2 and has_bytes(v):
                continue
            out.write(bytes([proto]))
            record(out, pickle.dumps(v, proto))
            record(out, repr(v).encode('utf-8'))


def check():
    inp = sys.stdin.buffer
    out = sys.stdout.buffer
    while True:
        h = inp.read(4)
        if len(h) < 4:
            break
        p = inp.read(struct.unpack('>I', h)[0])
        try:
            v = pickle.loads(p)
            record(out, repr(v).encode('utf-8'))
            record(out, pickle.dumps(v, 4))
        except Exception as e:
            out.write(b'\xff\xff\xff\xff')
            record(out, ('%s: %s' % (type(e).__name__, e)).encode())


def errors():
    inp = sys.stdin.buffer
    out = sys.stdout.buffer
    while True:
        h = inp.read(4)
        if len(h) < 4:
            break
        p = inp.read(struct.unpack('>I', h)[0])
        try:
            text = 'ok: ' + repr(pickle.loads(p))
        except Exception as e:
            text = '%s: %s' % (type(e).__name__, e)
        record(out, text.encode('utf-8', 'backslashreplace'))


class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y


class Touch:
    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        import os
        return (os.system, ('touch ' + self.path,))


def hostile(marker):
    import collections
    import os
    out = sys.stdout.buffer
    values = [Point(1, 2), Point, os.system, Touch(marker), {1, 2},
              bytearray(b'ab'), collections.OrderedDict(a=1)]
    for v in values:
        for proto in range(6):
            record(out, pickle.dumps(v, proto))


if __name__ == '__main__':
    sys.setrecursionlimit(10000)
    if sys.argv[1] == 'hostile':
        hostile(sys.argv[2])
        sys.exit(0)
    if sys.argv[1] == 'gen':
        gen(int(sys.argv[2]), int(sys.argv[3]))
    elif sys.argv[1] == 'errors':
        errors()
    else:
        check()
