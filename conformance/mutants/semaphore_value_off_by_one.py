"""Semaphore(value) starts with value + 1 (an off-by-one in the initial count).

try-first: sync/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.synchronize as _s


def __init__(self, value=1, *, ctx):
    _s.SemLock.__init__(self, _s.SEMAPHORE, value + 1, _s.SEM_VALUE_MAX, ctx=ctx)


_s.Semaphore.__init__ = __init__
