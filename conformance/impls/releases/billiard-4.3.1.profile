# Debian forky's billiard 4.3.1, run inside build/roots/forky
# (./scripts/setup --roots forky; PROFILES.md, "Release roots").  Not read
# by a plain run: ./scripts/conformance --versions, or --profile FILE.
name: billiard-4.3.1
description: billiard 4.3.1 on CPython 3.14, Debian forky's python3-billiard
root: roots/forky
probe: /usr/bin/python3.14 -c import\x20billiard
version: /usr/bin/python3.14 -c import\x20billiard;print(billiard.__version__)
# the Python language version it implements: its oracle is the CPython of
# that version, else the nearest newer one (PROFILES.md "Versions")
python-version: /usr/bin/python3.14 -c import\x20sys;print('%d.%d'%sys.version_info[:2])
command: /usr/bin/python3.14 {case_dir}/case.py
env: PYTHONPATH={shim}
env: MP_ALIAS=billiard
methods: fork spawn forkserver
# as the host's billiard: its spawn and forkserver children may die at once
# and some cases then wait forever; a hang is a hang after 15 s.
timeout: 15
# its divergences from the CPython it is judged against, measured (PROFILES.md "Known failures")
known-failures: billiard-4.3.1.known-failures
