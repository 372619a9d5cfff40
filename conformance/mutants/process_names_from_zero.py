"""Default process names count from 0 (Process-0, Process-1, ...) instead of 1.

try-first: process/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__
from mpconform_patch import when_imported


# Applied when the program first imports multiprocessing.process: an import
# here would register multiprocessing.util's exit handler before
# the case's own (conformance/shim/mpconform_patch.py).
def _patch_process(_pr):
    _init = _pr.BaseProcess.__init__

    def __init__(self, group=None, target=None, name=None, args=(), kwargs={}, *, daemon=None):
        _init(self, group, target, name, args, kwargs, daemon=daemon)
        if name is None:
            ident = list(self._identity)
            ident[-1] -= 1
            self._name = type(self).__name__ + '-' + ':'.join(str(i) for i in ident)

    _pr.BaseProcess.__init__ = __init__


when_imported("multiprocessing.process", _patch_process)
