"""A Namespace proxy keeps attributes set through it in the local proxy: other processes never see them.

try-first: manager/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.managers as _m


def __setattr__(self, key, value):
    object.__setattr__(self, key, value)


_m.NamespaceProxy.__setattr__ = __setattr__
