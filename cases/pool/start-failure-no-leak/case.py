# spec: CPython's TestPoolNotLeakOnFailure.test_release_unused_processes
# (bpo-19675): when the 4th of 5 workers fails to start, Pool() raises
# that OSError and terminates and joins the 3 workers it had started, so
# none is left alive. As CPython's test, the context is a MagicMock whose
# Process is a fake that fails on its 4th start().
import multiprocessing.pool
import unittest.mock

if __name__ == '__main__':
    will_fail_in = 3
    forked_processes = []

    class FailingForkProcess:
        def __init__(self, **kwargs):
            self.name = 'Fake Process'
            self.exitcode = None
            self.state = None
            forked_processes.append(self)

        def start(self):
            global will_fail_in
            if will_fail_in <= 0:
                raise OSError("Manually induced OSError")
            will_fail_in -= 1
            self.state = 'started'

        def terminate(self):
            self.state = 'stopping'

        def join(self):
            if self.state == 'stopping':
                self.state = 'stopped'

        def is_alive(self):
            return self.state == 'started' or self.state == 'stopping'

    try:
        p = multiprocessing.pool.Pool(5, context=unittest.mock.MagicMock(
            Process=FailingForkProcess))
        p.close()
        p.join()
    except OSError as e:
        print('Pool(5):', type(e).__name__, e)
    print('processes created:', len(forked_processes))
    print('states:', [process.state for process in forked_processes])
    print('any alive:', any(process.is_alive() for process in forked_processes))
