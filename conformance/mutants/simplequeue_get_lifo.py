"""SimpleQueue.get() returns the most recently put of the items waiting (reads ahead and keeps a stack).

try-first: queue/* pipe/*
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403 (the default context's API)

__all__ = _mp.__all__
from mpconform_patch import when_imported


# Applied when the program first imports multiprocessing.queues: an import
# here would register multiprocessing.util's exit handler before
# the case's own (conformance/shim/mpconform_patch.py).
def _patch_queues(_q):
    _get = _q.SimpleQueue.get

    def get(self):
        stack = getattr(self, "_mutant_stack", None)
        if stack is None:
            stack = self._mutant_stack = []
        stack.append(_get(self))
        while self._poll():
            stack.append(_get(self))
        return stack.pop()

    _q.SimpleQueue.get = get
    _empty = _q.SimpleQueue.empty
    _q.SimpleQueue.empty = lambda self: not getattr(self, "_mutant_stack", None) and _empty(self)


when_imported("multiprocessing.queues", _patch_queues)
