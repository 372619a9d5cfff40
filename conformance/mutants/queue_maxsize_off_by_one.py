"""Queue(maxsize) takes maxsize + 1 items before it is full (the bounding semaphore starts one too high).

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
    _init = _q.Queue.__init__

    def __init__(self, maxsize=0, *, ctx):
        _init(self, maxsize, ctx=ctx)
        if maxsize > 0:
            self._sem.release()

    _q.Queue.__init__ = __init__


when_imported("multiprocessing.queues", _patch_queues)
