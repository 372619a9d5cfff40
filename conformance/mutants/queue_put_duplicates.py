"""Queue.put() sends every item twice (a retry after a short write that had in fact succeeded).

try-first: queue/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.queues as _q

_put = _q.Queue.put


def put(self, obj, block=True, timeout=None):
    _put(self, obj, block, timeout)
    _put(self, obj, block, timeout)


_q.Queue.put = put
