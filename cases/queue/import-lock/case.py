# spec: CPython 3.11 _TestQueue.test_no_import_lock_contention (issue
# #22853): a module that, while it is being imported, makes a Queue, puts an
# item and gets it back with a 3 s timeout does not deadlock on the import
# lock (the feeder thread must not need it).  The module is written to a
# temporary folder, as the suite writes it to a temporary working directory.
import multiprocessing
import os
import queue
import sys
import tempfile

MODULE = '''if 1:
    import multiprocessing

    q = multiprocessing.Queue()
    q.put('knock knock')
    q.get(timeout=3)
    q.close()
    del q
'''

if __name__ == '__main__':
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, 'imported_by_an_imported_module.py'), 'w') as f:
            f.write(MODULE)
        sys.path.insert(0, d)
        try:
            __import__('imported_by_an_imported_module')
            print('a Queue used while its module is imported: no deadlock')
        except queue.Empty:
            print('Empty: probable import lock contention (issue #22853)')
        finally:
            sys.path.remove(d)
