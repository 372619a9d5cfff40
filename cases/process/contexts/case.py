# spec: CPython 3.11 TestStartMethod.test_context, test_set_get, test_get_all:
# get_context(m) is a context whose get_start_method() is m, whose
# get_context() is itself, whose set_start_method() raises ValueError, and
# whose Process children run under m; set_start_method(m, force=True)
# switches the default context (its type and Process class named after m);
# get_all_start_methods() lists the three methods of Linux.
import multiprocessing as mp


def report(conn):
    conn.send(mp.get_start_method())


def child_method(ctx):
    r, w = ctx.Pipe(duplex=False)
    p = ctx.Process(target=report, args=(w,))
    p.start()
    w.close()
    m = r.recv()
    r.close()
    p.join()
    return m


def show(what, f):
    try:
        print(what, f())
    except Exception as e:
        print(what, type(e).__name__, e)


if __name__ == '__main__':
    print('get_all_start_methods():', mp.get_all_start_methods())
    for method in ('fork', 'spawn', 'forkserver'):
        ctx = mp.get_context(method)
        print(method, 'get_start_method():', ctx.get_start_method())
        print(method, 'get_context() is ctx:', ctx.get_context() is ctx)
        show(method + " set_start_method('spawn'):", lambda: ctx.set_start_method('spawn'))
        show(method + ' set_start_method(None):', lambda: ctx.set_start_method(None))
        print(method, 'child reports:', child_method(ctx))
    show("get_context('thread'):", lambda: mp.get_context('thread'))
    old = mp.get_start_method()
    for method in ('fork', 'spawn', 'forkserver'):
        mp.set_start_method(method, force=True)
        ctx = mp.get_context()
        print('force', method, 'get_start_method():', mp.get_start_method(),
              ctx.get_start_method(), type(ctx).__name__, ctx.Process.__name__)
        print('force', method, 'child reports:', child_method(mp))
    show("set_start_method('spawn') without force:", lambda: mp.set_start_method('spawn'))
    mp.set_start_method(old, force=True)
