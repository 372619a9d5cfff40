"""Connection.recv() at end of file raises ConnectionResetError instead of EOFError.

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
    _recvo = _c._ConnectionBase.recv

    def recv(self):
        try:
            return _recvo(self)
        except EOFError:
            raise ConnectionResetError("connection closed") from None

    _c._ConnectionBase.recv = recv


when_imported("multiprocessing.connection", _patch_connection)
