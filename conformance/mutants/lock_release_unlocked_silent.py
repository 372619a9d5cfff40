"""Lock.release() of an unlocked lock is ignored instead of raising ValueError('semaphore or lock released too many times').

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
    _make = _s.SemLock._make_methods

    def _make_methods(self):
        _make(self)
        sl = self._semlock

        def release():
            if sl._get_value() == 0:
                sl.release()
        self.release = release

    _s.Lock._make_methods = _make_methods


when_imported("multiprocessing.synchronize", _patch_synchronize)
