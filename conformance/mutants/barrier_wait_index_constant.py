"""Barrier.wait() returns 0 to every party instead of a distinct index 0..parties-1.

try-first: sync/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import threading as _t
from mpconform_patch import when_imported


# Applied when the program first imports multiprocessing.synchronize: an import
# here would register multiprocessing.util's exit handler before
# the case's own (conformance/shim/mpconform_patch.py).
def _patch_synchronize(_s):
    _wait = _t.Barrier.wait

    def wait(self, timeout=None):
        _wait(self, timeout)
        return 0

    _s.Barrier.wait = wait


when_imported("multiprocessing.synchronize", _patch_synchronize)
