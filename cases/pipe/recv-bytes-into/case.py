# Not a document example: a spec case for cpython-testsuite.md section 5
# (test_connection) and cpython-semantics.md 3.4.
# recv_bytes_into(buf, offset) returns the message's length and writes only
# those bytes, at the offset; offset == len(buf) takes an empty message;
# a message that does not fit raises BufferTooShort (a ProcessError) whose
# args are (whole message,), the message is consumed and buf untouched;
# offset > len(buf) and a negative offset are ValueErrors raised before
# reading (nothing is consumed).  When the sending child has closed its end,
# poll() is True and recv_bytes_into raises EOFError.
import multiprocessing as mp


def child(conn):
    for m in (b'hi', b'hello world', b'abc', b'', b'0123456789', b'0123456789', b'z'):
        conn.send_bytes(m)
    conn.close()


if __name__ == '__main__':
    a, b = mp.Pipe()
    p = mp.Process(target=child, args=(b,))
    p.start()
    b.close()
    buf = bytearray(10)
    print('into offset 3:', a.recv_bytes_into(buf, 3), buf)
    try:
        a.recv_bytes_into(buf)
    except mp.BufferTooShort as e:
        print('too short:', type(e).__name__, isinstance(e, mp.ProcessError), e.args, buf)
    print('next message:', a.recv_bytes_into(buf), buf)
    for off in (11, -1):
        try:
            a.recv_bytes_into(buf, off)
        except ValueError as e:
            print('offset %d: ValueError %s' % (off, e))
    print('empty at offset 10:', a.recv_bytes_into(buf, 10), buf)
    try:
        a.recv_bytes_into(buf, 1)
    except mp.BufferTooShort as e:
        print('10 bytes at offset 1:', type(e).__name__, e)
    print('10 bytes at offset 0:', a.recv_bytes_into(buf, 0), buf)
    print('last:', a.recv_bytes_into(buf, 9), buf)
    p.join()
    print('poll after the child closed:', a.poll())
    try:
        a.recv_bytes_into(buf)
    except EOFError as e:
        print('EOFError', repr(e), buf)
    a.close()
