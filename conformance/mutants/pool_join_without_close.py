"""Pool.join() of a running pool does not raise ValueError('Pool is still running'): it terminates the pool first.

try-first: pool/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.pool as _p

_join = _p.Pool.join


def join(self):
    if self._state == _p.RUN:
        self.terminate()
    _join(self)


_p.Pool.join = join
