# not a document example: close() raises while the process runs; once closed, most
# methods and attributes raise ValueError
import multiprocessing as mp


def f(ev):
    ev.wait()


def attempt(label, fn):
    try:
        r = fn()
    except ValueError as e:
        print(label, type(e).__name__, e)
    else:
        print(label, 'ok', r)


if __name__ == '__main__':
    ev = mp.Event()
    p = mp.Process(target=f, args=(ev,))
    p.start()
    attempt('close while running:', p.close)
    ev.set()
    p.join()
    attempt('close after join:', p.close)
    attempt('pid:', lambda: p.pid)
    attempt('ident:', lambda: p.ident)
    attempt('exitcode:', lambda: p.exitcode)
    attempt('sentinel:', lambda: p.sentinel)
    attempt('is_alive():', p.is_alive)
    attempt('join():', p.join)
    attempt('start():', p.start)
    attempt('terminate():', p.terminate)
    attempt('kill():', p.kill)
    attempt('name:', lambda: p.name)
    attempt('daemon:', lambda: p.daemon)
    attempt('close again:', p.close)
    print(repr(p))
