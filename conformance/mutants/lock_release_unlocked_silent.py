"""Lock.release() of an unlocked lock is ignored instead of raising ValueError('semaphore or lock released too many times').

try-first: sync/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.synchronize as _s

_make = _s.SemLock._make_methods


def _make_methods(self):
    _make(self)
    sl = self._semlock

    def release():
        if sl._get_value() == 0:
            sl.release()
    self.release = release


_s.Lock._make_methods = _make_methods
