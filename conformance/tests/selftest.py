#!/usr/bin/python3
"""The runner's self-tests, end to end, as TAP.

Runs mpconform on the fixture cases of conformance/tests/fixtures (never the
real cases) with the oracle (cpython) and a deliberately wrong implementation
(wrongmp), and checks that the runner says what it must: the wrong
implementation fails the right cases, a hanging case is killed at its timeout
with nothing left alive, a crash reports its signal name, a malformed case
gives FILE:LINE, leaks are reported, known failures give xfail/xpass, --repeat
gives FLAKY, shards split the cases, merge joins them, --tap is TAP.

usage: selftest.py MPCONFORM SOURCE_ROOT
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

MPCONFORM, SOURCE = sys.argv[1], os.path.abspath(sys.argv[2])
FIX = os.path.join(SOURCE, "conformance", "tests", "fixtures")
CASES = os.path.join(FIX, "cases")
PROFILE = os.path.join(FIX, "wrongmp.profile")
TMP = tempfile.mkdtemp(prefix="mpconform-selftest-")

results = []


def check(name, cond, detail=""):
    results.append((name, bool(cond), detail))


def mpc(*args, home=None, timeout=300):
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8",
           "HOME": home or os.path.join(TMP, "home")}
    os.makedirs(env["HOME"], exist_ok=True)
    cmd = [MPCONFORM] + list(args)
    # errors="replace": a case may print bytes that are not UTF-8 (self/bad-utf8),
    # which the runner's progress lines quote as they are
    p = subprocess.run(cmd, capture_output=True, text=True, errors="replace", env=env,
                       timeout=timeout)
    return p


def base(*extra):
    return ["--source", SOURCE, "--cases", CASES, "--profile", PROFILE, "--grace", "1",
            "--jobs", "2"] + list(extra)


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def alive_case(name):
    """Is a process of fixture case NAME still running (its cmdline names the
    case's file)?  The pids a case prints are its PID namespace's, not
    ours."""
    needle = os.path.join(CASES, "self", name, "case.py").encode()
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % d, "rb") as f:
                if needle not in f.read():
                    continue
            if alive(int(d)):
                return True
        except OSError:
            pass
    return False


def by_cell(report):
    with open(os.path.join(report, "results.json")) as f:
        data = json.load(f)
    return data, {(r["case"], r["impl"], r["method"]): r for r in data["results"]}


# 1. the full fixture matrix ------------------------------------------------
rep = os.path.join(TMP, "full")
t0 = time.monotonic()
p = mpc("run", *base("--impl", "cpython,wrongmp", "--method", "fork,spawn,forkserver",
                     "--filter", "self/*", "--filter", "!self/flaky", "--filter", "!self/oracle",
                     "--report", rep))
elapsed = time.monotonic() - t0
check("run exits 1 when cells fail", p.returncode == 1, "rc=%d" % p.returncode)
# as root each case has its own PID namespace; else the runner says so
NS = "without a PID namespace" not in p.stderr
check("closing line", re.search(r"^\d+ passed, \d+ failed, \d+ skipped$", p.stdout, re.M),
      p.stdout[-300:])
try:
    data, cells = by_cell(rep)
except (OSError, ValueError) as e:
    data, cells = {}, {}
    check("results.json written", False, repr(e))
for f in ("results.json", "junit.xml", "summary.md", "index.html"):
    check("report %s written" % f, os.path.exists(os.path.join(rep, f)))


def status(case, impl, method):
    r = cells.get((case, impl, method))
    return r["status"] if r else None


def detail(case, impl, method):
    r = cells.get((case, impl, method))
    return r["detail"] if r else ""


for m in ("fork", "spawn", "forkserver"):
    check("cpython passes pool-reversed (%s)" % m, status("self/pool-reversed", "cpython", m) == "pass",
          detail("self/pool-reversed", "cpython", m))
    want = "xfail" if m == "spawn" else "fail"  # wrongmp.known-failures: '*' minus 2 exceptions
    check("wrongmp %s pool-reversed (%s)" % (want, m),
          status("self/pool-reversed", "wrongmp", m) == want and
          "[81, 64, 49" in cells[("self/pool-reversed", "wrongmp", m)]["mismatch"]["actual"],
          detail("self/pool-reversed", "wrongmp", m))
    check("cpython passes exitcode-sign (%s)" % m, status("self/exitcode-sign", "cpython", m) == "pass",
          detail("self/exitcode-sign", "cpython", m))
    check("cpython gets the documented environment (%s)" % m,
          status("self/environment", "cpython", m) == "pass", detail("self/environment", "cpython", m))
for m in ("fork", "forkserver"):
    r = cells.get(("self/exitcode-sign", "wrongmp", m), {})
    check("wrongmp fails exitcode-sign with the broken relation (%s)" % m,
          r.get("status") == "fail" and (r.get("mismatch") or {}).get("relation") == "code == -15"
          and "code=15" in (r.get("mismatch") or {}).get("values", ""), r.get("detail"))
check("a listed known failure is xfail", status("self/exitcode-sign", "wrongmp", "spawn") == "xfail",
      detail("self/exitcode-sign", "wrongmp", "spawn"))
check("a listed known failure that passes is xpass", status("self/hello", "wrongmp", "fork") == "xpass")
check("a known failure listed as fail that times out is xfail",
      status("self/hang", "wrongmp", "fork") == "xfail" and
      "listed as fail" in detail("self/hang", "wrongmp", "fork"), detail("self/hang", "wrongmp", "fork"))
check("unbuffered exports the variables", status("self/unbuffered", "cpython", "fork") == "pass",
      detail("self/unbuffered", "cpython", "fork"))
check("a method the case excludes is skip", status("self/hello", "cpython", "spawn") == "skip")
check("not-applicable: the named implementation's cell is n/a with the reason",
      status("self/not-applicable", "wrongmp", "fork") == "n/a" and
      detail("self/not-applicable", "wrongmp", "fork") == "a Python-language detail (the fixture's reason)",
      "%s %s" % (status("self/not-applicable", "wrongmp", "fork"), detail("self/not-applicable", "wrongmp", "fork")))
check("not-applicable: other implementations run the case",
      status("self/not-applicable", "cpython", "fork") == "pass", detail("self/not-applicable", "cpython", "fork"))

# hang: killed at 2 s, nothing left
r = cells.get(("self/hang", "cpython", "fork"), {})
check("hanging case is timeout", r.get("status") == "timeout", r.get("detail"))
check("killed near its 2 s timeout", 1.9 <= r.get("duration_s", 0) <= 4.0, str(r.get("duration_s")))
pids = [int(x) for x in re.findall(r"(?:main|child) (\d+)", r.get("stdout", ""))]
check("the hang case printed its pids", len(pids) == 2, r.get("stdout", ""))
check("no process of the hanging case left", pids and not alive_case("hang"))

# crash
r = cells.get(("self/crash", "cpython", "fork"), {})
check("crash reports its signal name", r.get("status") == "crash" and "SIGSEGV" in r.get("detail", ""),
      r.get("detail"))
check("crash exit status is -11", r.get("exit") == -11, str(r.get("exit")))

# a child and a grandchild that ignore SIGTERM: killed at the timeout all the same
r = cells.get(("self/term-ignored", "cpython", "fork"), {})
check("SIGTERM-ignoring case is timeout", r.get("status") == "timeout", r.get("detail"))
pids = [int(x) for x in re.findall(r"(?:main|child|grandchild) (\d+)", r.get("stdout", ""))]
check("the SIGTERM-ignoring case printed three pids", len(pids) == 3, r.get("stdout", ""))
check("no process of the SIGTERM-ignoring case left", pids and not alive_case("term-ignored"))

# 1 GiB on stdout: cut at the cap, drained without blocking, stderr still read
r = cells.get(("self/flood", "cpython", "fork"), {})
mm = r.get("mismatch") or {}
check("a flood is judged (fail), not a timeout", r.get("status") == "fail", r.get("detail", "")[-200:])
check("a flood's output is cut at 1 MiB and says so",
      len(r.get("stdout", "")) <= 1 << 20 and "(output cut at 1048576 bytes" in r.get("detail", ""),
      r.get("detail", "")[-200:])
check("a flood's quoted line is cut", len(mm.get("actual", "")) < 2000 and
      mm.get("actual", "").endswith("(line cut: 1048570 bytes)"), mm.get("actual", "")[-80:])
check("a flood's stderr is still read", r.get("stderr", "") == "end\n", repr(r.get("stderr", ""))[:200])

# bytes that are not UTF-8: judged; every report stays valid (json.load above)
r = cells.get(("self/bad-utf8", "cpython", "fork"), {})
check("output that is not UTF-8 is judged", r.get("status") == "fail" and
      (r.get("mismatch") or {}).get("actual") == "caf\ufffd", r.get("detail"))

# stdout closed early: the case is followed to its end
r = cells.get(("self/close-stdout", "cpython", "fork"), {})
check("a case that closes stdout early is followed to its end", r.get("status") == "pass",
      r.get("detail"))

# a grandchild that left the process group (setsid): found, reported, killed
def escape_checks(cells, ns, label=""):
    r = cells.get(("self/escape", "cpython", "fork"), {})
    m = re.search(r"escaped (\d+)", r.get("stdout", ""))
    esc = int(m.group(1)) if m else 0
    prefix = "process %d (python3) left its process group" % esc
    own = [x for x in r.get("leaks", []) if x.startswith(prefix)]
    # in a PID namespace the case's own cell reports it; without one, with
    # --jobs 2, the case that ends first: any cell, exactly once
    anyc = [x for c in cells.values() for x in c.get("leaks", []) if x.startswith(prefix)]
    check("an escaped process is reported once" + label,
          len(own) == 1 if ns else len(anyc) == 1, repr(anyc))
    check("an escaped process is killed and reaped" + label, esc and not alive_case("escape"),
          str(esc))
    # it moves into the process group of its parent's parent: the runner's
    # own, when the case shares the runner's session (issue 21)
    r = cells.get(("self/runner-group", "cpython", "fork"), {})
    check("a process in the runner's group is reported" + label,
          r.get("status") == "pass" and
          any(re.match(r"process \d+ \(python3\) ", x) for x in r.get("leaks", [])),
          repr(r.get("leaks")) + " " + str(r.get("detail")))
    check("a process in the runner's group is killed" + label, not alive_case("runner-group"))
    r = cells.get(("self/fork-loop", "cpython", "fork"), {})
    loops = [x for c in cells.values() for x in c.get("leaks", [])
             if re.match(r"process \d+ \(python3\) left its process group", x)]
    check("an escapee forking in a loop is reported" + label,
          r.get("status") == "pass" and (r.get("leaks") if ns else loops),
          repr(r.get("leaks")) + " " + str(r.get("detail")))
    check("an escapee forking in a loop is killed" + label, not alive_case("fork-loop"))


escape_checks(cells, NS)

# a case that fills its private /dev/shm (shm-size: 1M): said in its detail
r = cells.get(("self/shm-full", "cpython", "fork"), {})
if NS:
    check("a case that fills its /dev/shm is told so",
          r.get("status") == "pass" and
          "(its private /dev/shm of 1 MiB was full: raise shm-size)" in r.get("detail", ""),
          "%s: %s" % (r.get("status"), r.get("detail")))
else:  # no private /dev/shm, no limit: the file was removed
    check("without a private /dev/shm the case is not limited",
          r.get("status") == "fail", r.get("detail"))

# malformed
r = cells.get(("self/malformed", "cpython", "fork"), {})
check("malformed case is error with FILE:LINE",
      r.get("status") == "error" and
      re.match(r"^/\S*/self/malformed/case\.exp:7: ", r.get("detail", "")), r.get("detail"))
sp = mpc("show", "self/malformed", "--cases", CASES)
check("show on a malformed case: exit 1 and FILE:LINE on stderr",
      sp.returncode == 1 and re.search(r"case\.exp:7: .*never closed", sp.stderr), sp.stderr)
sp = mpc("show", "self/exitcode-sign", "--cases", CASES)
check("show prints the parsed case", sp.returncode == 0 and "code == -15" in sp.stdout and
      "exitcode: {code:int}" in sp.stdout, sp.stdout[:300])

# leaks
r = cells.get(("self/leak", "cpython", "fork"), {})
leaks = r.get("leaks", [])
check("a leaking case still passes", r.get("status") == "pass", r.get("detail"))
check("leftover process reported", any(re.match(r"process \d+ \(python3\) still alive", x)
                                       for x in leaks), repr(leaks))
check("leftover /dev/shm entry reported",
      any(re.match(r"/dev/shm/mpconform-selftest-leak-\d+ left behind", x) for x in leaks), repr(leaks))
lp = [int(m) for x in leaks for m in re.findall(r"process (\d+)", x)]
check("the leaked process was killed and reaped", lp and not alive_case("leak"), repr(lp))
def shm_names(leaks):
    return [m for x in leaks for m in re.findall(r"/dev/shm/(mpconform-selftest-leak-\d+)", x)]


def unlink_shm(leaks):
    for n in shm_names(leaks):
        try:
            os.unlink("/dev/shm/" + n)
        except OSError:
            pass


shared = any("shared /dev/shm" in x for x in leaks)
if shared:  # no private mount namespace here: the entry is in the real /dev/shm
    unlink_shm(leaks)
else:
    check("the case's /dev/shm was private",
          shm_names(leaks) and not any(os.path.exists("/dev/shm/" + n) for n in shm_names(leaks)))

# without the private mount namespace: the shared /dev/shm is diffed
rep1b = os.path.join(TMP, "noiso")
mpc("run", *base("--impl", "cpython", "--filter", "self/leak", "--no-isolate", "--report", rep1b))
try:
    r = by_cell(rep1b)[1].get(("self/leak", "cpython", "fork"), {})
except (OSError, ValueError):
    r = {}
check("--no-isolate: the leak is found in the shared /dev/shm",
      any(re.match(r"/dev/shm/mpconform-selftest-leak-\d+ left behind \(shared /dev/shm", x)
          for x in r.get("leaks", [])), repr(r.get("leaks")))
unlink_shm(r.get("leaks", []))

# without namespaces, one job: the escapees are found among the runner's
# children
rep1c = os.path.join(TMP, "noiso-escape")
mpc("run", *base("--impl", "cpython", "--filter", "self/escape,self/runner-group,self/fork-loop",
                 "--no-isolate", "--jobs", "1", "--report", rep1c))
try:
    escape_checks(by_cell(rep1c)[1], False, " (--no-isolate)")
except (OSError, ValueError) as e:
    check("--no-isolate escape run", False, repr(e))

# 2. --repeat: FLAKY ----------------------------------------------------------
rep2 = os.path.join(TMP, "flaky")
home = os.path.join(TMP, "flaky-home")
p = mpc("run", *base("--impl", "cpython", "--filter", "self/flaky", "--repeat", "4",
                     "--report", rep2), home=home)
try:
    _, c2 = by_cell(rep2)
    r = c2.get(("self/flaky", "cpython", "fork"), {})
except (OSError, ValueError):
    r = {}
check("alternating outcomes are flaky", r.get("status") == "flaky" and r.get("runs") == 4 and
      r.get("passes") == 2, "%s %s/%s %s" % (r.get("status"), r.get("passes"), r.get("runs"),
                                             r.get("detail")))
check("flaky makes the run fail", p.returncode == 1)

# an intermittent known failure ("fail?" in wrongmp.known-failures): the
# passing run stays pass (not xpass), the flaky --repeat run is xfail
home = os.path.join(TMP, "flaky-home-2")
rep2b = os.path.join(TMP, "flaky-intermittent")
p = mpc("run", *base("--impl", "wrongmp", "--filter", "self/flaky", "--report", rep2b), home=home)
try:
    r = by_cell(rep2b)[1].get(("self/flaky", "wrongmp", "fork"), {})
except (OSError, ValueError):
    r = {}
check("an intermittent known failure that passes is pass",
      r.get("status") == "pass" and "did not happen" in r.get("detail", ""), r.get("detail"))
p = mpc("run", *base("--impl", "wrongmp", "--filter", "self/flaky", "--repeat", "4",
                     "--report", rep2b), home=home)
try:
    r = by_cell(rep2b)[1].get(("self/flaky", "wrongmp", "fork"), {})
except (OSError, ValueError):
    r = {}
check("an intermittent known failure that is flaky is xfail",
      r.get("status") == "xfail" and p.returncode == 0, "%s rc=%d" % (r.get("detail"), p.returncode))

# 3. shards and merge ---------------------------------------------------------
allc = mpc("list", "--cases", CASES).stdout.split("\n")
ids = {l.split()[0] for l in allc if l.strip()}
s1 = {l.split()[0] for l in mpc("list", "--cases", CASES, "--shard", "1/2").stdout.split("\n") if l.strip()}
s2 = {l.split()[0] for l in mpc("list", "--cases", CASES, "--shard", "2/2").stdout.split("\n") if l.strip()}
check("shards split the cases", s1 | s2 == ids and not (s1 & s2) and s1 and s2,
      "%s | %s" % (sorted(s1), sorted(s2)))
ra, rb, rc = (os.path.join(TMP, x) for x in ("sa", "sb", "merged"))
for k, d in (("1/2", ra), ("2/2", rb)):
    mpc("run", *base("--impl", "cpython", "--filter", "self/hello,self/environment,self/pool-reversed,"
                     "self/unbuffered,self/exitcode-sign", "--shard", k, "--report", d))
os.makedirs(rc, exist_ok=True)
mp = mpc("merge", os.path.join(rc, "results.json"), os.path.join(ra, "results.json"),
         os.path.join(rb, "results.json"))
try:
    with open(os.path.join(rc, "results.json")) as f:
        merged = json.load(f)
    n = len(merged["results"])
except (OSError, ValueError) as e:
    n = -1
check("merge joins the shards", mp.returncode == 0 and n == 5, "rc=%d n=%d %s" % (mp.returncode, n, mp.stderr))
check("merge prints the totals", re.search(r"^5 passed, 0 failed, 0 skipped$", mp.stdout, re.M), mp.stdout)
sh = merged.get("runner", {}).get("shards", []) if n == 5 else []
check("merge records every shard's command",
      [x["shard"] for x in sh] == ["1/2", "2/2"] and all("--shard" in x["argv"] for x in sh) and
      sh[1]["argv"][sh[1]["argv"].index("--report") + 1] == rb, repr(sh))


def merge_rc(*ins):
    out = os.path.join(TMP, "mbad", "results.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    return mpc("merge", out, *[os.path.join(x, "results.json") for x in ins])


m1 = merge_rc(ra)
check("merge refuses a missing shard", m1.returncode == 2 and "shard 2/2 is missing" in m1.stderr, m1.stderr)
m2 = merge_rc(ra, ra, rb)
check("merge refuses a shard given twice", m2.returncode == 2, m2.stderr)
rx = os.path.join(TMP, "sx")
mpc("run", *base("--impl", "cpython", "--filter", "self/hello,self/environment", "--shard", "2/2",
                 "--report", rx))
m3 = merge_rc(ra, rx)
check("merge refuses shards of different commands", m3.returncode == 2 and "not shards of one run" in m3.stderr,
      m3.stderr)
m4 = merge_rc(rep)
check("merge exits 1 when the merged cells fail", m4.returncode == 1 and
      re.search(r"^\d+ passed, [1-9]\d* failed, \d+ skipped$", m4.stdout, re.M), "rc=%d %s %s" % (
          m4.returncode, m4.stdout[-300:], m4.stderr))

# 3a. junit.xml of real runs (every status, leaks, a merge) validates against the
# structure of Jenkins' junit-10.xsd (when xmllint is installed: scripts/setup)
XSD = os.path.join(SOURCE, "conformance", "tests", "junit-10-structure.xsd")
if shutil.which("xmllint"):
    for d in (rep, rc):
        v = subprocess.run(["xmllint", "--noout", "--schema", XSD, os.path.join(d, "junit.xml")],
                           capture_output=True, text=True)
        check("junit.xml validates (%s)" % os.path.basename(d), v.returncode == 0, v.stderr[-600:])

# 3b. diff between two runs ---------------------------------------------------
old_json = os.path.join(rep, "results.json")
dv = mpc("divergences", old_json)
check("divergences: wrongmp's, grouped by reason, the oracle's left out",
      dv.returncode == 0 and dv.stdout.startswith("wrongmp:\n") and "\ncpython:" not in dv.stdout
      and "  known fail: the exitcode sign is flipped (listed for spawn only: fork stays a plain fail)\n"
      "    self/exitcode-sign (spawn)\n" in dv.stdout
      and re.search(r"NEW   fail: stdout line 1: expected '= \[0, 1, 4.*got '\[81, 64.*\n"
                    r"    self/pool-reversed \(fork, forkserver\)\n", dv.stdout), dv.stdout + dv.stderr)
kf = mpc("known-failures", old_json, "--impl", "wrongmp")
check("known-failures: lines of a known-failures file from the run",
      kf.returncode == 0 and "\nself/exitcode-sign spawn fail the exitcode sign is flipped (listed for spawn only" in kf.stdout
      and "\nself/pool-reversed fork fail stdout line 1: expected '= [0, 1, 4" in kf.stdout
      and "\nself/pool-reversed spawn fail Pool.map is reversed\n" in kf.stdout
      and all(ln.startswith("#") or len(ln.split(" ", 3)) == 4 for ln in kf.stdout.splitlines()),
      kf.stdout + kf.stderr)
kf = mpc("known-failures", old_json, "--impl", "nosuch")
check("known-failures of an implementation not in the run exits 2", kf.returncode == 2 and
      "no cell of nosuch" in kf.stderr, kf.stderr)
d0 = mpc("diff", old_json, old_json)
check("diff of a run with itself: no regression, exit 0", d0.returncode == 0 and "no regression" in d0.stdout,
      d0.stdout + d0.stderr)
with open(old_json) as f:
    planted = json.load(f)
victim = next(r for r in planted["results"] if r["status"] == "pass" and r["impl"] == "cpython")
victim["status"], victim["detail"] = "fail", "planted regression"
kf = next(r for r in planted["results"] if r["status"] == "xfail")
kf["status"] = "pass"
gone = planted["cases"][-1]["id"]
planted["cases"] = planted["cases"][:-1]
planted["results"] = [r for r in planted["results"] if r["case"] != gone]
new_json = os.path.join(TMP, "planted.json")
with open(new_json, "w") as f:
    json.dump(planted, f)
dh = os.path.join(TMP, "diff-html")
d1 = mpc("diff", old_json, new_json, "--report", dh)
want = "  cpython/%s %s: pass -> fail: planted regression" % (victim["method"], victim["case"])
check("diff reports a planted regression and exits 1", d1.returncode == 1 and
      "newly failing (1):\n" + want in d1.stdout and "regression: 1 newly failing" in d1.stdout,
      d1.stdout + d1.stderr)
check("diff lists a known failure that stopped happening",
      "known failures that stopped happening (1):\n  %s/%s %s: xfail -> pass" % (
          kf["impl"], kf["method"], kf["case"]) in d1.stdout, d1.stdout)
check("diff lists a removed case", "removed cases (1):\n  %s\n" % gone in d1.stdout, d1.stdout)
try:
    with open(os.path.join(dh, "diff.html")) as f:
        page = f.read()
except OSError:
    page = ""
check("diff --report writes diff.html with the regression",
      "<h2>newly failing (1)</h2>" in page and "planted regression" in page and
      "regression: 1 newly failing" in page, page[:300])
d2 = mpc("diff", new_json, old_json)
check("diff the other way: newly passing, added case, exit 0", d2.returncode == 0 and
      "newly passing (1):" in d2.stdout and "added cases (1):\n  %s\n" % gone in d2.stdout,
      d2.stdout + d2.stderr)

# 4. oracle captures: bless, recorded, live -------------------------------------
ocases = os.path.join(TMP, "ocases")
shutil.copytree(os.path.join(CASES, "self", "oracle"), os.path.join(ocases, "self", "oracle"))
rec = os.path.join(ocases, "self", "oracle", "oracle.rec")


def ocell(*extra):
    d = os.path.join(TMP, "orep")
    shutil.rmtree(d, ignore_errors=True)
    mpc("run", "--source", SOURCE, "--cases", ocases, "--profile", PROFILE, "--jobs", "2",
        "--impl", "cpython,wrongmp", "--method", "fork,spawn", "--report", d, *extra)
    try:
        return by_cell(d)[1]
    except (OSError, ValueError):
        return {}


c = ocell()
check("no oracle.rec: error that names bless", c.get(("self/oracle", "cpython", "fork"), {}).get("status")
      == "error" and "bless" in c.get(("self/oracle", "cpython", "fork"), {}).get("detail", ""),
      repr(c.get(("self/oracle", "cpython", "fork"))))
bp = mpc("bless", "--source", SOURCE, "--cases", ocases, "--method", "fork,spawn")
try:
    with open(rec) as f:
        text = f.read()
except OSError:
    text = ""
check("bless writes METHOD NAME VALUE lines", bp.returncode == 0 and "\nfork n 7\n" in text and
      "\nspawn n 7\n" in text, bp.stdout + bp.stderr + text)
c = ocell()
check("recorded oracle: cpython passes", c.get(("self/oracle", "cpython", "spawn"), {}).get("status") == "pass",
      repr(c.get(("self/oracle", "cpython", "spawn"))))
r = c.get(("self/oracle", "wrongmp", "fork"), {})
check("recorded oracle: wrongmp fails on the oracle capture",
      r.get("status") == "fail" and (r.get("mismatch") or {}).get("stream") == "oracle", repr(r))
with open(rec, "w") as f:
    f.write(text.replace("fork n 7", "fork n 8"))
c = ocell()
r = c.get(("self/oracle", "cpython", "fork"), {})
check("a tampered record makes cpython fail", r.get("status") == "fail" and "oracle" in r.get("detail", ""),
      repr(r))
c = ocell("--oracle", "live")
check("live oracle: cpython passes, wrongmp fails",
      c.get(("self/oracle", "cpython", "fork"), {}).get("status") == "pass" and
      c.get(("self/oracle", "wrongmp", "fork"), {}).get("status") == "fail",
      repr(c.get(("self/oracle", "wrongmp", "fork"))))

# 5. TAP ----------------------------------------------------------------------
tp = mpc("run", *base("--impl", "cpython", "--method", "fork", "--filter", "self/hello,self/crash",
                      "--tap", "--no-report"))
lines = tp.stdout.split("\n")
check("TAP plan first", lines[0] == "1..2", lines[0])
oks = [l for l in lines if re.match(r"^(not )?ok \d+ - cpython/fork/self/", l)]
check("TAP: one line per cell", len(oks) == 2, tp.stdout)
check("TAP: crash is not ok with its detail", any(l.startswith("not ok") and "self/crash" in l for l in oks)
      and "# crash: killed by SIGSEGV" in tp.stdout, tp.stdout)
check("TAP: closing line as a comment", re.search(r"^# 1 passed, 1 failed, 0 skipped$", tp.stdout, re.M),
      tp.stdout)
# (every cell skipped: --allow-empty, as the per-case meson tests pass it)
sk = mpc("run", *base("--impl", "cpython", "--method", "spawn", "--filter", "self/hello", "--tap",
                      "--no-report", "--allow-empty"))
check("TAP: skip directive", re.search(r"^ok 1 - cpython/spawn/self/hello # SKIP ", sk.stdout, re.M)
      and sk.returncode == 0, sk.stdout)

# 5b. SIGTERM to the runner kills the running cases ---------------------------
env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": os.path.join(TMP, "home")}
proc = subprocess.Popen([MPCONFORM, "run"] + base("--impl", "cpython", "--filter", "self/hang",
                        "--timeout", "60", "--no-report"), stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE, text=True, env=env)
time.sleep(1.5)
t0 = time.monotonic()
proc.terminate()
try:
    out, err = proc.communicate(timeout=10)
except subprocess.TimeoutExpired:
    proc.kill()
    out, err = proc.communicate()
check("SIGTERM: the runner stops at once with status 130",
      proc.returncode == 130 and time.monotonic() - t0 < 3, "rc=%s %.1fs %s" % (
          proc.returncode, time.monotonic() - t0, err[-200:]))
time.sleep(0.2)
left = subprocess.run(["ps", "-eo", "pid=,args="], capture_output=True, text=True).stdout
# (this tree's fixture: other trees may run their own self-tests meanwhile)
check("SIGTERM: no case process left",
      not [l for l in left.split("\n") if os.path.join(CASES, "self/hang/case.py") in l])

# 5b'. a run where no cell ran is an error unless --allow-empty ----------------
absent = os.path.join(TMP, "absent.profile")
with open(absent, "w") as f:
    f.write("name: absent\ndescription: not installed\nprobe: /bin/false\n"
            "command: /bin/true\nmethods: fork\n")
e1 = mpc("run", *base("--profile", absent, "--impl", "absent", "--filter", "self/hello",
                      "--no-report"))
check("a run where every cell is skipped exits 2", e1.returncode == 2 and
      "no cell ran" in e1.stderr and "1 skipped" in e1.stdout, "rc=%d %s" % (e1.returncode, e1.stderr))
e2 = mpc("run", *base("--profile", absent, "--impl", "absent", "--filter", "self/hello",
                      "--no-report", "--allow-empty"))
check("--allow-empty accepts a run where no cell ran", e2.returncode == 0, e2.stderr)
e3 = mpc("run", *base("--impl", "cpython", "--filter", "self/no-such-case", "--no-report"))
check("no case selected exits 2", e3.returncode == 2 and "no case selected" in e3.stderr, e3.stderr)
# one case over two shards: one shard is empty, exits 0 and still writes its report
es = [(k, os.path.join(TMP, "empty-shard-%d" % k)) for k in (1, 2)]
eps = [mpc("run", *base("--impl", "cpython", "--filter", "self/hello", "--shard", "%d/2" % k,
                        "--report", d)) for k, d in es]
empty = [(p, d) for p, (k, d) in zip(eps, es) if "holds none" in p.stdout]
ok = len(empty) == 1 and empty[0][0].returncode == 0
if ok:
    with open(os.path.join(empty[0][1], "results.json")) as f:
        ok = json.load(f)["results"] == []
check("an empty shard exits 0 and writes an empty results.json", ok,
      " | ".join("rc=%d %s" % (p.returncode, p.stdout[-200:] + p.stderr) for p in eps))
me = merge_rc(*[d for k, d in es])
check("merge takes an empty shard", me.returncode == 0 and "merged 1 results of 2 shards" in me.stdout,
      me.stdout + me.stderr)

# 5d. command-line conventions ------------------------------------------------
u = mpc("run", "--no-report", "--bogus")
check("an unknown last option is an unknown option", u.returncode == 2 and
      "unknown option '--bogus'" in u.stderr, u.stderr)
u = mpc("list", "--impl")
check("a known option without its value needs a value", u.returncode == 2 and
      "--impl needs a value" in u.stderr, u.stderr)
gh = mpc("--help")
cmds = re.findall(r"^  ([\w-]+)", gh.stdout.split("commands:")[-1].split("\n\n")[0], re.M)
check("--help lists the commands", gh.returncode == 0 and {"list", "run", "show", "merge", "bless",
                                                          "diff", "divergences", "known-failures"}
      <= set(cmds), gh.stdout)
hdir = os.path.join(TMP, "help-report")
for c in cmds:
    h = mpc(c, "--help", "--report", hdir, "--cases", CASES)
    check("%s --help: usage, exit statuses, environment, nothing run" % c,
          h.returncode == 0 and h.stdout.startswith("usage: mpconform %s" % c) and
          "exit status:" in h.stdout and "MPCONFORM_IMPLS" in h.stdout and not h.stderr and
          not os.path.exists(hdir), h.stdout[:300] + h.stderr)
h = mpc("run", "--help")
check("run --help states the method default and --allow-empty",
      "default: fork;" in h.stdout and "--allow-empty" in h.stdout, h.stdout)

# 5c. MPCONFORM_IMPLS adds a folder of profiles ---------------------------------
env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": os.path.join(TMP, "home"),
       "MPCONFORM_IMPLS": FIX}
li = subprocess.run([MPCONFORM, "list", "--impls", "--source", SOURCE], capture_output=True,
                    text=True, env=env)
check("MPCONFORM_IMPLS adds profiles", re.search(r"^wrongmp +installed", li.stdout, re.M) and
      re.search(r"^cpython +installed", li.stdout, re.M), li.stdout + li.stderr)

# 5e. a profile with root: runs inside it; skips when it cannot --------------
# The root: a static program (build/conformance/tests/root-probe) and a
# marker file; the fixture case checks what the program sees from inside.
RPROBE = os.path.join(os.path.dirname(MPCONFORM), "tests", "root-probe")
RCASES = os.path.join(FIX, "rooted")
rtop = os.path.join(TMP, "rooted")
rroot = os.path.join(rtop, "myroot")
for d in ("bin", "etc", "mnt", "proc", "dev", "tmp"):
    os.makedirs(os.path.join(rroot, d))
shutil.copy(RPROBE, os.path.join(rroot, "bin", "probe"))
with open(os.path.join(rroot, "etc", "mpconform-test-root"), "w") as f:
    f.write("selftest root\n")


def rooted_profile(name, root):
    path = os.path.join(rtop, name + ".profile")
    with open(path, "w") as f:
        f.write("name: %s\nroot: %s\nprobe: /bin/probe\nversion: /bin/probe\n"
                "command: /bin/probe\nmethods: fork spawn\n" % (name, root))
    return path


def rooted_run(name, root, report, *pre):
    os.makedirs(report, exist_ok=True)
    os.chmod(report, 0o777)
    return subprocess.run(list(pre) + [MPCONFORM, "run", "--source", SOURCE, "--cases", RCASES,
                                       "--profile", rooted_profile(name, root), "--impl", name,
                                       "--method", "fork,spawn", "--allow-empty",
                                       "--report", report],
                          capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/"})


def rooted_cells(report):
    try:
        with open(os.path.join(report, "results.json")) as f:
            d = json.load(f)
        return d, {r["method"]: r for r in d["results"]}
    except (OSError, ValueError) as e:
        return {"impls": []}, {"?": {"status": "no results.json: %r" % e, "detail": ""}}


rp = rooted_run("rooted", rroot, os.path.join(rtop, "rep"))
rd, rc = rooted_cells(os.path.join(rtop, "rep"))
if os.geteuid() == 0:
    check("a rooted profile's cells run inside its root",
          [c["status"] for c in rc.values()] == ["pass", "pass"],
          rp.stdout[-1500:] + rp.stderr)
    im = rd["impls"][0] if rd["impls"] else {}
    check("its probe and version run inside the root, results.json names the root",
          "[marker: selftest root]" in im.get("description", "") and
          im.get("root") == rroot and im.get("profile", "").endswith("rooted.profile"), im)
    check("the root is unchanged by the run", sorted(os.listdir(rroot)) ==
          ["bin", "dev", "etc", "mnt", "proc", "tmp"] and not os.listdir(os.path.join(rroot, "mnt"))
          and not os.listdir(os.path.join(rroot, "tmp")), os.listdir(rroot))
    # not root: no mount namespace, every cell skip with the reason
    for d in (TMP, rtop):
        os.chmod(d, 0o755)
    nr = rooted_run("rooted", rroot, os.path.join(rtop, "rep-user"),
                    "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups")
    _, nc = rooted_cells(os.path.join(rtop, "rep-user"))
else:
    nr, nc = rp, rc
check("a runner that is not root skips a rooted profile's cells, saying why",
      [c["status"] for c in nc.values()] == ["skip", "skip"] and
      all("entering a root needs a mount namespace" in c["detail"] for c in nc.values()),
      [(c["status"], c["detail"]) for c in nc.values()] + [nr.stderr])
mp = rooted_run("norooted", os.path.join(rtop, "nosuch"), os.path.join(rtop, "rep-missing"))
_, mc = rooted_cells(os.path.join(rtop, "rep-missing"))
check("a root that is not there: every cell skip, naming the command that builds it",
      [c["status"] for c in mc.values()] == ["skip", "skip"] and
      all("root not built: run ./scripts/setup --roots nosuch" in c["detail"]
          for c in mc.values()), [(c["status"], c["detail"]) for c in mc.values()] + [mp.stderr])

# 5d. versions: each implementation judged at its oracle's Python version -------
VC = os.path.join(TMP, "vcases")
for name, exp in [
        ("vblock", "id: v/vblock\ntitle: a version block\nsource: spec\nprimitives: P\n"
                   "methods: fork\nchange: the word\n| version: 3.10\n| before: old\n"
                   "| after: new\n| why: a test\nstdout:\n  until 3.9 {\n    = old\n"
                   "  } else {\n    = new\n  }\nstderr:\n"),
        ("later", "id: v/later\ntitle: a feature of 3.99\nsource: spec\nprimitives: P\n"
                  "methods: fork\nsince: 3.99\nstdout:\n  = never\nstderr:\n")]:
    os.makedirs(os.path.join(VC, "v", name))
    with open(os.path.join(VC, "v", name, "case.exp"), "w") as f:
        f.write(exp)
    with open(os.path.join(VC, "v", name, "case.py"), "w") as f:
        f.write("print('new')\n")
# a CPython that says it is 3.9 (the host's, relabelled): its own oracle, so
# the case is judged at 3.9 for it and expects 'old'; an implementation of
# 3.8 is judged against it (the nearest newer), one of 3.12 against the
# default oracle (no CPython of 3.12 or newer ran)
VP = os.path.join(TMP, "vprofiles")
os.makedirs(VP)
for name, extra in [("old39", "cpython: yes\npython-version: 3.9\n"),
                    ("impl38", "python-version: 3.8\n"),
                    ("impl312", "python-version: 3.12\n")]:
    with open(os.path.join(VP, name + ".profile"), "w") as f:
        f.write("name: %s\n%scommand: /usr/bin/python3 case.py\nmethods: fork\n" % (name, extra))
vrep = os.path.join(TMP, "vreport")
vr = mpc("run", "--source", SOURCE, "--cases", VC, "--impl", "cpython,old39,impl38,impl312",
         "--profile", os.path.join(VP, "old39.profile"), "--profile", os.path.join(VP, "impl38.profile"),
         "--profile", os.path.join(VP, "impl312.profile"), "--report", vrep, "--jobs", "2")
vj, vcell = by_cell(vrep) if os.path.exists(os.path.join(vrep, "results.json")) else ({"impls": []}, {})
vst = {k: v["status"] for k, v in vcell.items()}
check("versions: a version block resolves at each implementation's oracle's version",
      vst.get(("v/vblock", "cpython", "fork")) == "pass" and vst.get(("v/vblock", "impl312", "fork")) == "pass"
      and vst.get(("v/vblock", "old39", "fork")) == "fail" and vst.get(("v/vblock", "impl38", "fork")) == "fail"
      and vr.returncode == 1, str(vst) + vr.stderr)
check("versions: a case for a later version is skip, with the reason",
      all(vst.get(("v/later", i, "fork")) == "skip" for i in ("cpython", "old39", "impl38", "impl312"))
      and "3.99 and newer, not 3.11" in vcell.get(("v/later", "cpython", "fork"), {}).get("detail", ""),
      str(vst))
vi = {i["name"]: (i["python_version"], i["oracle"], i["judged_at"]) for i in vj["impls"]}
check("versions: results.json states each implementation's version, oracle, judged_at",
      vi == {"cpython": ("3.11", "cpython", "3.11"), "old39": ("3.9", "old39", "3.9"),
             "impl38": ("3.8", "old39", "3.9"), "impl312": ("3.12", "cpython", "3.11")}, str(vi))
vv = mpc("versions", os.path.join(vrep, "results.json"))
check("versions: the cross-version view lists the CPythons that differ and the change",
      vv.returncode == 0 and "v/vblock fork: 3.9 fail (A) 3.11 pass (B)" in vv.stdout
      and "change 3.10: the word" in vv.stdout and "v/later" not in vv.stdout.split("differ")[-1],
      vv.stdout + vv.stderr)
vs = open(os.path.join(vrep, "summary.md")).read() if vcell else ""
check("versions: summary.md has the cross-version section",
      "## Across CPython versions" in vs and "| v/vblock | fork | fail (A) | pass (B) |" in vs, vs[-1500:])

# 6. nothing left behind --------------------------------------------------------
left = subprocess.run(["ps", "-eo", "pid=,args="], capture_output=True, text=True).stdout
stray = [l for l in left.split("\n") if FIX in l]
check("no fixture process left running", not stray, "\n".join(stray))
check("the full fixture run took less than 60 s", elapsed < 60, "%.1f s" % elapsed)

shutil.rmtree(TMP, ignore_errors=True)
print("1..%d" % len(results))
bad = 0
for i, (name, ok, det) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    if not ok:
        bad += 1
        for l in str(det).split("\n")[:20]:
            print("# " + l)
sys.exit(1 if bad else 0)
