"""Connection.recv() at end of file raises ConnectionResetError instead of EOFError.

try-first: pipe/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.connection as _c

_recvo = _c._ConnectionBase.recv


def recv(self):
    try:
        return _recvo(self)
    except EOFError:
        raise ConnectionResetError("connection closed") from None


_c._ConnectionBase.recv = recv
