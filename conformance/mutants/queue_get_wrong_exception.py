"""Queue.get() that finds nothing raises TimeoutError instead of queue.Empty.

try-first: queue/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import queue as _queue
from mpconform_patch import when_imported


# Applied when the program first imports multiprocessing.queues: an import
# here would register multiprocessing.util's exit handler before
# the case's own (conformance/shim/mpconform_patch.py).
def _patch_queues(_q):
    _get = _q.Queue.get

    def get(self, block=True, timeout=None):
        try:
            return _get(self, block, timeout)
        except _queue.Empty:
            raise TimeoutError("timed out") from None

    _q.Queue.get = get


when_imported("multiprocessing.queues", _patch_queues)
