"""Queue.get(timeout=T) waits T/10 (a timeout read in the wrong unit) before it raises queue.Empty.

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
    _get = _q.Queue.get

    def get(self, block=True, timeout=None):
        if block and timeout is not None:
            timeout = timeout / 10
        return _get(self, block, timeout)

    _q.Queue.get = get


when_imported("multiprocessing.queues", _patch_queues)
