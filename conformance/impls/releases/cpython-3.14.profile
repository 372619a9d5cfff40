# Debian forky's CPython 3.14, run inside build/roots/forky
# (./scripts/setup --roots forky; PROFILES.md, "Release roots").  Not read
# by a plain run: ./scripts/conformance --versions, or --profile FILE.
name: cpython-3.14
description: CPython 3.14, Debian forky's /usr/bin/python3.14
root: roots/forky
probe: /usr/bin/python3.14 -c import\x20multiprocessing
version: /usr/bin/python3.14 -c import\x20platform;print(platform.python_version())
# a CPython: its own oracle, and the oracle of the implementations of its
# version (PROFILES.md "Versions")
cpython: yes
command: /usr/bin/python3.14 {case_dir}/case.py
env: PYTHONPATH={shim}
methods: fork spawn forkserver
