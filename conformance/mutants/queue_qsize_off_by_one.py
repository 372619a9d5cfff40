"""Queue.qsize() counts one item too many (maxsize minus the semaphore's value, plus one).

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
    _qsize = _q.Queue.qsize
    _q.Queue.qsize = lambda self: _qsize(self) + 1


when_imported("multiprocessing.queues", _patch_queues)
