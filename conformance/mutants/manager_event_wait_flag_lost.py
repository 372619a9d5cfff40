"""EventProxy.wait() drops the server's result and returns None (the flag is lost, as before threading.Event.wait returned it).

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
    def wait(self, timeout=None):
        self._callmethod('wait', (timeout,))

    _m.EventProxy.wait = wait


when_imported("multiprocessing.managers", _patch_managers)
