# spec: CPython 3.11 _TestConnection.test_context, TestInvalidHandle.
# test_invalid_handles and TestTimeouts.test_timeout: `with a, b:` closes both
# Pipe ends (closed False inside, True after, recv() then raises OSError);
# Connection(-1) raises ValueError or OSError, and poll() on a Connection
# over a descriptor that is not open raises one of them instead of crashing;
# socket.setdefaulttimeout(0.1) does not break a Pipe nor a Listener/Client
# pair whose peer answers after 1 s.
import multiprocessing as mp
import multiprocessing.connection
import socket
import time


def late_sender(child, address):
    time.sleep(1)
    child.send(123)
    child.close()
    conn = multiprocessing.connection.Client(address)
    conn.send(456)
    conn.close()


if __name__ == '__main__':
    a, b = mp.Pipe()
    with a, b:
        a.send(1729)
        print('with a, b: recv', b.recv(), 'closed', a.closed, b.closed)
    print('after with: closed', a.closed, b.closed)
    try:
        a.recv()
    except OSError as e:
        print('recv after with: OSError', e)

    try:
        multiprocessing.connection.Connection(-1)
    except (ValueError, OSError) as e:
        print('Connection(-1):', type(e).__name__, e)
    conn = multiprocessing.connection.Connection(44977608)
    try:
        conn.poll()
        print('poll() on a descriptor that is not open: returned')
    except (ValueError, OSError) as e:
        print('poll() on a descriptor that is not open: ValueError or OSError')
    try:
        conn.close()
    except OSError:
        pass

    socket.setdefaulttimeout(0.1)
    parent, child = mp.Pipe(duplex=True)
    listener = multiprocessing.connection.Listener(family='AF_INET')
    p = mp.Process(target=late_sender, args=(child, listener.address))
    p.start()
    child.close()
    print('Pipe recv with a 0.1 s default socket timeout:', parent.recv())
    parent.close()
    c = listener.accept()
    print('Listener recv with a 0.1 s default socket timeout:', c.recv())
    c.close()
    listener.close()
    p.join()
    print('exitcode:', p.exitcode)
