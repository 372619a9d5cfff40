# spec: CPython 3.11 _TestProcess.test_current, test_process,
# test_args_argument, test_terminate and test_kill: the main process's own
# attributes; a Process given args, kwargs and a name, before start(), while
# it runs (its args, kwargs, name, authkey and pid as the child sees them)
# and after join(), with active_children() membership; args given as a list
# or a tuple reach the target alike; join(0) and join(-1) on a live child
# return None at once; terminate() and kill() end a sleeping child, which
# leaves active_children(), with exitcode -SIGTERM and -SIGKILL.
import multiprocessing as mp
import os
import time


def child(q, *args, **kwds):
    cur = mp.current_process()
    q.put(args)
    q.put(kwds)
    q.put(cur.name)
    q.put(bytes(cur.authkey))
    q.put(cur.pid)


def put_arg(q, arg):
    q.put(arg)


def sleep_some():
    time.sleep(100)


def timed(f, *args):
    t = time.monotonic()
    r = f(*args)
    return r, time.monotonic() - t


def kill_process(meth):
    p = mp.Process(target=sleep_some, daemon=True)
    p.start()
    print(meth, 'running: is_alive', p.is_alive(), 'in active_children', p in mp.active_children(),
          'exitcode', p.exitcode)
    r, d0 = timed(p.join, 0)
    print(meth, 'join(0):', r, 'is_alive', p.is_alive())
    r, d1 = timed(p.join, -1)
    print(meth, 'join(-1):', r, 'is_alive', p.is_alive())
    print(meth, 'join(0) and join(-1) took %.3f %.3f s' % (d0, d1))
    time.sleep(1)
    getattr(p, meth)()
    print(meth, 'then join():', p.join())
    print(meth, 'ended: is_alive', p.is_alive(), 'in active_children', p in mp.active_children(),
          'exitcode', p.exitcode)


if __name__ == '__main__':
    cur = mp.current_process()
    print('current: is_alive', cur.is_alive(), 'daemon', cur.daemon, 'exitcode', cur.exitcode)
    print('current: ident == os.getpid()', cur.ident == os.getpid(),
          'authkey bytes', isinstance(cur.authkey, bytes), 'non-empty', len(cur.authkey) > 0)

    q = mp.Queue(1)
    p = mp.Process(target=child, args=(q, 1, 2), kwargs={'hello': 23, 'bye': 2.54},
                   name='SomeProcess')
    p.daemon = True
    print('before start: authkey same', p.authkey == cur.authkey, 'is_alive', p.is_alive(),
          'daemon', p.daemon, 'in active_children', p in mp.active_children(),
          'active_children is list', type(mp.active_children()) is list, 'exitcode', p.exitcode)
    p.start()
    print('running: exitcode', p.exitcode, 'is_alive', p.is_alive(),
          'in active_children', p in mp.active_children())
    print('child args:', q.get())
    print('child kwargs:', q.get())
    print('child name:', q.get())
    print('child authkey same:', q.get() == cur.authkey)
    print('child pid == p.pid:', q.get() == p.pid)
    p.join()
    print('joined: exitcode', p.exitcode, 'is_alive', p.is_alive(),
          'in active_children', p in mp.active_children())
    q.close()
    q.join_thread()

    for args in (1, 'str', [1], (1,)):
        for args_type in (list, tuple):
            q = mp.Queue(1)
            p = mp.Process(target=put_arg, args=args_type((q, args)), daemon=True)
            p.start()
            got = q.get()
            p.join()
            print('args as %s with %r: child got %r, equal %s, exitcode %s'
                  % (args_type.__name__, args, got, got == args, p.exitcode))
            q.close()
            q.join_thread()

    kill_process('terminate')
    kill_process('kill')
