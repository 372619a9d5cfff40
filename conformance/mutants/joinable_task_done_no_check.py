"""JoinableQueue.task_done() called more times than items were put does not raise ValueError.

try-first: queue/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.queues as _q


def task_done(self):
    with self._cond:
        if self._unfinished_tasks.acquire(False):
            if self._unfinished_tasks._semlock._is_zero():
                self._cond.notify_all()


_q.JoinableQueue.task_done = task_done
