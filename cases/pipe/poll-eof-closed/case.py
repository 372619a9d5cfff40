# Not a document example: a spec case for cpython-testsuite.md section 5
# (test_connection, _TestPoll, test_duplex_false) and cpython-semantics.md
# 3.4-3.5.  poll() and poll(-1) answer False at once on an empty pipe,
# poll(T) only after T; poll(None) blocks until a message comes; b'' is a
# real message that keeps poll() True until it is read; repeated polls
# consume nothing and messages are never merged.  A peer that dies inside
# a message gives OSError 'got end of file during message', then EOFError;
# at EOF poll() is True.  A closed Connection raises OSError 'handle is
# closed' from every method but close(); the ends of Pipe(False) refuse
# the wrong direction; sending to a closed reader is BrokenPipeError.
import multiprocessing as mp
import os
import time


def child(conn, other):
    other.close()  # a fork child inherited the parent's end
    assert conn.recv() == 'go'
    conn.send_bytes(b'')
    assert conn.recv() == 'next'
    for m in (b'a', b'b', b'cd', b'', b'e'):
        conn.send_bytes(m)
    assert conn.recv() == 'bye'
    # a header announcing 16 bytes, then 3 bytes, then the end
    os.write(conn.fileno(), b'\x00\x00\x00\x10abc')
    conn.close()


def timed(f, *args):
    t = time.monotonic()
    r = f(*args)
    return r, time.monotonic() - t


if __name__ == '__main__':
    a, b = mp.Pipe()
    p = mp.Process(target=child, args=(b, a))
    p.start()
    b.close()
    for args in ((), (-1,), (0,)):
        r, dt = timed(a.poll, *args)
        print('poll%s: %s at once: %s' % (args, r, dt < 1.0))
    r, dt = timed(a.poll, 0.3)
    print('poll(0.3): %s waited 0.3: %s' % (r, 0.3 <= dt < 5.0))
    a.send('go')
    print('poll(None):', a.poll(None))
    print('poll() again:', a.poll(), a.poll(0.1), a.poll())
    print('message:', a.recv_bytes())
    print('poll() after b\'\':', a.poll())
    a.send('next')
    print('poll(None):', a.poll(None))
    got = []
    for i in range(5):
        a.poll()
        a.poll(None)
        got.append(a.recv_bytes())
    print('messages:', got)
    print('poll() when drained:', a.poll())
    a.send('bye')
    p.join()
    print('child exitcode', p.exitcode)
    print('poll() at EOF:', a.poll(), a.poll(None))
    try:
        a.recv_bytes()
    except OSError as e:
        print('recv_bytes:', type(e).__name__, e)
    for f in (a.recv, a.recv_bytes):
        try:
            f()
        except EOFError as e:
            print(f.__name__ + ':', repr(e))
    print('poll() still:', a.poll())

    a.close()
    a.close()
    print('closed:', a.closed)
    for name, args in (('send', (1,)), ('recv', ()), ('poll', ()), ('fileno', ()),
                       ('send_bytes', (b'x',)), ('recv_bytes', ()),
                       ('recv_bytes_into', (bytearray(4),))):
        try:
            getattr(a, name)(*args)
        except OSError as e:
            print('closed %s: %s %s' % (name, type(e).__name__, e))

    r, w = mp.Pipe(False)
    w.send([1, 2])
    print('reader:', r.poll(), r.recv(), r.readable, r.writable)
    for end, name, args in ((r, 'send', (1,)), (r, 'send_bytes', (b'x',)),
                            (w, 'recv', ()), (w, 'recv_bytes', ()), (w, 'poll', ()),
                            (w, 'recv_bytes_into', (bytearray(4),))):
        try:
            getattr(end, name)(*args)
        except OSError as e:
            print('%s.%s: %s %s' % ('rw'[end is w], name, type(e).__name__, e))
    r.close()
    for f, args in ((w.send, ('x',)), (w.send_bytes, (b'x',))):
        try:
            f(*args)
        except OSError as e:
            print('%s after the reader closed: %s %s' % (f.__name__, type(e).__name__, e))
    w.close()
