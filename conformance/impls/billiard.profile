# billiard (Celery's fork of multiprocessing, Debian python3-billiard) on
# CPython: the shim makes `import multiprocessing` give billiard.
name: billiard
description: billiard on CPython 3.11 (Debian python3-billiard)
probe: /usr/bin/python3 -c import\x20billiard
version: /usr/bin/python3 -c import\x20billiard;print(billiard.__version__)
# the Python language version it implements (its oracle is the CPython of
# that version, else the nearest newer one: PROFILES.md)
python-version: /usr/bin/python3 -c import\x20sys;print('%d.%d'%sys.version_info[:2])
command: /usr/bin/python3 {case_dir}/case.py
env: PYTHONPATH={shim}
env: MP_ALIAS=billiard
methods: fork spawn forkserver
# billiard's spawn and forkserver children die at once and some cases then wait
# forever (see billiard.known-failures): a hang is a hang after 15 s.
timeout: 15
known-failures: billiard.known-failures
