"""Condition.wait(timeout) waits a tenth of the timeout (a unit slip).

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
    _wait = _s.Condition.wait

    def wait(self, timeout=None):
        if timeout is not None:
            timeout = timeout / 10
        return _wait(self, timeout)

    _s.Condition.wait = wait


when_imported("multiprocessing.synchronize", _patch_synchronize)
