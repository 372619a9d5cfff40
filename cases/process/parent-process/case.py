# spec: CPython 3.11 _TestProcess.test_parent_process_attributes and
# test_parent_process: parent_process() is None in the main process and, in
# a child, the parent's pid and name; a grandchild sees its parent alive,
# then, after the main process terminates that parent, join(timeout) on
# parent_process() returns and is_alive() is False.
import multiprocessing as mp
import os
import time


def send_parent(w):
    pp = mp.parent_process()
    w.send([pp.pid, pp.name])


def report_parent_status(w):
    pp = mp.parent_process()
    w.send('alive' if pp.is_alive() else 'not alive')
    pp.join(timeout=60)
    w.send('alive' if pp.is_alive() else 'not alive')


def create_grandchild(w):
    p = mp.Process(target=report_parent_status, args=(w,))
    p.start()
    time.sleep(3000)


if __name__ == '__main__':
    print('main parent_process():', mp.parent_process())
    r, w = mp.Pipe(duplex=False)
    p = mp.Process(target=send_parent, args=(w,))
    p.start()
    p.join()
    pid, name = r.recv()
    print('child sees parent pid == os.getpid():', pid == os.getpid())
    print('child sees parent pid == current_process().pid:', pid == mp.current_process().pid)
    print('child sees parent name:', name)

    r, w = mp.Pipe(duplex=False)
    p = mp.Process(target=create_grandchild, args=(w,))
    p.start()
    print('grandchild first sees its parent:', r.recv() if r.poll(60) else 'nothing')
    p.terminate()
    p.join()
    print('grandchild then sees its parent:', r.recv() if r.poll(60) else 'nothing')
