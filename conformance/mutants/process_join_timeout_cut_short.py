"""Process.join(timeout) returns at once when the child is still running (the timeout not waited).

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
    _join = _pr.BaseProcess.join

    def join(self, timeout=None):
        return _join(self, 0 if timeout is not None else None)

    _pr.BaseProcess.join = join


when_imported("multiprocessing.process", _patch_process)
