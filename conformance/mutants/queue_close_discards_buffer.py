"""Queue.close() throws away the items the feeder thread has not written yet, instead of flushing them.

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
    _close = _q.Queue.close

    def close(self):
        with self._notempty:
            self._buffer.clear()
        _close(self)

    _q.Queue.close = close


when_imported("multiprocessing.queues", _patch_queues)
