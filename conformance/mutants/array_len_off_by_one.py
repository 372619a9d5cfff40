"""A synchronized Array's len() is one less than its length (and iteration stops early).

try-first: shared/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.sharedctypes as _sc

_len = _sc.SynchronizedArray.__len__
_sc.SynchronizedArray.__len__ = lambda self: _len(self) - 1
