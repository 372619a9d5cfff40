"""A manager Queue's proxy sends a tenth of get()'s timeout: a timed get() raises Empty early.

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
    _make = _m.MakeProxyType

    def _get(self, block=True, timeout=None):
        if timeout is not None:
            timeout = timeout / 10
        return self._callmethod('get', (block, timeout))

    def MakeProxyType(name, exposed, _cache={}):
        cls = _make(name, exposed)
        if name in ('AutoProxy[Queue]', 'AutoProxy[JoinableQueue]'):
            cls.get = _get
        return cls

    _m.MakeProxyType = MakeProxyType


when_imported("multiprocessing.managers", _patch_managers)
