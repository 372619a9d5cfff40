# An example implementation with a planted bug (Event.clear() does nothing):
# README's walkthrough "Validating your own implementation" starts here.
# Copy this file next to your own module and change the three marked lines.
name: mymp
description: mymp, the standard library with Event.clear() a no-op (an example)
# (1) a command that succeeds only where your implementation is installed
probe: /usr/bin/python3 -c import\x20mymp
# (2) your interpreter; the case runs as a script
command: /usr/bin/python3 {case_dir}/case.py
# (3) the module `import multiprocessing` should give: a drop-in package, a
# wrapper module, or a patch of the standard library (conformance/PROFILES.md)
env: MP_ALIAS=mymp
# the shim first, then the folder holding your module
env: PYTHONPATH={shim}:{profile_dir}
methods: fork spawn forkserver
# a case that waits on the bug hangs: cap each case at 30 s (the slowest
# case, pool/map-square-list, sleeps in real time for up to 15 s)
timeout: 30
