"""DictProxy stores every key as str(key) on the manager (1 and '1' collide).

try-first: manager/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__
from mpconform_patch import when_imported


# Applied when the program first imports multiprocessing.managers: an import
# here would register multiprocessing.util's exit handler before
# the case's own (conformance/shim/mpconform_patch.py).
def _patch_managers(_m):
    _set = _m.DictProxy.__setitem__
    _m.DictProxy.__setitem__ = lambda self, k, v: _set(self, str(k), v)


when_imported("multiprocessing.managers", _patch_managers)
