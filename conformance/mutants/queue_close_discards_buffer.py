"""Queue.close() throws away the items the feeder thread has not written yet, instead of flushing them.

try-first: queue/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.queues as _q

_close = _q.Queue.close


def close(self):
    with self._notempty:
        self._buffer.clear()
    _close(self)


_q.Queue.close = close
