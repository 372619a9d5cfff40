# CPython, the oracle: Debian's /usr/bin/python3 (never a python3 from PATH).
name: cpython
description: CPython 3.11, Debian's /usr/bin/python3 (the oracle)
oracle: yes
# a CPython: its own oracle, and the oracle of the implementations of its
# version (its python version is the X.Y of its version line)
cpython: yes
probe: /usr/bin/python3 -c import\x20multiprocessing
version: /usr/bin/python3 -c import\x20platform;print(platform.python_version())
command: /usr/bin/python3 {case_dir}/case.py
env: PYTHONPATH={shim}
methods: fork spawn forkserver
