"""Condition.notify_all() wakes only one waiter (notify(1)).

try-first: sync/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.synchronize as _s

_s.Condition.notify_all = lambda self: self.notify(1)
