"""SyncManager.Barrier(parties, action) does not pass the action to the server's Barrier: it never runs.

try-first: manager/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.managers as _m

_barrier = _m.SyncManager.Barrier


def Barrier(self, parties, action=None, timeout=None):
    return _barrier(self, parties, None, timeout)


_m.SyncManager.Barrier = Barrier
