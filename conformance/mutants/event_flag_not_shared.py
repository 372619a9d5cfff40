"""Event keeps its flag in the process that set it: set() and clear() change a local attribute, other processes never see it.

try-first: sync/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.synchronize as _s

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
