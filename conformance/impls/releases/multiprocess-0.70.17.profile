# Debian trixie's multiprocess 0.70.17, run inside build/roots/trixie
# (./scripts/setup --roots trixie; PROFILES.md, "Release roots").  Not read
# by a plain run: ./scripts/conformance --versions, or --profile FILE.
name: multiprocess-0.70.17
description: multiprocess 0.70.17 on CPython 3.13, Debian trixie's python3-multiprocess
root: roots/trixie
probe: /usr/bin/python3.13 -c import\x20multiprocess
version: /usr/bin/python3.13 -c import\x20multiprocess;print(multiprocess.__version__)
# the Python language version it implements: its oracle is the CPython of
# that version, else the nearest newer one (PROFILES.md "Versions")
python-version: /usr/bin/python3.13 -c import\x20sys;print('%d.%d'%sys.version_info[:2])
command: /usr/bin/python3.13 {case_dir}/case.py
env: PYTHONPATH={shim}
env: MP_ALIAS=multiprocess
methods: fork spawn forkserver
# its divergences from the CPython it is judged against, measured (PROFILES.md "Known failures")
known-failures: multiprocess-0.70.17.known-failures
