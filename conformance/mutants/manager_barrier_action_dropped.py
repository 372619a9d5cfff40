"""SyncManager.Barrier(parties, action) does not pass the action to the server's Barrier: it never runs.

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
    _barrier = _m.SyncManager.Barrier

    def Barrier(self, parties, action=None, timeout=None):
        return _barrier(self, parties, None, timeout)

    _m.SyncManager.Barrier = Barrier


when_imported("multiprocessing.managers", _patch_managers)
