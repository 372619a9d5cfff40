"""Queue.put(block=False) on a full queue waits for room instead of raising queue.Full (the block flag ignored).

try-first: queue/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.queues as _q

_put = _q.Queue.put


def put(self, obj, block=True, timeout=None):
    return _put(self, obj, True, timeout if block else None)


_q.Queue.put = put
