# spec: _TestRemoteManager.test_remote (CPython 3.11): a TCP manager with
# the xmlrpclib serializer reached by connect() from a child and the
# parent.
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


class QueueManager2(BaseManager):
    '''manager class which specifies the same interface as QueueManager'''


QueueManager2.register('get_queue')

SERIALIZER = 'xmlrpclib'
values = ['hello world', None, True, 2.25,
          'hall\xe5 v\xe4rlden',
          '\u043f\u0440\u0438\u0432\u0456\u0442 \u0441\u0432\u0456\u0442',
          b'hall\xe5 v\xe4rlden',
          ]


def putter(address, authkey):
    manager = QueueManager2(address=address, authkey=authkey,
                            serializer=SERIALIZER)
    manager.connect()
    queue = manager.get_queue()
    # xmlrpclib gives the tuple back as a list
    queue.put(tuple(values))


if __name__ == '__main__':
    authkey = os.urandom(32)
    manager = QueueManager(address=('127.0.0.1', 0), authkey=authkey,
                           serializer=SERIALIZER)
    manager.start()
    print('address:', manager.address[0], type(manager.address[1]).__name__)
    p = Process(target=putter, args=(manager.address, authkey))
    p.daemon = True
    p.start()
    manager2 = QueueManager2(address=manager.address, authkey=authkey,
                             serializer=SERIALIZER)
    manager2.connect()
    queue = manager2.get_queue()
    got = queue.get()
    print('queue.get():', type(got).__name__, got == values)
    print('items:', [type(x).__name__ for x in got], got[6].data)
    try:
        queue.put(len)
        print('queue.put(len): no error')
    except Exception as e:
        print('queue.put(len):', type(e).__name__, e)
    del queue
    p.join()
    print('putter exitcode:', p.exitcode)
    manager.shutdown()
