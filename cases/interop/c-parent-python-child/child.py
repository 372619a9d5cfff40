# The Python half of interop/c-parent-python-child: case.c (a C parent on
# libmpref) runs this with its child end of a Pipe as descriptor argv[1].
import sys
from multiprocessing.connection import Connection


def serve(conn):
    while True:
        x = conn.recv()
        if x is None:
            break
        conn.send((type(x).__name__, x))
    conn.send([42, None, 'hello'])
    conn.close()


if __name__ == '__main__':
    serve(Connection(int(sys.argv[1])))
