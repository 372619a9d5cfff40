"""Event.clear() does nothing: once set, an Event stays set.

try-first: sync/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.synchronize as _s

_s.Event.clear = lambda self: None
