# not a document example: under fork the child inherits all of the parent's state (module
# globals as changed in the main block, open file descriptors); under spawn and forkserver
# it re-imports the main module and inherits only what run() needs
import multiprocessing as mp
import os

G = 'import-time'


def show(fd):
    print('child sees G =', G)
    try:
        os.fstat(fd)
    except OSError as e:
        print('child fstat(fd):', type(e).__name__, e)
    else:
        print('child fstat(fd): ok')


if __name__ == '__main__':
    G = 'changed-in-main'
    fd0 = os.open(os.devnull, os.O_RDONLY)
    fd = os.dup2(fd0, 100, inheritable=False)
    os.close(fd0)
    p = mp.Process(target=show, args=(fd,))
    p.start()
    p.join()
    os.close(fd)
    print('exitcode:', p.exitcode)
