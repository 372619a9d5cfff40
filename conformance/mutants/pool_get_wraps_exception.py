"""AsyncResult.get() raises every task's exception wrapped in a RuntimeError instead of the exception itself.

try-first: pool/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__
from mpconform_patch import when_imported


# Applied when the program first imports multiprocessing.pool: an import
# here would register multiprocessing.util's exit handler before
# the case's own (conformance/shim/mpconform_patch.py).
def _patch_pool(_p):
    _get = _p.ApplyResult.get

    def get(self, timeout=None):
        try:
            return _get(self, timeout)
        except _p.TimeoutError:
            raise
        except Exception as e:
            raise RuntimeError("task failed: %r" % (e,)) from None

    _p.ApplyResult.get = get


when_imported("multiprocessing.pool", _patch_pool)
