"""Connection.recv_bytes_into(buf, offset) writes at the start of buf, ignoring offset.

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
    _into = _c._ConnectionBase.recv_bytes_into
    _c._ConnectionBase.recv_bytes_into = lambda self, buf, offset=0: _into(self, buf, 0)


when_imported("multiprocessing.connection", _patch_connection)
