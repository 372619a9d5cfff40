# spec: CPython 3.11 TestStartMethod.test_preload_resources (its helper
# Lib/test/mp_preload.py): set_forkserver_preload() with a module that makes
# a Lock when it is imported; the forkserver imports it and a child it
# forks runs.  The module is written to a temporary folder on sys.path (the
# forkserver gets the parent's sys.path).
import multiprocessing
import os
import sys
import tempfile

MODULE = '''import multiprocessing

multiprocessing.Lock()


def f():
    print("ok")
'''

if __name__ == '__main__':
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, 'mp_preload_module.py'), 'w') as f:
            f.write(MODULE)
        sys.path.insert(0, d)
        ctx = multiprocessing.get_context('forkserver')
        modname = 'mp_preload_module'
        mod = __import__(modname)
        ctx.set_forkserver_preload([modname])
        proc = ctx.Process(target=mod.f)
        proc.start()
        proc.join()
        print('exitcode:', proc.exitcode)
