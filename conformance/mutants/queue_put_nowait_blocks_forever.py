"""Queue.put(block=False) on a full queue waits for room instead of raising queue.Full (the block flag ignored).

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
    _put = _q.Queue.put

    def put(self, obj, block=True, timeout=None):
        return _put(self, obj, True, timeout if block else None)

    _q.Queue.put = put


when_imported("multiprocessing.queues", _patch_queues)
