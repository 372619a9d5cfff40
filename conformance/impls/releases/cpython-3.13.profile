# Debian trixie's CPython 3.13, run inside build/roots/trixie
# (./scripts/setup --roots trixie; PROFILES.md, "Release roots").  Not read
# by a plain run: ./scripts/conformance --versions, or --profile FILE.
name: cpython-3.13
description: CPython 3.13, Debian trixie's /usr/bin/python3.13
root: roots/trixie
probe: /usr/bin/python3.13 -c import\x20multiprocessing
version: /usr/bin/python3.13 -c import\x20platform;print(platform.python_version())
# a CPython: its own oracle, and the oracle of the implementations of its
# version (PROFILES.md "Versions")
cpython: yes
command: /usr/bin/python3.13 {case_dir}/case.py
env: PYTHONPATH={shim}
methods: fork spawn forkserver
