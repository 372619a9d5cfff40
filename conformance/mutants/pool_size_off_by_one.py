"""Pool(processes=N) starts N - 1 workers (at least one), and Pool() one worker fewer than os.cpu_count().

try-first: pool/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import os as _os
from mpconform_patch import when_imported


# Applied when the program first imports multiprocessing.pool: an import
# here would register multiprocessing.util's exit handler before
# the case's own (conformance/shim/mpconform_patch.py).
def _patch_pool(_p):
    _init = _p.Pool.__init__

    def __init__(self, processes=None, *args, **kwargs):
        if processes is None:
            processes = _os.cpu_count() or 1
        if isinstance(processes, int) and processes > 1:
            processes -= 1
        _init(self, processes, *args, **kwargs)

    _p.Pool.__init__ = __init__


when_imported("multiprocessing.pool", _patch_pool)
