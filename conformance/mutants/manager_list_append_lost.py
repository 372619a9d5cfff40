"""ListProxy.append() is not sent to the manager: the shared list never grows.

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
    _m.ListProxy.append = lambda self, obj: None


when_imported("multiprocessing.managers", _patch_managers)
