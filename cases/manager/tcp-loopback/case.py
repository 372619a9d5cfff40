# not a document example: the section says one manager can be shared by
# processes on different computers over a network; here the manager listens
# on TCP 127.0.0.1 (a free port) and the client processes reach it through
# proxies over that socket; one more client brings the wrong authkey
from multiprocessing import Process
from multiprocessing.managers import SyncManager


def worker(d, l, i):
    d[i] = i * i
    l.append(i)


def intruder(address):
    m = SyncManager(address=address, authkey=b'wrong')
    try:
        m.connect()
        print('intruder connected')
    except Exception as e:
        print('intruder:', type(e).__name__, e)


if __name__ == '__main__':
    with SyncManager(address=('127.0.0.1', 0), authkey=b'secret') as m:
        host, port = m.address
        print('address:', host, type(port).__name__, 0 < port < 65536)
        d = m.dict({i: None for i in range(4)})
        l = m.list()
        ps = [Process(target=worker, args=(d, l, i)) for i in range(4)]
        for p in ps:
            p.start()
        for p in ps:
            p.join()
        p = Process(target=intruder, args=(m.address,))
        p.start()
        p.join()
        print('exitcodes:', [q.exitcode for q in ps], p.exitcode)
        print('d:', d)
        l.sort()
        print('l:', l, len(l))
