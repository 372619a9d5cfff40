"""mpconform's Python shim, loaded through PYTHONPATH in every interpreter of a
case (spawn and forkserver children included, as they inherit the
environment).

- MP_TIME_SCALE scales time.sleep, so cases keep the document's sleeps;
- MP_START_METHOD becomes the default start method without fixing it, so a
  case may still call set_start_method() itself;
- MP_ALIAS names a module (billiard, multiprocess) that `import
  multiprocessing` gives instead of the standard library's.

The alias is installed after the aliased package is fully imported: billiard
imports pieces of the standard library's multiprocessing (multiprocessing.util,
multiprocessing.process) while it loads, so an alias in place before that
would hand billiard its own half-initialised modules.  After it, a finder at
the front of sys.meta_path maps every `multiprocessing.X` to `ALIAS.X` (the
same module objects, never a second copy).
"""
import importlib
import importlib.machinery
import importlib.util
import os
import sys
import time

from mpconform_patch import RestOfMetaPath


def _scale_sleep():
    try:
        scale = float(os.environ.get("MP_TIME_SCALE", "1"))
    except ValueError:
        return
    if scale == 1.0 or scale < 0:
        return
    real_sleep = time.sleep

    def sleep(secs):
        real_sleep(secs * scale)

    sleep.__doc__ = real_sleep.__doc__
    time.sleep = sleep


def _die(message):
    """A plugged-in implementation that cannot be run as it is: say why and
    end the interpreter (status 70), so the cell fails with the reason on its
    stderr instead of running the case on something else."""
    sys.stderr.write("mpconform shim: %s\n" % message)
    sys.stderr.flush()
    os._exit(70)


class _Guard(RestOfMetaPath):
    """First on sys.meta_path while an implementation is plugged in: each
    module file of the standard library's multiprocessing is loaded at most
    once, and only under its own name.  A second copy (the same file under
    the implementation's name, or loaded again) has its own classes and its
    own current_process(): cases would test that copy instead of the module
    the implementation patched, and could pass where the implementation is
    wrong."""

    def __init__(self, stdlib_dir):
        RestOfMetaPath.__init__(self)
        self.stdlib_dir = os.path.realpath(stdlib_dir)
        self.loaded = set()
        for name, module in list(sys.modules.items()):
            if self.own_name(getattr(module, "__file__", None)) == name:
                self.loaded.add(name)

    def own_name(self, origin):
        """The name the standard library gives the module in ORIGIN, or None
        when ORIGIN is not one of its files."""
        if not origin or not origin.endswith(".py"):
            return None
        rel = os.path.relpath(os.path.realpath(origin), self.stdlib_dir)
        if rel.startswith(".."):
            return None
        parts = rel[:-3].split(os.sep)
        if parts[-1] == "__init__":
            parts.pop()
        return ".".join(["multiprocessing"] + parts)

    def find_spec(self, fullname, path=None, target=None):
        spec = self.find_in_rest(fullname, path, target)
        if spec is None or not spec.has_location:
            return spec
        own = self.own_name(spec.origin)
        if own is not None:
            if own != fullname:
                _die("%s would load a second copy of the standard library's "
                     "%s (%s): give the implementation a module of its own "
                     "or let it use the standard library's (see "
                     "conformance/PROFILES.md, 'Plugging in an "
                     "implementation')" % (fullname, own, spec.origin))
            if own in self.loaded:
                _die("%s would be loaded a second time from %s"
                     % (own, spec.origin))
            self.loaded.add(own)
        return spec


class _AliasFinder:
    """Maps multiprocessing.X to ALIAS.X (the very same module object) when
    the alias has such a module, else to the standard library's X (loaded
    once, under its own name).  ALIAS.X for an X the alias lacks is the
    standard library's X too: `from multiprocessing import connection`
    imports "ALIAS.connection" once `multiprocessing` is the alias."""

    def __init__(self, alias, module, stdlib, stdlib_path):
        self.alias = alias
        self.module = module
        self.stdlib = stdlib  # the standard library's submodules already loaded
        self.stdlib_path = stdlib_path  # where the others are

    def own_spec(self, rest):
        """The spec of the alias's own module ALIAS.REST, or None."""
        parent_name, _, _ = rest.rpartition(".")
        parent = self.module
        if parent_name:
            parent = sys.modules.get(self.alias + "." + parent_name)
        folders = vars(parent).get("__path__") if parent is not None else None
        if not folders:
            return None
        return importlib.machinery.PathFinder.find_spec(self.alias + "." + rest, folders)

    def stdlib_module(self, name):
        module = self.stdlib.get(name)
        return module if module is not None else importlib.import_module(name)

    def find_spec(self, fullname, path=None, target=None):
        # No import may run before the name is known to be ours: an import
        # here asks this finder again.
        if fullname.startswith("multiprocessing."):
            rest = fullname[len("multiprocessing."):]
        elif fullname.startswith(self.alias + "."):
            rest = fullname[len(self.alias) + 1:]
        else:
            return None
        # Whether the alias has the module is asked of its folders, never
        # by importing it: an error inside the alias's own module must
        # surface, not be taken for "no such module".
        own = self.own_spec(rest)
        if not fullname.startswith("multiprocessing."):
            if own is not None:
                return own
            module = self.stdlib_module("multiprocessing." + rest)
        elif own is not None:
            module = importlib.import_module(self.alias + "." + rest)
        else:
            module = self.stdlib.get(fullname)
            if module is None:
                # Not loaded yet (the standard library's lazy imports, e.g.
                # `from .queues import SimpleQueue`): load it once, from the
                # standard library, under its own name (a nested module
                # from its parent's folder, which is the standard
                # library's).
                where = path if "." in rest else self.stdlib_path
                return importlib.machinery.PathFinder.find_spec(fullname, where)
        return importlib.machinery.ModuleSpec(fullname, _AliasLoader(module),
                                              is_package=hasattr(module, "__path__"))


