# spec: CPython 3.11 _TestQueue.test_queue_feeder_on_queue_feeder_error
# (bpo-30006): a Queue subclass's _on_queue_feeder_error(e, obj) hook gets
# the error of an item the feeder cannot pickle and the item itself (the
# item's __reduce__ ran); the queue keeps working.
import multiprocessing
import multiprocessing.queues


class NotSerializable(object):
    def __init__(self):
        self.reduce_was_called = False
        self.on_queue_feeder_error_was_called = False

    def __reduce__(self):
        self.reduce_was_called = True
        raise AttributeError


class SafeQueue(multiprocessing.queues.Queue):
    @staticmethod
    def _on_queue_feeder_error(e, obj):
        if isinstance(e, AttributeError) and isinstance(obj, NotSerializable):
            obj.on_queue_feeder_error_was_called = True


if __name__ == '__main__':
    obj = NotSerializable()
    q = SafeQueue(ctx=multiprocessing.get_context())
    q.put(obj)
    q.put(True)
    print('the next item arrives:', q.get(timeout=10))
    print('__reduce__ called:', obj.reduce_was_called)
    print('hook called with the error and the item:', obj.on_queue_feeder_error_was_called)
    q.close()
    q.join_thread()
