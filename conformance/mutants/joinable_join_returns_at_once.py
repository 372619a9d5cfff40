"""JoinableQueue.join() returns at once, without waiting for task_done() of every item.

try-first: queue/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.queues as _q

_q.JoinableQueue.join = lambda self: None
