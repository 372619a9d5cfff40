# spec: CPython 3.11 TestIgnoreEINTR.test_ignore: a child with a SIGUSR1
# handler is signalled while it is blocked in recv() and while it is blocked
# in a send_bytes() of 16 MiB + 1 bytes (more than a pipe holds: the parent
# is not reading yet); neither call fails or returns early (EINTR retried,
# PEP 475): the parent gets the echo and every byte.  The suite signals once
# in each call; this case signals twice in each, 0.1 s apart.
import multiprocessing as mp
import os
import signal
import time

CONN_MAX_SIZE = 16 * 1024 * 1024 + 1  # the suite's max(PIPE_MAX_SIZE, SOCK_MAX_SIZE)


def child(conn):
    got = []
    signal.signal(signal.SIGUSR1, lambda *args: got.append(1))
    conn.send('ready')
    x = conn.recv()
    conn.send(x)
    conn.send_bytes(b'x' * CONN_MAX_SIZE)
    conn.send(len(got))


if __name__ == '__main__':
    conn, child_conn = mp.Pipe()
    p = mp.Process(target=child, args=(child_conn,), daemon=True)
    p.start()
    child_conn.close()
    print('child says:', conn.recv())
    for _ in range(2):
        time.sleep(0.1)
        os.kill(p.pid, signal.SIGUSR1)
    time.sleep(0.1)
    conn.send(1234)
    print('echo:', conn.recv())
    for _ in range(2):
        time.sleep(0.1)
        os.kill(p.pid, signal.SIGUSR1)
    data = conn.recv_bytes()
    print('bytes:', len(data), data == b'x' * CONN_MAX_SIZE)
    print('signals the child handled:', conn.recv())
    p.join()
    print('exitcode:', p.exitcode)
    conn.close()