class _AliasLoader:
    def __init__(self, module):
        self.module = module
        self.spec = getattr(module, "__spec__", None)

    def create_module(self, spec):
        return self.module

    def exec_module(self, module):
        # the import system gave the module our spec: give back its own
        module.__spec__ = self.spec


def _preload(alias, module):
    """Import now the alias's submodules that import the standard library's
    multiprocessing (billiard.util does `from multiprocessing.util import
    ...`, and billiard imports billiard.util lazily): once the alias is in
    place, that import would give them the alias's own half-made module."""
    import importlib
    for folder in vars(module).get("__path__", []):
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for fn in names:
            if not fn.endswith(".py") or fn == "__init__.py" or "win" in fn:
                continue
            try:
                with open(os.path.join(folder, fn), encoding="utf-8") as f:
                    text = f.read()
            except (OSError, UnicodeDecodeError):
                continue
            if "from multiprocessing" in text or "import multiprocessing" in text:
                try:
                    importlib.import_module(alias + "." + fn[:-3])
                except Exception:
                    pass


def _install_alias():
    """MP_ALIAS=NAME plugs in an implementation, whatever its shape:

    - a drop-in package with modules of its own (billiard, multiprocess):
      `multiprocessing` is NAME, `multiprocessing.X` is NAME.X where NAME has
      it, else the standard library's X;
    - a wrapper module or package that provides the API (`from
      multiprocessing import *`, its own names, or a module __getattr__):
      `multiprocessing` is NAME, every `multiprocessing.X` the standard
      library's X, the very module objects the wrapper imported;
    - a patch: a module that changes the standard library's multiprocessing
      in place and defines no API of its own (no `Process`): importing it is
      all, `multiprocessing` stays the standard library's (patched).

    In every shape the guard refuses a second copy of a standard-library
    module, loudly."""
    alias = os.environ.get("MP_ALIAS")
    if not alias or alias == "multiprocessing":
        return
    try:
        spec = importlib.util.find_spec("multiprocessing")
        stdlib_path = list(spec.submodule_search_locations)
    except Exception as e:
        _die("cannot find the standard library's multiprocessing: %s: %s"
             % (type(e).__name__, e))
    guard = _Guard(stdlib_path[0])
    sys.meta_path.insert(0, guard)
    try:
        module = importlib.import_module(alias)
        _preload(alias, module)
        provides_api = hasattr(module, "Process")
    except Exception as e:
        # A broken alias is a broken implementation: fail loudly, never run
        # the case on the standard library instead.
        _die("cannot import MP_ALIAS=%s: %s: %s" % (alias, type(e).__name__, e))
    if not provides_api:
        return
    # Package or not is the module's own __path__: a forwarding __getattr__
    # answering for __path__ with the standard library's folder would make a
    # wrapper look like a package whose modules are copies of the standard
    # library's.
    package = "__path__" in vars(module)
    # The standard library's submodules the alias imported stay referenced
    # by the alias's own modules; from now on the names mean the alias.
    stdlib = {}
    for name in [n for n in sys.modules if n.startswith("multiprocessing.")]:
        stdlib[name] = sys.modules.pop(name)
    if not package:
        # A single-module alias must still look like a package, or
        # `import multiprocessing.X` fails before any finder is asked.
        module.__path__ = []
        if "__getattr__" not in vars(module):
            # `from multiprocessing import connection` looks for the
            # attribute, then for "multiprocessing.connection": answer with
            # the module the finder gives.
            def __getattr__(name, _import=importlib.import_module):
                if name.startswith("__"):
                    raise AttributeError(name)
                try:
                    return _import("multiprocessing." + name)
                except ImportError:
                    raise AttributeError(name) from None
            module.__getattr__ = __getattr__
    sys.modules["multiprocessing"] = module
    # right after the guard (which asks this finder first); a patch finder
    # the alias installed (mpconform_patch.when_imported) stays before both
    sys.meta_path.insert(sys.meta_path.index(guard) + 1,
                         _AliasFinder(alias, module, stdlib, stdlib_path))


def _default_method():
    method = os.environ.get("MP_START_METHOD")
    if not method:
        return
    import multiprocessing.context as ctx
    # Replace the default concrete context, not the actual one: nothing is
    # fixed, so get_start_method(allow_none=True) still says None and
    # set_start_method() still works as in a plain interpreter.
    ctx._default_context._default_context = ctx._concrete_contexts[method]


_scale_sleep()
_install_alias()
_default_method()
