"""The error_callback of apply_async/map_async is never called.

try-first: pool/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.pool as _p

_init = _p.ApplyResult.__init__


def __init__(self, pool, callback, error_callback):
    _init(self, pool, callback, None)


_p.ApplyResult.__init__ = __init__
