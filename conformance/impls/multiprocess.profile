# multiprocess (the dill-based fork, Debian python3-multiprocess) on CPython:
# the shim makes `import multiprocessing` give multiprocess.
name: multiprocess
description: multiprocess on CPython 3.11 (Debian python3-multiprocess)
probe: /usr/bin/python3 -c import\x20multiprocess
version: /usr/bin/python3 -c import\x20multiprocess;print(multiprocess.__version__)
# the Python language version it implements (its oracle is the CPython of
# that version, else the nearest newer one: PROFILES.md)
python-version: /usr/bin/python3 -c import\x20sys;print('%d.%d'%sys.version_info[:2])
command: /usr/bin/python3 {case_dir}/case.py
env: PYTHONPATH={shim}
env: MP_ALIAS=multiprocess
methods: fork spawn forkserver
known-failures: multiprocess.known-failures
