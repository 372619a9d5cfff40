"""Process.start() a second time starts a second child instead of raising AssertionError('cannot start a process twice').

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
    _start = _pr.BaseProcess.start

    def start(self):
        if self._popen is not None and not getattr(self, "_mutant_restart", False):
            self._mutant_restart = True
            self._popen = None
        return _start(self)

    _pr.BaseProcess.start = start


when_imported("multiprocessing.process", _patch_process)
