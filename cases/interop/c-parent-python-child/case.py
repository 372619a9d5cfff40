# Not a listing of a document: the interop case of issue 4 (a C process and
# a CPython process exchange values through one Pipe).  Here both halves
# are Python; case.c is the C parent, and child.py the same child as an
# ordinary Python program the C parent launches on its end of the Pipe.
import multiprocessing


def serve(conn):
    while True:
        x = conn.recv()
        if x is None:
            break
        conn.send((type(x).__name__, x))
    conn.send([42, None, 'hello'])
    conn.close()


VALUES = [42, -2**63, 2**63 - 1, 2.5, 1e16, float('inf'), 'h\xe9llo \u20ac',
          "it's", b'\x00\xff', (1,), [None, True], {'k': (1, 2.5)},
          {1: '1', '2': 2, 0.25: None}]

if __name__ == '__main__':
    parent_conn, child_conn = multiprocessing.Pipe()
    p = multiprocessing.Process(target=serve, args=(child_conn,))
    p.start()
    child_conn.close()
    for v in VALUES:
        parent_conn.send(v)
        print(parent_conn.recv())
    parent_conn.send(None)
    print(parent_conn.recv())
    try:
        parent_conn.recv()
    except EOFError:
        print('EOF')
    p.join()
    print('exitcode', p.exitcode)
