# Debian bullseye's CPython 3.9, run inside build/roots/bullseye
# (./scripts/setup --roots bullseye; PROFILES.md, "Release roots").  Not read
# by a plain run: ./scripts/conformance --versions, or --profile FILE.
name: cpython-3.9
description: CPython 3.9, Debian bullseye's /usr/bin/python3.9
root: roots/bullseye
probe: /usr/bin/python3.9 -c import\x20multiprocessing
version: /usr/bin/python3.9 -c import\x20platform;print(platform.python_version())
# a CPython: its own oracle, and the oracle of the implementations of its
# version (PROFILES.md "Versions")
cpython: yes
command: /usr/bin/python3.9 {case_dir}/case.py
env: PYTHONPATH={shim}
methods: fork spawn forkserver
# bugs of this release (3.9.2) that a later 3.9 fixed: not CPython 3.9's
# behaviour, so not in the cases' 3.9 expectations (the file says which)
known-failures: cpython-3.9.known-failures
