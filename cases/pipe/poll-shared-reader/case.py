# Not a document example: a spec case for cpython-testsuite.md section 5
# (_TestPoll.test_boundaries, test_dont_merge) and cpython-semantics.md 3.5.
# A child polls the read end of a Pipe(False) it shares with the parent:
# poll(30) returns True as soon as the first bytes of a message arrive
# (here a header and 2 of its 5 payload bytes, written raw), and polling,
# however often, reads nothing.  After the child is gone the parent
# completes the message and receives it whole, then the next one: nothing
# was consumed or merged by the other process's polls.
import multiprocessing as mp
import os


def poller(r, ctrl):
    print('child poll(30):', r.poll(30), flush=True)
    print('child poll() again:', r.poll(), r.poll(0.1), flush=True)
    ctrl.send('polled')


if __name__ == '__main__':
    r, w = mp.Pipe(False)
    ca, cb = mp.Pipe()
    p = mp.Process(target=poller, args=(r, cb))
    p.start()
    os.write(w.fileno(), b'\x00\x00\x00\x05fi')
    print('ctrl:', ca.recv())
    p.join()
    print('child exitcode', p.exitcode)
    print('parent poll():', r.poll())
    os.write(w.fileno(), b'rst')
    w.send_bytes(b'second')
    w.send_bytes(b'')
    w.send(('third', 3))
    print(r.recv_bytes(), r.recv_bytes(), r.recv_bytes(), r.recv())
    print('poll() after all:', r.poll())
