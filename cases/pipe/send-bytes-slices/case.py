# Not a document example: a spec case for cpython-testsuite.md section 5
# (test_sendbytes, test_connection) and cpython-semantics.md 3.3-3.4.
# A child sends slices with send_bytes(buf, offset, size): offset == len and
# size == 0 send b'', and the four misuses are ValueErrors with CPython's
# messages (the child reports them through the pipe).  The parent checks
# recv_bytes(maxlength): a message of exactly maxlength bytes is received,
# a longer one is OSError 'bad message length', after which a duplex end is
# write-only (send still works) and a read-only end is closed; a negative
# maxlength is a ValueError that consumes nothing.
import multiprocessing as mp


def child(conn):
    buf = b'abcdefghij'
    conn.send_bytes(buf)
    conn.send_bytes(buf, 2)
    conn.send_bytes(buf, 2, 3)
    conn.send_bytes(buf, 10)
    conn.send_bytes(buf, 4, 0)
    conn.send_bytes(buf, 0, 10)
    conn.send_bytes(bytearray(b'xyz'), 1, None)
    for args in ((-1,), (11,), (0, -1), (5, 6), (10, 1)):
        try:
            conn.send_bytes(buf, *args)
        except ValueError as e:
            conn.send(('ValueError', args, str(e)))
        else:
            conn.send(('sent', args))
    conn.send_bytes(b'0123456789')
    conn.send_bytes(b'0123456789!')
    print('child got', conn.recv(), flush=True)
    conn.close()


if __name__ == '__main__':
    a, b = mp.Pipe()
    p = mp.Process(target=child, args=(b,))
    p.start()
    for i in range(7):
        print('slice', i, a.recv_bytes())
    for i in range(5):
        print(a.recv())
    try:
        a.recv_bytes(-1)
    except ValueError as e:
        print('recv_bytes(-1): ValueError', e)
    print('maxlength 10:', a.recv_bytes(10))
    try:
        a.recv_bytes(10)
    except OSError as e:
        print('maxlength 10: OSError', e)
    print('duplex end: closed=%s readable=%s writable=%s' % (a.closed, a.readable, a.writable))
    try:
        a.recv()
    except OSError as e:
        print('recv: OSError', e)
    try:
        a.poll()
    except OSError as e:
        print('poll: OSError', e, flush=True)
    a.send('still writable')
    p.join()
    print('child exitcode', p.exitcode)

    r, w = mp.Pipe(False)
    w.send_bytes(b'x' * 100)
    w.send_bytes(b'y')
    try:
        r.recv_bytes(99)
    except OSError as e:
        print('maxlength 99: OSError', e)
    print('read-only end: closed=%s' % r.closed)
    try:
        r.recv_bytes()
    except OSError as e:
        print('recv_bytes: OSError', e)
    r.close()
    w.close()
