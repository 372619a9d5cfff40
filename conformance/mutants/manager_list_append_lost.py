"""ListProxy.append() is not sent to the manager: the shared list never grows.

try-first: manager/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.managers as _m

_m.ListProxy.append = lambda self, obj: None
