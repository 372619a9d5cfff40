"""BoundedSemaphore ignores its bound: releasing past the initial value raises nothing.

try-first: sync/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__
from mpconform_patch import when_imported


# Applied when the program first imports multiprocessing.synchronize: an import
# here would register multiprocessing.util's exit handler before
# the case's own (conformance/shim/mpconform_patch.py).
def _patch_synchronize(_s):
    def __init__(self, value=1, *, ctx):
        _s.SemLock.__init__(self, _s.SEMAPHORE, value, _s.SEM_VALUE_MAX, ctx=ctx)

    _s.BoundedSemaphore.__init__ = __init__


when_imported("multiprocessing.synchronize", _patch_synchronize)
