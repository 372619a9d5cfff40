"""Process(daemon=True) and p.daemon = True are ignored: every child is non-daemonic.

try-first: process/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__

import multiprocessing.process as _pr


def _set_daemon(self, daemonic):
    assert self._popen is None, 'process has already started'


_pr.BaseProcess.daemon = property(lambda self: self._config.get('daemon', False), _set_daemon)
