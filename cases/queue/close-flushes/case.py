# Not a document example: a spec case for cpython-testsuite.md section 6
# (test_closed_queue_put_get_exceptions) and cpython-semantics.md 6.1
# (close, join_thread, the feeder).
# The parent puts 2000 items of 100 bytes (far more than the pipe holds)
# and closes its Queue at once: close() does not drop what the feeder has
# not written yet, join_thread() returns once all of it is in the pipe
# (which needs the child to read), and the child, whose copy of the queue
# is not closed, receives every item in order.  Only this process's put
# is refused after close().
import multiprocessing as mp


def reader(q, n, out):
    got = [q.get(timeout=60) for i in range(n)]
    out.send((len(got), got == [(i, bytes([i % 256]) * 100) for i in range(n)]))


if __name__ == '__main__':
    q = mp.Queue()
    a, b = mp.Pipe()
    p = mp.Process(target=reader, args=(q, 2000, b))
    p.start()
    for i in range(2000):
        q.put((i, bytes([i % 256]) * 100))
    q.close()
    try:
        q.put('late')
    except ValueError as e:
        print('put after close: ValueError', str(e) == 'Queue %r is closed' % q)
    print('join_thread:', q.join_thread())
    print('reader got', a.recv())
    p.join()
    print('reader exitcode', p.exitcode, 'qsize', q.qsize())
