# multiprocess (the dill-based fork, Debian python3-multiprocess) on CPython:
# the shim makes `import multiprocessing` give multiprocess.
name: multiprocess
description: multiprocess on CPython 3.11 (Debian python3-multiprocess)
probe: /usr/bin/python3 -c import\x20multiprocess
version: /usr/bin/python3 -c import\x20multiprocess;print(multiprocess.__version__)
command: /usr/bin/python3 {case_dir}/case.py
env: PYTHONPATH={shim}
env: MP_ALIAS=multiprocess
methods: fork spawn forkserver
known-failures: multiprocess.known-failures
