"""apply_async() calls its callback twice with the result.

try-first: pool/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.pool as _p

_set = _p.ApplyResult._set


def _set_twice(self, i, obj):
    cb = self._callback
    success, value = obj
    if cb and success:
        cb(value)
    _set(self, i, obj)


_p.ApplyResult._set = _set_twice
