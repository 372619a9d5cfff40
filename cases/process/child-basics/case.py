# spec: CPython 3.11 _TestProcess.test_process_mainthread_native_id,
# TestStdinBadfiledescriptor.test_queue_in_process and
# _TestProcess.test_set_executable: a child's main thread has a native id
# of its own; a child creates a Queue and a daemonic grandchild that uses
# it, and both end cleanly (the suite asserts only that nothing fails; here
# the grandchild's item comes back and exit codes are printed);
# set_executable() with a str, bytes, a PathLike of str and of bytes naming
# sys.executable: children still exit 0.
import multiprocessing as mp
import os
import sys
import threading


class FakePath:
    def __init__(self, path):
        self.path = path

    def __fspath__(self):
        return self.path


def native_id(q):
    q.put(threading.main_thread().native_id)


def grandchild(q):
    q.put('from the grandchild')


def child_with_queue(out):
    q = mp.Queue()
    p = mp.Process(target=grandchild, args=(q,), daemon=True)
    p.start()
    p.join()
    out.put((q.get(timeout=30), p.exitcode))


def nothing():
    pass


if __name__ == '__main__':
    q = mp.Queue(1)
    p = mp.Process(target=native_id, args=(q,))
    p.start()
    child_id = q.get()
    p.join()
    print('child main thread native_id differs:', child_id != threading.main_thread().native_id)

    out = mp.Queue()
    p = mp.Process(target=child_with_queue, args=(out,))
    p.start()
    print('queue made in a child, used by its grandchild:', out.get(timeout=60))
    p.join()
    print('child exitcode:', p.exitcode)

    for kind, path in (('str', sys.executable), ('bytes', os.fsencode(sys.executable)),
                       ('PathLike str', FakePath(sys.executable)),
                       ('PathLike bytes', FakePath(os.fsencode(sys.executable)))):
        mp.set_executable(path)
        p = mp.Process(target=nothing)
        p.start()
        p.join()
        print('set_executable(%s): exitcode %s' % (kind, p.exitcode))
