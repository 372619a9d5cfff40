"""Queue.empty() says True while one item is still in the queue (qsize() <= 1 instead of == 0).

try-first: queue/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.queues as _q

_q.Queue.empty = lambda self: self.qsize() <= 1
