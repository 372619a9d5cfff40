"""Queue.put() after close() is accepted silently (no ValueError 'Queue ... is closed'); the item is lost.

try-first: queue/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.queues as _q

_put = _q.Queue.put


def put(self, obj, block=True, timeout=None):
    if self._closed:
        return None
    return _put(self, obj, block, timeout)


_q.Queue.put = put
