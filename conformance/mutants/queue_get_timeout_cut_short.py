"""Queue.get(timeout=T) waits T/10 (a timeout read in the wrong unit) before it raises queue.Empty.

try-first: queue/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.queues as _q

_get = _q.Queue.get


def get(self, block=True, timeout=None):
    if block and timeout is not None:
        timeout = timeout / 10
    return _get(self, block, timeout)


_q.Queue.get = get
