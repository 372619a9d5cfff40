"""BoundedSemaphore ignores its bound: releasing past the initial value raises nothing.

try-first: sync/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.synchronize as _s


def __init__(self, value=1, *, ctx):
    _s.SemLock.__init__(self, _s.SEMAPHORE, value, _s.SEM_VALUE_MAX, ctx=ctx)


_s.BoundedSemaphore.__init__ = __init__
