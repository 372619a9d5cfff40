"""Barrier(n) releases its waiters when n - 1 parties have arrived (off by one).

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
    _init = _s.Barrier.__init__

    def __init__(self, parties, action=None, timeout=None, *, ctx):
        _init(self, max(1, parties - 1), action, timeout, ctx=ctx)
        self._mutant_parties = parties

    _s.Barrier.__init__ = __init__
    _s.Barrier.parties = property(lambda self: getattr(self, "_mutant_parties", self._parties))


when_imported("multiprocessing.synchronize", _patch_synchronize)
