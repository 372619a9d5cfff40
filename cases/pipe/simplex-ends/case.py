# Not a listing of the document: a small program for its claim (准备工作)
# that Pipe(duplex) returns (conn1, conn2), both ends usable both ways when
# duplex is True, and with duplex False conn1 only receives and conn2 only
# sends.
import multiprocessing

def echo(conn):
    conn.send(('child got', conn.recv()))
    conn.close()

def sender(conn):
    conn.send('hello through a one-way pipe')
    conn.close()

if __name__ == '__main__':
    conn1, conn2 = multiprocessing.Pipe(True)
    p = multiprocessing.Process(target=echo, args=(conn2,))
    p.start()
    conn1.send('ping')
    print(conn1.recv())
    p.join()

    conn1, conn2 = multiprocessing.Pipe(False)
    print(conn1.readable, conn1.writable, conn2.readable, conn2.writable)
    p = multiprocessing.Process(target=sender, args=(conn2,))
    p.start()
    print(conn1.recv())
    p.join()
    try:
        conn1.send('back')
    except OSError as e:
        print('conn1.send:', type(e).__name__, e)
    try:
        conn2.recv()
    except OSError as e:
        print('conn2.recv:', type(e).__name__, e)
