"""A manager Lock's proxy swallows the server's error: releasing an unlocked Lock or an RLock one time too many returns None.

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
    _release = _m.AcquirerProxy.release

    def release(self):
        try:
            return _release(self)
        except RuntimeError:
            return None

    _m.AcquirerProxy.release = release


when_imported("multiprocessing.managers", _patch_managers)
