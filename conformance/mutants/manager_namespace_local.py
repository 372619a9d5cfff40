"""A Namespace proxy keeps attributes set through it in the local proxy: other processes never see them.

try-first: manager/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__
from mpconform_patch import when_imported


# Applied when the program first imports multiprocessing.managers: an import
# here would register multiprocessing.util's exit handler before
# the case's own (conformance/shim/mpconform_patch.py).
def _patch_managers(_m):
    def __setattr__(self, key, value):
        object.__setattr__(self, key, value)

    _m.NamespaceProxy.__setattr__ = __setattr__


when_imported("multiprocessing.managers", _patch_managers)
