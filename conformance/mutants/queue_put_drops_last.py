"""Queue.put() drops every third item it is given (a buffer index that wraps one slot early).

try-first: queue/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.queues as _q

_put = _q.Queue.put


def put(self, obj, block=True, timeout=None):
    n = getattr(self, "_mutant_n", 0) + 1
    self._mutant_n = n
    if n % 3 == 0:
        return
    _put(self, obj, block, timeout)


_q.Queue.put = put
