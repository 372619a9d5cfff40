"""Pool(processes=N) starts N - 1 workers (at least one), and Pool() one worker fewer than os.cpu_count().

try-first: pool/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.pool as _p
import os as _os

_init = _p.Pool.__init__


def __init__(self, processes=None, *args, **kwargs):
    if processes is None:
        processes = _os.cpu_count() or 1
    if isinstance(processes, int) and processes > 1:
        processes -= 1
    _init(self, processes, *args, **kwargs)


_p.Pool.__init__ = __init__
