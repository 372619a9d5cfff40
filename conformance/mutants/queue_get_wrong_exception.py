"""Queue.get() that finds nothing raises TimeoutError instead of queue.Empty.

try-first: queue/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import queue as _queue
import multiprocessing.queues as _q

_get = _q.Queue.get


def get(self, block=True, timeout=None):
    try:
        return _get(self, block, timeout)
    except _queue.Empty:
        raise TimeoutError("timed out") from None


_q.Queue.get = get
