"""Process.exitcode of a child killed by signal N is N instead of -N.

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
    _code = _pr.BaseProcess.exitcode.fget

    def exitcode(self):
        c = _code(self)
        return -c if c is not None and c < 0 else c

    _pr.BaseProcess.exitcode = property(exitcode)


when_imported("multiprocessing.process", _patch_process)
