# spec: CPython 3.11 TestFlags.test_flags: a program run with -E -S -O starts
# a child that reports its sys.flags; the child's flags equal the program's
# own (spawn and forkserver pass the interpreter flags on).  The suite's
# subprocess uses the default method; here it uses the method the runner
# gives (MP_START_METHOD, passed as an argument), with the shim loaded by
# hand, and -B keeps `import case` from writing bytecode into the case
# folder.
import json
import multiprocessing as mp
import os
import subprocess
import sys


def run_in_grandchild(conn):
    conn.send(tuple(sys.flags))


def run_in_child(method):
    mp.set_start_method(method)
    r, w = mp.Pipe(duplex=False)
    p = mp.Process(target=run_in_grandchild, args=(w,))
    p.start()
    grandchild_flags = r.recv()
    p.join()
    r.close()
    w.close()
    f = sys.flags
    print(json.dumps((tuple(f), grandchild_flags,
                      [f.optimize, f.ignore_environment, f.no_site])))


if __name__ == '__main__':
    method = os.environ.get('MP_START_METHOD') or mp.get_start_method()
    # -E drops PYTHONPATH: put its folders back and load the runner's shim
    # (sitecustomize, which -S skips), so an implementation run through the
    # shim's alias is the one the child and grandchild use
    paths = [p for p in os.environ.get('PYTHONPATH', '').split(os.pathsep) if p]
    prog = ('import sys; sys.path[:0] = %r; %simport case; case.run_in_child(%r)'
            % (paths, 'import sitecustomize; ' if paths else '', method))
    data = subprocess.check_output([sys.executable, '-E', '-S', '-O', '-B', '-c', prog])
    child_flags, grandchild_flags, named = json.loads(data.decode('ascii'))
    print('optimize, ignore_environment, no_site in the child:', *named)
    print('its own child has the same sys.flags:', child_flags == grandchild_flags)
