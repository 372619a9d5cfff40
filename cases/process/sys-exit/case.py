# spec: CPython 3.11 _TestSubclassingProcess.test_sys_exit: a child's
# sys.exit(reason) with a reason that is not an int gives exitcode 1 and
# str(reason) on its stderr; sys.exit(True) 1, sys.exit(False) 0,
# sys.exit(8) 8, sys.exit(None) and sys.exit() 0.  (The suite sends the
# child's stderr to a file; here it is the program's stderr.)
import multiprocessing as mp
import sys


def exit_with(reason):
    sys.exit(reason)


if __name__ == '__main__':
    for reason in ([1, 2, 3], 'ignore this'):
        p = mp.Process(target=exit_with, args=(reason,), daemon=True)
        p.start()
        p.join()
        print('sys.exit(%r): exitcode %s' % (reason, p.exitcode))
        sys.stdout.flush()
    for args in ((True,), (False,), (8,), (None,), ()):
        p = mp.Process(target=sys.exit, args=args, daemon=True)
        p.start()
        p.join()
        print('sys.exit%r: exitcode %s' % (args, p.exitcode))
