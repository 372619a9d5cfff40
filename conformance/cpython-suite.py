#!/usr/bin/python3
"""Write conformance/cpython-suite.txt from CPython's own test file.

usage: conformance/cpython-suite.py SUITE.py [ORACLE_SUITE.py] > conformance/cpython-suite.txt

SUITE.py is the 3.11 file the list names (CPython 3.11.7's, as pyenv installs
it with its test package); ORACLE_SUITE.py, when given, is the oracle's own
version of it (Debian's libpython3.11-testsuite, 3.11.2): a method SUITE.py
has and the oracle's file lacks was added by a later 3.11 release for a
behaviour the oracle may not have, so it is listed out of scope with that
reason.

Every `test*` method of Lib/test/_test_multiprocessing.py is listed with the
group it belongs to and whether mpconform's cases must cover it.  The method
names come from the file itself (ast); the group and scope of each class (and
the few methods that belong elsewhere) are the rules below, taken from the
method-by-method map of ../shared/research/cpython-suite-coverage.md.  A class
or method the rules do not know stops the script: a new CPython file is read
by a person before its methods get a scope.

Names: `_TestX.test_y` is the method as CPython runs it on the processes back
end (on the manager back end for a class that runs only there);
`WithManagerTestX.test_y` and `WithThreadsTestX.test_y` are the copies
install_tests_in_module_dict() makes for the other back ends of a class whose
ALLOWED_TYPES also holds 'processes'.  A copy whose method skips itself on
that back end (`if self.TYPE ...: self.skipTest(...)`) is not listed.
"""
import ast
import sys

# class -> (group, None) in scope, or (group, REASON) out of scope
CLASSES = {
    '_TestProcess': ('process', None),
    '_TestSubclassingProcess': ('process', None),
    '_TestPollEintr': ('process', None),
    'TestStdinBadfiledescriptor': ('process', None),
    'TestFlags': ('start-methods', None),
    'TestNoForkBomb': ('start-methods', None),
    'TestCloseFds': ('start-methods', None),
    'TestStartMethod': ('start-methods', None),
    'TestNamedResource': ('start-methods', None),
    '_TestQueue': ('queue', None),
    'TestSimpleQueue': ('queue', None),
    '_TestConnection': ('connection', None),
    '_TestPoll': ('connection', None),
    '_TestPicklingConnections': ('connection', None),
    'TestInvalidHandle': ('connection', None),
    'TestWait': ('connection', None),
    'TestTimeouts': ('connection', None),
    'TestIgnoreEINTR': ('connection', None),
    '_TestLock': ('lock', None),
    '_TestSemaphore': ('semaphore', None),
    '_TestCondition': ('condition', None),
    '_TestEvent': ('event', None),
    '_TestBarrier': ('barrier', None),
    '_TestValue': ('sharedctypes', None),
    '_TestArray': ('sharedctypes', None),
    '_TestSharedCTypes': ('sharedctypes', None),
    '_TestContainers': ('manager', None),
    '_TestMyManager': ('manager', None),
    '_TestRemoteManager': ('manager', None),
    '_TestManagerRestart': ('manager', None),
    'OtherTest': ('manager', None),
    'TestInitializers': ('manager', None),
    'TestSyncManagerTypes': ('manager', None),
    '_TestPool': ('pool', None),
    '_TestPoolWorkerErrors': ('pool', None),
    '_TestPoolWorkerLifetime': ('pool', None),
    'TestPoolNotLeakOnFailure': ('pool', None),
    'TestInternalDecorators': ('internals', 'test-harness decorator, no multiprocessing contract'),
    '_TestListener': ('listener', 'Listener/Client'),
    '_TestListenerClient': ('listener', 'Listener/Client'),
    'TestInvalidFamily': ('listener', 'Listener'),
    '_TestHeap': ('heap', 'multiprocessing.heap internals'),
    '_TestSharedMemory': ('shared-memory', 'multiprocessing.shared_memory'),
    '_TestFinalize': ('finalize', 'util.Finalize'),
    '_TestImportStar': ('internals', 'module namespace (from ... import *)'),
    '_TestLogging': ('logging', 'logging'),
    'TestForkAwareThreadLock': ('internals', 'util._afterfork_registry internals'),
    'TestResourceTracker': ('resource-tracker', 'resource_tracker'),
    'MiscTestCase': ('internals', 'module __all__'),
    'SemLockTests': ('internals', '_multiprocessing.SemLock internals'),
}

