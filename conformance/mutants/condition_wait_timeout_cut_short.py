"""Condition.wait(timeout) waits a tenth of the timeout (a unit slip).

try-first: sync/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.synchronize as _s

_wait = _s.Condition.wait


def wait(self, timeout=None):
    if timeout is not None:
        timeout = timeout / 10
    return _wait(self, timeout)


_s.Condition.wait = wait
