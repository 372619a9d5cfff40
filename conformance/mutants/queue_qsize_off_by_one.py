"""Queue.qsize() counts one item too many (maxsize minus the semaphore's value, plus one).

try-first: queue/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.queues as _q

_qsize = _q.Queue.qsize
_q.Queue.qsize = lambda self: _qsize(self) + 1