# Class.method -> (group, reason) where the method is not its class's
METHODS = {
    '_TestProcess.test_set_executable': ('start-methods', None),
    '_TestProcess.test_child_fd_inflation': ('start-methods', None),
    '_TestProcess.test_forkserver_sigint': ('start-methods', None),
    '_TestProcess.test_forkserver_sigkill': ('start-methods', None),
    'TestStdinBadfiledescriptor.test_pool_in_process': ('pool', None),
    'TestStdinBadfiledescriptor.test_flushing': ('internals', 'starts no process: checks a file-like helper only'),
    'MiscTestCase.test_spawn_sys_executable_none_allows_import': ('internals', 'import with sys.executable None (embedding)'),
    '_TestPicklingConnections.test_pickling': ('listener', 'Connections from Listener.accept() and raw sockets'),
    'TestWait.test_wait_socket': ('listener', 'wait() over raw sockets'),
    'TestWait.test_wait_socket_slow': ('listener', 'wait() over raw sockets'),
    'TestIgnoreEINTR.test_ignore_listener': ('listener', 'Listener.accept() and EINTR'),
    'TestInitializers.test_pool_initializer': ('pool', None),
}

# the order of the groups in the list (and in `mpconform coverage`)
GROUPS = ['process', 'start-methods', 'connection', 'queue', 'sharedctypes',
          'lock', 'semaphore', 'condition', 'event', 'barrier', 'pool',
          'manager', 'manager-backed', 'threads-backend', 'listener', 'heap',
          'shared-memory', 'finalize', 'logging', 'resource-tracker',
          'internals']

VARIANTS = {'manager': ('manager-backed', None),
            'threads': ('threads-backend', 'multiprocessing.dummy back end (threads)')}


def skips_on(fn, type_):
    """True when fn starts with `if self.TYPE ...: self.skipTest(...)` that
    holds for type_."""
    for st in fn.body:
        if isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant):
            continue  # docstring
        if not isinstance(st, ast.If) or st.orelse:
            return False
        body_src = ast.unparse(st.body[0]) if st.body else ''
        if 'skipTest' not in body_src and not body_src.startswith('return'):
            return False
        test = ast.unparse(st.test)
        if 'self.TYPE' not in test or any(w in test for w in ('and', 'or', 'sys.')):
            return False
        try:
            return bool(eval(test.replace('self.TYPE', repr(type_)), {}))
        except Exception:
            return False
    return False


def method_names(path):
    tree = ast.parse(open(path, encoding='utf-8').read())
    return {f'{c.name}.{f.name}' for c in tree.body if isinstance(c, ast.ClassDef)
            for f in c.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
            and f.name.startswith('test')}


def main():
    path = sys.argv[1]
    oracle = method_names(sys.argv[2]) if len(sys.argv) > 2 else None
    tree = ast.parse(open(path, encoding='utf-8').read())
    rows = []
    for cls in tree.body:
        if not isinstance(cls, ast.ClassDef):
            continue
        tests = [f for f in cls.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                 and f.name.startswith('test')]
        if not tests:
            continue
        if cls.name not in CLASSES:
            sys.exit(f'cpython-suite.py: class {cls.name} has no rule: give it a group and a scope')
        allowed = ('processes', 'manager', 'threads')
        base_is_case = any(ast.unparse(b) == 'BaseTestCase' for b in cls.bases)
        for st in cls.body:
            if isinstance(st, ast.Assign) and any(getattr(t, 'id', '') == 'ALLOWED_TYPES' for t in st.targets):
                allowed = ast.literal_eval(st.value)
        for fn in tests:
            name = f'{cls.name}.{fn.name}'
            group, reason = METHODS.get(name, CLASSES[cls.name])
            if oracle is not None and name not in oracle and not reason:
                reason = 'not in the oracle\'s 3.11.2 suite: a later 3.11 release added it'
            rows.append((name, group, reason))
            if not base_is_case or 'processes' not in allowed:
                continue
            for type_ in allowed:
                if type_ == 'processes' or skips_on(fn, type_):
                    continue
                vgroup, vreason = VARIANTS[type_]
                if reason:
                    vreason = reason
                rows.append((f'With{type_.capitalize()}{cls.name[1:]}.{fn.name}', vgroup, vreason))
    unknown = set(METHODS) - {r[0] for r in rows}
    if unknown:
        sys.exit(f'cpython-suite.py: rules for methods not in the file: {sorted(unknown)}')
    # stable: within a group, the file's order
    return sorted(rows, key=lambda r: GROUPS.index(r[1]))


if __name__ == '__main__':
    rows = main()
    print('# Every test method of CPython\'s Lib/test/_test_multiprocessing.py, with its group and scope.')
    print('# Written by conformance/cpython-suite.py (do not edit by hand) from the file of')
    print('# CPython 3.11.7 (its Lib/test); methods the oracle\'s 3.11.2 file (Debian bookworm,')
    print('# libpython3.11-testsuite 3.11.2-6+deb12u9) lacks are out of scope.')
    print('# A line: NAME GROUP in, or NAME GROUP out REASON.  `covers:` in case.exp names these.')
    for name, group, reason in rows:
        print(f'{name} {group} ' + (f'out {reason}' if reason else 'in'))
