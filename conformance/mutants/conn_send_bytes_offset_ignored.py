"""Connection.send_bytes(buf, offset, size) ignores offset (sends from the start of buf).

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
    _send = _c._ConnectionBase.send_bytes

    def send_bytes(self, buf, offset=0, size=None):
        if offset > 0:
            n = len(memoryview(buf).cast('B'))
            if offset <= n:
                size = n - offset if size is None else size
                if size <= n:
                    offset = 0
        return _send(self, buf, offset, size)

    _c._ConnectionBase.send_bytes = send_bytes


when_imported("multiprocessing.connection", _patch_connection)
