"""Process.is_alive() stays True after the child has exited until it is joined.

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
    _alive = _pr.BaseProcess.is_alive
    _join = _pr.BaseProcess.join

    def is_alive(self):
        alive = _alive(self)  # the creator check, and the poll
        if not alive and self._popen is not None and \
                not getattr(self, "_mutant_joined", False):
            return True
        return alive

    def join(self, timeout=None):
        _join(self, timeout)
        if self._popen is None or self._popen.returncode is not None:
            self._mutant_joined = True

    _pr.BaseProcess.is_alive = is_alive
    _pr.BaseProcess.join = join


when_imported("multiprocessing.process", _patch_process)
