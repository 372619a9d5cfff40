# spec: CPython 3.11 _TestConnection.test_fd_transfer, test_large_fd_transfer
# and test_missing_fd_transfer: multiprocessing.reduction.send_handle() gives
# a child an open file's descriptor through a Pipe (SCM_RIGHTS) and the child
# writes to the file through it; the same with a descriptor numbered 256 or
# above sent to a child whose descriptors 0..255 are all taken; recv_handle()
# on data that carries no descriptor raises RuntimeError.
import multiprocessing as mp
import os
import tempfile
from multiprocessing import reduction


def is_fd_assigned(fd):
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def writefd(conn, data, create_dummy_fds=False):
    if create_dummy_fds:
        for i in range(0, 256):
            if not is_fd_assigned(i):
                os.dup2(conn.fileno(), i)
    fd = reduction.recv_handle(conn)
    os.write(fd, data)
    os.close(fd)
    conn.send(fd >= 256 if create_dummy_fds else 'done')


def send_data_without_fd(conn):
    os.write(conn.fileno(), b"\0")


def transfer(path, data, large):
    conn, child_conn = mp.Pipe(duplex=True)
    p = mp.Process(target=writefd, args=(child_conn, data, large), daemon=True)
    p.start()
    with open(path, 'wb') as f:
        fd = f.fileno()
        if large:
            newfd = next(n for n in range(256, os.sysconf('SC_OPEN_MAX'))
                         if not is_fd_assigned(n))
            os.dup2(fd, newfd)
            print('sent descriptor 256 or above:', newfd >= 256)
            try:
                reduction.send_handle(conn, newfd, p.pid)
            finally:
                os.close(newfd)
        else:
            reduction.send_handle(conn, fd, p.pid)
    reply = conn.recv()
    p.join()
    with open(path, 'rb') as f:
        return reply, f.read(), p.exitcode


if __name__ == '__main__':
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, 'fd-transfer')
        print('fd_transfer:', transfer(path, b'foo', False))
        print('large_fd_transfer (child got a descriptor 256 or above, file, exitcode):',
              transfer(path, b'bar', True))
    conn, child_conn = mp.Pipe(duplex=True)
    p = mp.Process(target=send_data_without_fd, args=(child_conn,), daemon=True)
    p.start()
    try:
        reduction.recv_handle(conn)
        print('missing_fd_transfer: no error')
    except Exception as e:
        print('missing_fd_transfer:', type(e).__name__, e)
    p.join()
    print('exitcode:', p.exitcode)
