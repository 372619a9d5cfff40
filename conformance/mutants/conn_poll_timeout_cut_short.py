"""Connection.poll(timeout) returns False at once when nothing is ready (the timeout not waited).

try-first: pipe/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__
from mpconform_patch import when_imported


# Applied when the program first imports multiprocessing.connection: an import
# here would register multiprocessing.util's exit handler before
# the case's own (conformance/shim/mpconform_patch.py).
def _patch_connection(_c):
    _poll = _c._ConnectionBase.poll

    def poll(self, timeout=0.0):
        return _poll(self, 0.0 if timeout is not None else None)

    _c._ConnectionBase.poll = poll


when_imported("multiprocessing.connection", _patch_connection)
