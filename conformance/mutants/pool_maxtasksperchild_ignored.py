"""Pool(maxtasksperchild=N) keeps every worker for ever (the flag ignored).

try-first: pool/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__
from mpconform_patch import when_imported


# Applied when the program first imports multiprocessing.pool: an import
# here would register multiprocessing.util's exit handler before
# the case's own (conformance/shim/mpconform_patch.py).
def _patch_pool(_p):
    _init = _p.Pool.__init__

    def __init__(self, processes=None, initializer=None, initargs=(), maxtasksperchild=None, context=None):
        if maxtasksperchild is not None and (not isinstance(maxtasksperchild, int) or maxtasksperchild <= 0):
            raise ValueError("maxtasksperchild must be a positive int or None")
        _init(self, processes, initializer, initargs, None, context)

    _p.Pool.__init__ = __init__


when_imported("multiprocessing.pool", _patch_pool)
