# Debian forky's multiprocess 0.70.19, run inside build/roots/forky
# (./scripts/setup --roots forky; PROFILES.md, "Release roots").  Not read
# by a plain run: ./scripts/conformance --versions, or --profile FILE.
name: multiprocess-0.70.19
description: multiprocess 0.70.19 on CPython 3.14, Debian forky's python3-multiprocess
root: roots/forky
probe: /usr/bin/python3.14 -c import\x20multiprocess
version: /usr/bin/python3.14 -c import\x20multiprocess;print(multiprocess.__version__)
# the Python language version it implements: its oracle is the CPython of
# that version, else the nearest newer one (PROFILES.md "Versions")
python-version: /usr/bin/python3.14 -c import\x20sys;print('%d.%d'%sys.version_info[:2])
command: /usr/bin/python3.14 {case_dir}/case.py
env: PYTHONPATH={shim}
env: MP_ALIAS=multiprocess
methods: fork spawn forkserver
# its divergences from the CPython it is judged against, measured (PROFILES.md "Known failures")
known-failures: multiprocess-0.70.19.known-failures
