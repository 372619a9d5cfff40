# spec: CPython 3.11 _TestConnection.test_connection: through a duplex Pipe to
# a child that echoes every message back: fileno() is an int, send() and
# send_bytes() return None, values and bytes round-trip; send_bytes() of an
# array.array('i') and recv_bytes_into() an array.array('i') count in bytes
# (16 for 4 items) and the offset is in bytes too (3 * itemsize); a buffer
# too short raises BufferTooShort carrying the whole message; poll(),
# poll(-1) return False at once, poll(0.1) after 0.1 s, and True at once
# once a message waits; 16 MiB round-trip; after the child closed its end,
# readable and writable stay True and recv()/recv_bytes() raise EOFError.
import array
import multiprocessing as mp
import time

SENTINEL = b''


def echo(conn):
    for msg in iter(conn.recv_bytes, SENTINEL):
        conn.send_bytes(msg)
    conn.close()


def timed(f, *args):
    t = time.monotonic()
    r = f(*args)
    return r, time.monotonic() - t


if __name__ == '__main__':
    conn, child_conn = mp.Pipe()
    p = mp.Process(target=echo, args=(child_conn,), daemon=True)
    p.start()
    seq = [1, 2.25, None]
    msg = b'hello world'
    longmsg = msg * 10
    arr = array.array('i', list(range(4)))
    print('fileno() is int:', type(conn.fileno()) is int)
    print('send(seq):', conn.send(seq), 'recv():', conn.recv())
    print('send_bytes(msg):', conn.send_bytes(msg), 'recv_bytes():', conn.recv_bytes())

    buffer = array.array('i', [0] * 10)
    print('send_bytes(array):', conn.send_bytes(arr),
          'recv_bytes_into(array):', conn.recv_bytes_into(buffer), list(buffer))
    buffer = array.array('i', [0] * 10)
    print('send_bytes(array):', conn.send_bytes(arr),
          'recv_bytes_into(array, 3 * itemsize):',
          conn.recv_bytes_into(buffer, 3 * buffer.itemsize), list(buffer))
    buffer = bytearray(b' ' * 40)
    conn.send_bytes(longmsg)
    try:
        res = conn.recv_bytes_into(buffer)
        print('recv_bytes_into(40 bytes) of 110:', res)
    except mp.BufferTooShort as e:
        print('recv_bytes_into(40 bytes) of 110: BufferTooShort, args are the message:',
              e.args == (longmsg,))

    r, d0 = timed(conn.poll)
    r1, d1 = timed(conn.poll, -1)
    r2, d2 = timed(conn.poll, 0.1)
    print('poll(), poll(-1), poll(0.1) with nothing:', r, r1, r2)
    print('they took %.3f %.3f %.3f s' % (d0, d1, d2))
    conn.send(None)
    # the suite sleeps 0.1 s and hopes the echo is back; waiting for it
    # makes "a message waits" certain
    conn.poll(30)
    r3, d3 = timed(conn.poll, 0.1)
    print('poll(0.1) with a message waiting:', r3, 'recv():', conn.recv())
    print('it took %.3f s' % d3)

    really_big_msg = b'X' * (1024 * 1024 * 16)
    conn.send_bytes(really_big_msg)
    print('16 MiB round trip:', conn.recv_bytes() == really_big_msg)
    conn.send_bytes(SENTINEL)
    child_conn.close()
    print('readable, writable:', conn.readable, conn.writable)
    for name in ('recv', 'recv_bytes'):
        try:
            getattr(conn, name)()
        except EOFError:
            print(name + '() after the child closed: EOFError')
    p.join()
    print('exitcode:', p.exitcode)
