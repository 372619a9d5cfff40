# Not a listing of a document: the interop case of issue 4, the other way
# round.  Here both halves are Python; for libmpref, case.c execs
# parent.py, ordinary multiprocessing code that launches the C child
# (case.c --child FD) on its end of a Pipe.
import multiprocessing


def work(conn):
    numbers = conn.recv()
    conn.send({'sum': sum(numbers), 'squares': [n * n for n in numbers]})
    conn.send(('from the child', -1.5, b'bytes', 'caf\xe9'))
    conn.send_bytes(b'raw message')
    conn.close()


if __name__ == '__main__':
    parent_conn, child_conn = multiprocessing.Pipe()
    p = multiprocessing.Process(target=work, args=(child_conn,))
    p.start()
    child_conn.close()
    parent_conn.send(list(range(10)))
    print(parent_conn.recv())
    print(parent_conn.recv())
    print(parent_conn.recv_bytes())
    try:
        parent_conn.recv()
    except EOFError:
        print('EOF')
    p.join()
    print('exitcode', p.exitcode)
