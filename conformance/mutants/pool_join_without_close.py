"""Pool.join() of a running pool does not raise ValueError('Pool is still running'): it terminates the pool first.

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
    _join = _p.Pool.join

    def join(self):
        if self._state == _p.RUN:
            self.terminate()
        _join(self)

    _p.Pool.join = join


when_imported("multiprocessing.pool", _patch_pool)
