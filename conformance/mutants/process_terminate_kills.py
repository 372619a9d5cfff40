"""Process.terminate() sends SIGKILL instead of SIGTERM (exitcode -9, not -15).

try-first: process/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.process as _pr

_pr.BaseProcess.terminate = lambda self: (self._check_closed(), self._popen.kill())
