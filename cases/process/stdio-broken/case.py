# spec: CPython 3.11 _TestProcess.test_error_on_stdio_flush_1 and _2: a child
# exits with 0 (and runs its target) when sys.stdout or sys.stderr is None
# or a closed stream, whether the parent broke it before start() (inherited
# under fork) or the child broke it itself.  (The suite's _2 helper sets None
# for both of its actions; here 'close' really installs a closed stream.)
import io
import multiprocessing as mp
import sys


def child(evt, name=None, action=None):
    if name:
        setattr(sys, name, None if action == 'remove' else closed())
    evt.set()


def closed():
    s = io.StringIO()
    s.close()
    return s


def run(*args):
    evt = mp.Event()
    p = mp.Process(target=child, args=(evt,) + args)
    p.start()
    p.join()
    return evt.is_set(), p.exitcode


if __name__ == '__main__':
    results = []
    for name in ('stdout', 'stderr'):
        for broken in ('closed', 'None'):
            old = getattr(sys, name)
            setattr(sys, name, closed() if broken == 'closed' else None)
            try:
                r = run()
            finally:
                setattr(sys, name, old)
            results.append('parent broke %s (%s): ran %s, exitcode %s' % ((name, broken) + r))
    for name in ('stdout', 'stderr'):
        for action in ('close', 'remove'):
            results.append('child broke %s (%s): ran %s, exitcode %s'
                           % ((name, action) + run(name, action)))
    print('\n'.join(results))
