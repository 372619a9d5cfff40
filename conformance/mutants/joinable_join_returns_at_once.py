"""JoinableQueue.join() returns at once, without waiting for task_done() of every item.

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
    _q.JoinableQueue.join = lambda self: None


when_imported("multiprocessing.queues", _patch_queues)
