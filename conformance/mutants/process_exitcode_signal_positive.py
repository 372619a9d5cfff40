"""Process.exitcode of a child killed by signal N is N instead of -N.

try-first: process/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.process as _pr

_code = _pr.BaseProcess.exitcode.fget


def exitcode(self):
    c = _code(self)
    return -c if c is not None and c < 0 else c


_pr.BaseProcess.exitcode = property(exitcode)
