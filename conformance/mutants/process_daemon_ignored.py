"""Process(daemon=True) and p.daemon = True are ignored: every child is non-daemonic.

try-first: process/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__
from mpconform_patch import when_imported


# Applied when the program first imports multiprocessing.process: an import
# here would register multiprocessing.util's exit handler before
# the case's own (conformance/shim/mpconform_patch.py).
def _patch_process(_pr):
    def _set_daemon(self, daemonic):
        assert self._popen is None, 'process has already started'

    _pr.BaseProcess.daemon = property(lambda self: self._config.get('daemon', False), _set_daemon)


when_imported("multiprocessing.process", _patch_process)
