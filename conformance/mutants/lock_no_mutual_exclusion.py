"""Lock does not exclude: acquire() always succeeds at once and release() does nothing.

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
    def _make_methods(self):
        self.acquire = lambda block=True, timeout=None: True
        self.release = lambda: None

    _s.Lock._make_methods = _make_methods
    _s.Lock.__enter__ = lambda self: True
    _s.Lock.__exit__ = lambda self, *a: None


when_imported("multiprocessing.synchronize", _patch_synchronize)
