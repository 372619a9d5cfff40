"""Barrier.wait() returns 0 to every party instead of a distinct index 0..parties-1.

try-first: sync/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.synchronize as _s
import threading as _t

_wait = _t.Barrier.wait


def wait(self, timeout=None):
    _wait(self, timeout)
    return 0


_s.Barrier.wait = wait
