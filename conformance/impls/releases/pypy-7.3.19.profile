# Debian trixie's PyPy 7.3.19, run inside build/roots/trixie
# (./scripts/setup --roots trixie; PROFILES.md, "Release roots").  Not read
# by a plain run: ./scripts/conformance --versions, or --profile FILE.
name: pypy-7.3.19
description: PyPy 7.3.19 (Python 3.11), Debian trixie's pypy3
root: roots/trixie
probe: /usr/bin/pypy3 -c import\x20multiprocessing
version: /usr/bin/pypy3 -c import\x20sys;print(sys.version.split()[0]+'\x20/\x20PyPy\x20'+'.'.join(map(str,sys.pypy_version_info[:3])))
# the Python language version it implements: its oracle is the CPython of
# that version, else the nearest newer one (PROFILES.md "Versions")
python-version: /usr/bin/pypy3 -c import\x20sys;print('%d.%d'%sys.version_info[:2])
command: /usr/bin/pypy3 {case_dir}/case.py
env: PYTHONPATH={shim}
methods: fork spawn forkserver
# its divergences from the CPython it is judged against, measured (PROFILES.md "Known failures")
known-failures: pypy-7.3.19.known-failures
