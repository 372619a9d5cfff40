"""Pool.imap() yields results in completion order, as imap_unordered does.

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
    _p.Pool.imap = lambda self, func, iterable, chunksize=1: self.imap_unordered(func, iterable, chunksize)


when_imported("multiprocessing.pool", _patch_pool)
