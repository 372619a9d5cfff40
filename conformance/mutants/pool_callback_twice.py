"""apply_async() calls its callback twice with the result.

try-first: pool/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__
from mpconform_patch import when_imported


# Applied when the program first imports multiprocessing.pool: an import
# here would register multiprocessing.util's exit handler before
# the case's own (conformance/shim/mpconform_patch.py).
def _patch_pool(_p):
    _set = _p.ApplyResult._set

    def _set_twice(self, i, obj):
        cb = self._callback
        success, value = obj
        if cb and success:
            cb(value)
        _set(self, i, obj)

    _p.ApplyResult._set = _set_twice


when_imported("multiprocessing.pool", _patch_pool)
