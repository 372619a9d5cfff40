"""The walkthrough's example implementation (conformance/examples/eventbug:
the standard library with Event.clear() a no-op) run through the suite the
way README tells a user to: every case under fork, the sync cases under
spawn too.  The suite must find the planted bug in the cases that clear an
Event, and nothing else: a cell failing anywhere else means the plug-in
path changed something besides the bug (a second copy of a module, exit
handlers reordered), and a bug case passing means the bug went unseen.

    example.py MPCONFORM SOURCE_ROOT BUILD_ROOT      (TAP on stdout)
"""
import json
import os
import subprocess
import sys
import tempfile

# The cases that call Event.clear() and what the bug does to each.
EXPECTED = {
    "sync/event-set-clear": "is_set() stays True after clear()",
    "sync/event-contracts": "clear() leaves the Event set",
    "sync/lock-rlock-contracts": "Events cleared for a second round stay set: the parent reads the lock too early",
    "sync/lock-threads": "Events cleared for a second round stay set (a wrong line or a hang)",
}
BAD = {"fail", "timeout", "crash", "error", "xpass", "flaky"}

# The same bug in every shape MP_ALIAS takes (conformance/PROFILES.md,
# "Plugging in an implementation"); each must reach the case.  The walk that
# found the shim's holes used the first three.
SHAPES = {
    "package": {"mymp/__init__.py": "from multiprocessing import *\n"
                "import multiprocessing.synchronize as _s\n"
                "_s.Event.clear = lambda self: None\n"},
    "wrapper with __getattr__": {"mymp.py": "import multiprocessing as _mp\n"
                "import multiprocessing.synchronize as _s\n"
                "_s.Event.clear = lambda self: None\n"
                "def __getattr__(name):\n    return getattr(_mp, name)\n"},
    "patch": {"mymp.py": "import multiprocessing.synchronize as _s\n"
              "_s.Event.clear = lambda self: None\n"},
    "star wrapper": {"mymp.py": "from multiprocessing import *\n"
                     "import multiprocessing.synchronize as _s\n"
                     "_s.Event.clear = lambda self: None\n"},
}
PROBE = ("import multiprocessing as m\n"
         "from multiprocessing import connection, util, heap, synchronize\n"
         "e = m.Event(); e.set(); e.clear()\n"
         "print(e.is_set(), m.current_process().name,\n"
         "      m.Lock().__class__ is synchronize.Lock)\n")
# A package whose modules are the standard library's own files: a second
# copy, which the shim must refuse loudly.
COPY = {"mymp/__init__.py": "import os, multiprocessing as _mp\n"
        "from multiprocessing import *\n"
        "__path__ = [os.path.dirname(_mp.__file__)]\n"}


def shim_run(source, files, tmp):
    for rel, text in files.items():
        path = os.path.join(tmp, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    env = {"PATH": "/usr/bin:/bin", "MP_ALIAS": "mymp",
           "PYTHONPATH": os.path.join(source, "conformance/shim") + ":" + tmp}
    return subprocess.run(["/usr/bin/python3", "-c", PROBE], env=env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)


def shape_checks(source):
    checks = []
    for name, files in SHAPES.items():
        with tempfile.TemporaryDirectory() as tmp:
            p = shim_run(source, files, tmp)
        ok = p.returncode == 0 and p.stdout == "True MainProcess True\n"
        checks.append(("shape %s: the bug reaches the program, one copy of each module" % name,
                       ok, "exit %d, stdout %r, stderr %r" % (p.returncode, p.stdout, p.stderr[-300:])))
    with tempfile.TemporaryDirectory() as tmp:
        p = shim_run(source, COPY, tmp)
    ok = p.returncode == 70 and "second copy of the standard library's multiprocessing." in p.stderr
    checks.append(("a second copy of a standard-library module is refused (exit 70, named)",
                   ok, "exit %d, stderr %r" % (p.returncode, p.stderr[-300:])))
    return checks


def run(mpconform, source, build, report, args):
    cmd = [mpconform, "run", "--source", source, "--build", build,
           "--profile", os.path.join(source, "conformance/examples/eventbug/mymp.profile"),
           "--impl", "mymp", "--report", report] + args
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=1500)
    with open(os.path.join(report, "results.json"), encoding="utf-8") as f:
        return proc.returncode, json.load(f)["results"]


def main():
    mpconform, source, build = sys.argv[1:4]
    checks = shape_checks(source)
    with tempfile.TemporaryDirectory() as tmp:
        rc1, fork = run(mpconform, source, build, os.path.join(tmp, "fork"),
                        ["--method", "fork"])
        rc2, spawn = run(mpconform, source, build, os.path.join(tmp, "spawn"),
                         ["--method", "spawn", "--area", "sync"])
    cells = fork + spawn
    ran = [c for c in cells if c["status"] not in ("skip", "missing", "n/a")]
    checks.append(("the runs report failures (exit 1)", rc1 == 1 and rc2 == 1,
                   "exit %d and %d" % (rc1, rc2)))
    checks.append(("cases ran under fork and spawn",
                   len(ran) > 100 and any(c["method"] == "spawn" for c in ran),
                   "%d cells ran" % len(ran)))
    for case, why in sorted(EXPECTED.items()):
        for method in ("fork", "spawn"):
            got = [c["status"] for c in cells if c["case"] == case and c["method"] == method]
            checks.append(("%s %s finds the bug (%s)" % (case, method, why),
                           got and got[0] in ("fail", "timeout"), "status %s" % got))
    others = ["%s/%s %s: %s" % (c["case"], c["method"], c["status"], c.get("detail", ""))
              for c in cells if c["status"] in BAD and c["case"] not in EXPECTED]
    checks.append(("no other cell fails", not others, "; ".join(others)))
    leaks = ["%s/%s: %s" % (c["case"], c["method"], c["leaks"]) for c in cells if c.get("leaks")]
    checks.append(("nothing left behind", not leaks, "; ".join(leaks)))

    print("1..%d" % len(checks))
    failed = 0
    for i, (name, ok, detail) in enumerate(checks, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
        if not ok:
            failed += 1
            print("# " + detail)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
