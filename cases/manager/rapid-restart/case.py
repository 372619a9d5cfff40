# spec: _TestManagerRestart.test_rapid_restart (CPython 3.11): a manager
# started again on the same TCP address right after shutdown().
import errno
import os
import queue as pyqueue
from multiprocessing import Process
from multiprocessing.managers import BaseManager

_queue = pyqueue.Queue()


def get_queue():
    return _queue


class QueueManager(BaseManager):
    '''manager class used by server process'''


QueueManager.register('get_queue', callable=get_queue)

SERIALIZER = 'xmlrpclib'


def putter(address, authkey):
    manager = QueueManager(address=address, authkey=authkey,
                           serializer=SERIALIZER)
    manager.connect()
    queue = manager.get_queue()
    queue.put('hello world')


if __name__ == '__main__':
    authkey = os.urandom(32)
    manager = QueueManager(address=('127.0.0.1', 0), authkey=authkey,
                           serializer=SERIALIZER)
    # get_server() binds the address; closing its listener frees the port
    srvr = manager.get_server()
    addr = srvr.address
    srvr.listener.close()
    manager.start()
    p = Process(target=putter, args=(manager.address, authkey))
    p.start()
    p.join()
    print('putter exitcode:', p.exitcode)
    queue = manager.get_queue()
    print('queue.get():', queue.get())
    del queue
    manager.shutdown()
    # the same address at once, twice: the port of the first server, whose
    # connections are in TIME_WAIT (CPython's listener sets SO_REUSEADDR),
    # then the one get_server() bound and closed, as the suite does
    for address in (manager.address, addr):
        manager = QueueManager(address=address, authkey=authkey,
                               serializer=SERIALIZER)
        manager.start()
        print('restarted on the same address:', manager.address == address)
        p = Process(target=putter, args=(manager.address, authkey))
        p.start()
        p.join()
        queue = manager.get_queue()
        print('queue.get():', queue.get())
        del queue
        manager.shutdown()
