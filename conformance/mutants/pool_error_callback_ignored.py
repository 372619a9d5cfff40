"""The error_callback of apply_async/map_async is never called.

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
    _init = _p.ApplyResult.__init__

    def __init__(self, pool, callback, error_callback):
        _init(self, pool, callback, None)

    _p.ApplyResult.__init__ = __init__


when_imported("multiprocessing.pool", _patch_pool)
