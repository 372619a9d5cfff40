"""A manager Lock's proxy swallows the server's error: releasing an unlocked Lock or an RLock one time too many returns None.

try-first: manager/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.managers as _m

_release = _m.AcquirerProxy.release


def release(self):
    try:
        return _release(self)
    except RuntimeError:
        return None


_m.AcquirerProxy.release = release
