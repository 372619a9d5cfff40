# Debian trixie's multiprocess 0.70.17, run inside build/roots/trixie
# (./scripts/setup --roots trixie; PROFILES.md, "Release roots").  Not read
# by a plain run: ./scripts/conformance --versions, or --profile FILE.
name: multiprocess-0.70.17
description: multiprocess 0.70.17 on CPython 3.13, Debian trixie's python3-multiprocess
root: roots/trixie
probe: /usr/bin/python3.13 -c import\x20multiprocess
version: /usr/bin/python3.13 -c import\x20multiprocess;print(multiprocess.__version__)
command: /usr/bin/python3.13 {case_dir}/case.py
env: PYTHONPATH={shim}
env: MP_ALIAS=multiprocess
methods: fork spawn forkserver
