"""Connection.recv_bytes_into(buf, offset) writes at the start of buf, ignoring offset.

try-first: pipe/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.connection as _c

_into = _c._ConnectionBase.recv_bytes_into
_c._ConnectionBase.recv_bytes_into = lambda self, buf, offset=0: _into(self, buf, 0)
