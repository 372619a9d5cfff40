"""RawValue (under every Value) lives in the process's private memory under fork: a child's writes are lost to the parent.

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
    _raw = _sc.RawValue

    def RawValue(typecode_or_type, *args):
        shared = _raw(typecode_or_type, *args)
        type_ = _sc.typecode_to_type.get(typecode_or_type, typecode_or_type)
        private = type_(*args)
        # pickled for a spawned child as the shared block, which this process
        # never reads again
        private._wrapper = shared._wrapper
        return private

    _sc.RawValue = RawValue


when_imported("multiprocessing.sharedctypes", _patch_sharedctypes)
