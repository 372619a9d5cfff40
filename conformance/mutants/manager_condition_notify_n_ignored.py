"""ConditionProxy.notify(n) does not send n: each call wakes one waiter.

try-first: manager/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.managers as _m


def notify(self, n=1):
    return self._callmethod('notify')


_m.ConditionProxy.notify = notify
