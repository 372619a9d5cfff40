"""Pool.imap() yields results in completion order, as imap_unordered does.

try-first: pool/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.pool as _p

_p.Pool.imap = lambda self, func, iterable, chunksize=1: self.imap_unordered(func, iterable, chunksize)
