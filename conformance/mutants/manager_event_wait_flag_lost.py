"""EventProxy.wait() drops the server's result and returns None (the flag is lost, as before threading.Event.wait returned it).

try-first: manager/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.managers as _m


def wait(self, timeout=None):
    self._callmethod('wait', (timeout,))


_m.EventProxy.wait = wait
