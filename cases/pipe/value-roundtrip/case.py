# Not a document example: a spec case for cpython-testsuite.md section 5
# (test_connection: objects round-trip, send returns None, fileno is an int,
# a 16 MiB message works) and cpython-semantics.md 3.2.
# A child echoes every object it receives (recv then send) until EOFError;
# after 'raw' it takes the next message with recv_bytes.
# The values sit on the edges of pickle's encodings: small and 1/2/4/8-byte
# ints, bool (not int), float specials, short and long str/bytes, NUL and
# non-ASCII text, tuples of 0..4 items, nesting, dict key order and non-str
# keys.  Shared references keep their identity through one message.
import multiprocessing as mp


def echo(conn, other):
    other.close()  # a fork child inherited the parent's end: EOF needs it closed
    while True:
        try:
            x = conn.recv()
        except EOFError:
            break
        if x == 'raw':
            x = conn.recv_bytes()
        conn.send(x)
    conn.close()


VALUES = [
    None, True, False, 0, 1, -1, 255, 256, 65535, 65536, 2**31 - 1, 2**31,
    -2**31, -2**31 - 1, 2**63 - 1, -2**63,
    0.0, -0.0, 1.5, 1e-310, 1.7976931348623157e308, float('inf'), float('-inf'),
    '', 'hello', 'a\x00b', '\u00fc\u00f1\u00ed\u20ac\U0001d11e', 'x' * 300,
    b'', bytes(range(256)), b'y' * 300,
    (), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4), [], [1, [2, [3, []]]],
    {}, {'b': 1, 'a': 2, 'c': [None]}, {1: 'int key', (1, 2): 'tuple key', None: 0, 2.5: True},
]

if __name__ == '__main__':
    a, b = mp.Pipe()
    p = mp.Process(target=echo, args=(b, a))
    p.start()
    b.close()
    print('fileno is int:', type(a.fileno()) is int)
    for v in VALUES:
        r = a.send(v)
        got = a.recv()
        print(repr(got)[:80], type(got).__name__, got == v, r)
    a.send(float('nan'))
    got = a.recv()
    print(repr(got), type(got).__name__, got != got)
    deep = []
    for i in range(200):
        deep = [deep]
    a.send(deep)
    print('200 levels deep:', a.recv() == deep)
    x = [1, 2]
    d = {'k': x}
    a.send([x, x, (x, d), d])
    got = a.recv()
    print('shared:', got, got[0] is got[1], got[2][0] is got[0], got[2][1] is got[3],
          got[3]['k'] is got[0])
    big = bytes(range(256)) * (16 * 1024 * 1024 // 256)
    a.send('raw')
    a.send_bytes(big)
    got = a.recv()
    print('16 MiB by send_bytes, echoed by send:', type(got).__name__, len(got), got == big)
    a.send(big)
    got = a.recv()
    print('16 MiB bytes object:', len(got), got == big)
    a.close()
    p.join()
    print('echo exitcode', p.exitcode)
