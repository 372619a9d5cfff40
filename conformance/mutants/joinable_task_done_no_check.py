"""JoinableQueue.task_done() called more times than items were put does not raise ValueError.

try-first: queue/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__
from mpconform_patch import when_imported


# Applied when the program first imports multiprocessing.queues: an import
# here would register multiprocessing.util's exit handler before
# the case's own (conformance/shim/mpconform_patch.py).
def _patch_queues(_q):
    def task_done(self):
        with self._cond:
            if self._unfinished_tasks.acquire(False):
                if self._unfinished_tasks._semlock._is_zero():
                    self._cond.notify_all()

    _q.JoinableQueue.task_done = task_done


when_imported("multiprocessing.queues", _patch_queues)
