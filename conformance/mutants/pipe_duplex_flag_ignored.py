"""Pipe(duplex=False) returns a duplex pair: both ends read and write (the flag ignored).

try-first: pipe/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.connection as _c

_pipe = _c.Pipe
_c.Pipe = lambda duplex=True: _pipe(True)
