# Not a document example: a spec case for cpython-testsuite.md section 5
# (_TestPicklingConnections: Connections, read-only and write-only ends
# included, still work after being sent to another process; test_spawn_close).
# Ends of two Pipe(False) travel to a running child, through a Pipe and
# through a Queue.  Sending one duplicates its descriptor at once: the
# parent closes its copies right after sending, the child's copies keep
# working, keep their direction (readable/writable and the OSError of the
# wrong one) and, when the child closes its writer, the parent's reader
# sees EOFError (recv blocks until every copy is closed, the one the
# sending side's resource sharer held included).  The reader put on the
# Queue is closed only after the child has it: a Queue pickles later, in
# its feeder thread.
import multiprocessing as mp


def child(ctrl, q):
    w = ctrl.recv()
    r2 = q.get()
    print('child got', type(w).__name__, w.readable, w.writable,
          type(r2).__name__, r2.readable, r2.writable, flush=True)
    w.send('via a sent writer')
    w.send_bytes(b'raw')
    print('child reads', r2.recv(), flush=True)
    for f in (w.recv, w.poll, lambda: r2.send(1)):
        try:
            f()
        except OSError as e:
            print('child:', type(e).__name__, e, flush=True)
    w.close()
    r2.close()
    ctrl.send('done')


if __name__ == '__main__':
    ctrl_a, ctrl_b = mp.Pipe()
    q = mp.Queue()
    p = mp.Process(target=child, args=(ctrl_b, q))
    p.start()
    ctrl_b.close()
    r, w = mp.Pipe(False)
    r2, w2 = mp.Pipe(False)
    ctrl_a.send(w)
    w.close()
    q.put(r2)
    w2.send('to the child')
    print('ctrl:', ctrl_a.recv())
    r2.close()
    print('parent reads', r.recv(), r.recv_bytes())
    try:
        r.recv()
    except EOFError as e:
        print('then', repr(e))
    p.join()
    print('child exitcode', p.exitcode)
