"""Pool.map() (and starmap) loses the last result (an off-by-one in the result list's length).

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
    _map = _p.Pool.map
    _starmap = _p.Pool.starmap
    _p.Pool.map = lambda self, func, iterable, chunksize=None: _map(self, func, iterable, chunksize)[:-1]
    _p.Pool.starmap = lambda self, func, iterable, chunksize=None: _starmap(self, func, iterable, chunksize)[:-1]


when_imported("multiprocessing.pool", _patch_pool)
