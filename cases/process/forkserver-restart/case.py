# spec: CPython 3.11 _TestProcess.test_forkserver_sigint and
# test_forkserver_sigkill (bpo-31308): after the forkserver got SIGINT (which
# it ignores) or SIGKILL (which kills it), the next start() works, starting
# a new server where needed, and its child runs; the child the old server
# had forked still completes (exitcode 0 or 255).  The forkserver is found
# as the main process's child whose command line names the forkserver (the
# suite reads a private attribute).
import multiprocessing as mp
import os
import signal
import time


def sleep_and_set_event(evt, delay=0.0):
    time.sleep(delay)
    evt.set()


def forkserver_pids():
    me = str(os.getpid())
    pids = []
    for d in os.listdir('/proc'):
        if not d.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % d) as f:
                ppid = f.read().rsplit(')', 1)[1].split()[1]
            with open('/proc/%s/cmdline' % d, 'rb') as f:
                cmd = f.read()
        except OSError:
            continue
        if ppid == me and b'forkserver' in cmd:
            pids.append(int(d))
    return pids


def check(signum):
    evt = mp.Event()
    proc = mp.Process(target=sleep_and_set_event, args=(evt, 0.5))
    proc.start()
    servers = forkserver_pids()
    print(signum.name, 'forkservers running:', len(servers))
    os.kill(servers[0], signum)
    time.sleep(1.0)
    evt2 = mp.Event()
    proc2 = mp.Process(target=sleep_and_set_event, args=(evt2,))
    proc2.start()
    proc2.join()
    print(signum.name, 'next child ran:', evt2.is_set(), 'exitcode', proc2.exitcode)
    proc.join()
    print(signum.name, 'first child ran:', evt.is_set(), 'exitcode in (0, 255):',
          proc.exitcode in (0, 255))
    if signum == signal.SIGKILL:
        # (CPython's forkserver ignores SIGINT, "protect the process from
        # ^C": it may survive that one, and the suite asks only that
        # children run either way)
        print(signum.name, 'a new forkserver:', forkserver_pids() != servers)


if __name__ == '__main__':
    check(signal.SIGINT)
    check(signal.SIGKILL)
