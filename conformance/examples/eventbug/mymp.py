"""mymp: an example implementation for mpconform's walkthrough (README,
"Validating your own implementation"): the standard library's
multiprocessing with one planted bug,

    Event.clear() does nothing (the flag stays set),

patched into the class where it lives (multiprocessing.synchronize.Event),
so every path to an Event has it: multiprocessing.Event(), a context's
Event(), an Event rebuilt in a spawn or forkserver child.  The patch is
applied when the program first imports multiprocessing.synchronize (see
conformance/shim/mpconform_patch.py), so nothing else changes.

The test 'example eventbug' runs the suite on it and checks that exactly
the cases that clear an Event fail, and nothing else.
"""
from mpconform_patch import when_imported


def _clear_does_nothing(self):
    pass


def _patch(synchronize):
    synchronize.Event.clear = _clear_does_nothing


when_imported("multiprocessing.synchronize", _patch)
