"""Process.terminate() sends SIGKILL instead of SIGTERM (exitcode -9, not -15).

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
    _pr.BaseProcess.terminate = lambda self: (self._check_closed(), self._popen.kill())


when_imported("multiprocessing.process", _patch_process)
