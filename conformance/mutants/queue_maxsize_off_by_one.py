"""Queue(maxsize) takes maxsize + 1 items before it is full (the bounding semaphore starts one too high).

try-first: queue/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.queues as _q

_init = _q.Queue.__init__


def __init__(self, maxsize=0, *, ctx):
    _init(self, maxsize, ctx=ctx)
    if maxsize > 0:
        self._sem.release()


_q.Queue.__init__ = __init__
