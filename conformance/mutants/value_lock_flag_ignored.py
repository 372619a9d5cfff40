"""Value(..., lock=False) still wraps the value in a Synchronized with a new lock (the flag ignored).

try-first: shared/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__
from mpconform_patch import when_imported


# Applied when the program first imports multiprocessing.sharedctypes: an import
# here would register multiprocessing.util's exit handler before
# the case's own (conformance/shim/mpconform_patch.py).
def _patch_sharedctypes(_sc):
    _value = _sc.Value

    def Value(typecode_or_type, *args, lock=True, ctx=None):
        return _value(typecode_or_type, *args, lock=True if lock is False else lock, ctx=ctx)

    _sc.Value = Value


when_imported("multiprocessing.sharedctypes", _patch_sharedctypes)
