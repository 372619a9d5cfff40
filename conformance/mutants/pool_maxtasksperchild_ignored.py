"""Pool(maxtasksperchild=N) keeps every worker for ever (the flag ignored).

try-first: pool/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.pool as _p

_init = _p.Pool.__init__


def __init__(self, processes=None, initializer=None, initargs=(), maxtasksperchild=None, context=None):
    if maxtasksperchild is not None and (not isinstance(maxtasksperchild, int) or maxtasksperchild <= 0):
        raise ValueError("maxtasksperchild must be a positive int or None")
    _init(self, processes, initializer, initargs, None, context)


_p.Pool.__init__ = __init__
