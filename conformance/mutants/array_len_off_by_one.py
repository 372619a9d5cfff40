"""A synchronized Array's len() is one less than its length (and iteration stops early).

try-first: shared/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__
from mpconform_patch import when_imported


# Applied when the program first imports multiprocessing.sharedctypes: an import
# here would register multiprocessing.util's exit handler before
# the case's own (conformance/shim/mpconform_patch.py).
def _patch_sharedctypes(_sc):
    _len = _sc.SynchronizedArray.__len__
    _sc.SynchronizedArray.__len__ = lambda self: _len(self) - 1


when_imported("multiprocessing.sharedctypes", _patch_sharedctypes)
