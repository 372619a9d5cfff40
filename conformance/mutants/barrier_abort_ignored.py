"""Barrier.abort() does not break the barrier: waiters keep waiting and broken stays False.

try-first: sync/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.synchronize as _s

_s.Barrier.abort = lambda self: None
