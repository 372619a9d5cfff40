"""Patch a module of the standard library's multiprocessing when it is first
imported, for implementations plugged in as a patch (MP_ALIAS naming a
module that changes the standard library in place; conformance/PROFILES.md).

Importing `multiprocessing.synchronize` (or queues, pool, connection, ...)
to patch it also imports `multiprocessing.util`, which registers
multiprocessing's exit handler with atexit.  A patch imported by the shim at
start-up would register it before anything the case registers, and the case
would see exit handlers in another order than CPython's (cases/process/
daemon-killed-at-exit shows it).  `when_imported` applies the patch at the
moment the program itself first imports the module instead, so a patch
changes only what it means to change:

    from mpconform_patch import when_imported

    def _patch(synchronize):
        synchronize.Event.clear = lambda self: None

    when_imported("multiprocessing.synchronize", _patch)
"""
import importlib.machinery
import sys

_pending = {}  # module name -> [patch functions] not yet applied


class _Loader:
    """Runs the real loader, then the patches waiting for the module."""

    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        self.loader.exec_module(module)
        for patch in _pending.pop(module.__name__, []):
            patch(module)

    def __getattr__(self, name):
        # get_code, get_source, is_package ... stay the real loader's
        return getattr(self.loader, name)


class RestOfMetaPath:
    """Base of a meta-path finder that answers by asking the finders after
    it (the shim's guard, the patch finder below).  Two such finders ask each
    other in turn when both are on sys.meta_path: while a finder is already
    asking for a name, it answers None, so only the outer call of each
    counts."""

    def __init__(self):
        self.asking = set()  # names this finder is asking the others for

    def find_in_rest(self, fullname, path=None, target=None):
        """The spec the other finders of sys.meta_path give FULLNAME, or
        None (also when this finder is already asking for it)."""
        if fullname in self.asking:
            return None
        self.asking.add(fullname)
        try:
            for finder in sys.meta_path:
                if finder is self or not hasattr(finder, "find_spec"):
                    continue
                spec = finder.find_spec(fullname, path, target)
                if spec is not None:
                    return spec
            return None
        finally:
            self.asking.discard(fullname)


class _Finder(RestOfMetaPath):
    def find_spec(self, fullname, path=None, target=None):
        if fullname not in _pending:
            return None
        spec = self.find_in_rest(fullname, path, target)
        if spec is not None and spec.loader is not None:
            spec.loader = _Loader(spec.loader)
        return spec


_finder = _Finder()


def when_imported(name, patch):
    """Call patch(module) once the module NAME has been executed: now if it
    already has been, else right after its first import."""
    module = sys.modules.get(name)
    if module is not None:
        patch(module)
        return
    _pending.setdefault(name, []).append(patch)
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)
