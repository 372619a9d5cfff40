"""Queue.empty() says True while one item is still in the queue (qsize() <= 1 instead of == 0).

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
    _q.Queue.empty = lambda self: self.qsize() <= 1


when_imported("multiprocessing.queues", _patch_queues)
