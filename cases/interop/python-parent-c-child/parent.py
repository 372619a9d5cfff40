# The Python half of interop/python-parent-c-child: an ordinary
# multiprocessing parent whose child is the C program argv[1] (case.c,
# libmpref), started with its end of the Pipe as a descriptor.
import multiprocessing
import subprocess
import sys

if __name__ == '__main__':
    parent_conn, child_conn = multiprocessing.Pipe()
    fd = child_conn.fileno()
    p = subprocess.Popen([sys.argv[1], '--child', str(fd)], pass_fds=[fd])
    child_conn.close()
    parent_conn.send(list(range(10)))
    print(parent_conn.recv())
    print(parent_conn.recv())
    print(parent_conn.recv_bytes())
    try:
        parent_conn.recv()
    except EOFError:
        print('EOF')
    print('exitcode', p.wait())
