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
import os
import sys
import time


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


class _AliasFinder:
    """Maps multiprocessing.X to ALIAS.X (the very same module object)."""

    def __init__(self, alias, stdlib, stdlib_path):
        self.alias = alias
        self.stdlib = stdlib  # the standard library's submodules already loaded
        self.stdlib_path = stdlib_path  # where the others are

    def find_spec(self, fullname, path=None, target=None):
        if not fullname.startswith("multiprocessing."):
            return None
        import importlib
        import importlib.machinery
        real = self.alias + fullname[len("multiprocessing"):]
        try:
            module = importlib.import_module(real)
        except ImportError:
            # An alias that wraps the standard library may not have every
            # submodule: give the standard library's own.
            module = self.stdlib.get(fullname)
            if module is None:
                # Not loaded yet (the standard library's lazy imports, e.g.
                # `from .queues import SimpleQueue`): load it once, from the
                # standard library, under its own name.
                return importlib.machinery.PathFinder.find_spec(fullname, self.stdlib_path)
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
    for folder in getattr(module, "__path__", []):
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
    alias = os.environ.get("MP_ALIAS")
    if not alias or alias == "multiprocessing":
        return
    import importlib
    import importlib.util
    try:
        spec = importlib.util.find_spec("multiprocessing")
        stdlib_path = list(spec.submodule_search_locations)
        module = importlib.import_module(alias)
        _preload(alias, module)
    except Exception as e:
        # A broken alias is a broken implementation: fail loudly, never run
        # the case on the standard library instead.
        sys.stderr.write("mpconform shim: cannot import MP_ALIAS=%s: %s: %s\n"
                         % (alias, type(e).__name__, e))
        sys.stderr.flush()
        os._exit(70)
    # The standard library's submodules the alias imported stay referenced
    # by the alias's own modules; from now on the names mean the alias.
    stdlib = {}
    for name in [n for n in sys.modules if n.startswith("multiprocessing.")]:
        stdlib[name] = sys.modules.pop(name)
    if not hasattr(module, "__path__"):
        # A single-module alias must still look like a package, or
        # `import multiprocessing.X` fails before any finder is asked.
        module.__path__ = []
        if not hasattr(module, "__getattr__"):
            # `from multiprocessing import connection` looks for the
            # attribute, then for "wrongmp.connection": answer with ours.
            def __getattr__(name, _import=importlib.import_module):
                if name.startswith("__"):
                    raise AttributeError(name)
                try:
                    return _import("multiprocessing." + name)
                except ImportError:
                    raise AttributeError(name) from None
            module.__getattr__ = __getattr__
    sys.modules["multiprocessing"] = module
    sys.meta_path.insert(0, _AliasFinder(alias, stdlib, stdlib_path))


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
