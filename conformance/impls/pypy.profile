# PyPy 3 (Debian's pypy3 package), through the same shim.
name: pypy
description: PyPy 3 (Debian pypy3)
probe: pypy3 -c import\x20multiprocessing
version: pypy3 -c import\x20sys;print(sys.version.split()[0]+'\x20/\x20PyPy\x20'+'.'.join(map(str,sys.pypy_version_info[:3])))
# the Python language version it implements (its oracle is the CPython of
# that version, else the nearest newer one: PROFILES.md)
python-version: pypy3 -c import\x20sys;print('%d.%d'%sys.version_info[:2])
command: pypy3 {case_dir}/case.py
env: PYTHONPATH={shim}
methods: fork spawn forkserver
known-failures: pypy.known-failures
