"""Event keeps its flag in the process that set it: set() and clear() change a local attribute, other processes never see it.

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
    def set(self):
        self._mutant_flag = True
        with self._cond:
            self._cond.notify_all()

    def clear(self):
        self._mutant_flag = False

    def is_set(self):
        return getattr(self, "_mutant_flag", False)

    def wait(self, timeout=None):
        with self._cond:
            if not self.is_set():
                self._cond.wait(timeout)
            return self.is_set()

    _s.Event.set = set
    _s.Event.clear = clear
    _s.Event.is_set = is_set
    _s.Event.wait = wait


when_imported("multiprocessing.synchronize", _patch_synchronize)
