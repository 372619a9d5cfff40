# spec: CPython 3.11 _TestValue.test_getobj_getlock and
# _TestArray.test_getobj_getlock_obj: Value() and Array() with the default
# lock and with lock=None have get_lock() (an RLock) and get_obj(); with a
# given Lock get_lock() returns that Lock; lock=False and RawValue/RawArray
# have neither; a lock that is not a lock ('navalue', 'notalock') raises
# AttributeError.
import multiprocessing as mp


def attrs(o):
    return 'get_lock %s, get_obj %s' % (hasattr(o, 'get_lock'), hasattr(o, 'get_obj'))


def show(what, f):
    try:
        print(what, f())
    except Exception as e:
        print(what, type(e).__name__, e)


if __name__ == '__main__':
    lock = mp.Lock()
    for kind, make, raw, init in (('Value', mp.Value, mp.RawValue, 5),
                                  ('Array', mp.Array, mp.RawArray, list(range(10)))):
        v1 = make('i', init)
        print(kind, 'default lock:', attrs(v1), type(v1.get_lock()).__name__,
              type(v1.get_obj()).__name__)
        v2 = make('i', init, lock=None)
        print(kind, 'lock=None:', attrs(v2), type(v2.get_lock()).__name__,
              type(v2.get_obj()).__name__)
        v3 = make('i', init, lock=lock)
        print(kind, 'lock=Lock():', attrs(v3), 'get_lock() is the Lock', v3.get_lock() is lock,
              'equal', v3.get_lock() == lock)
        print(kind, 'lock=False:', attrs(make('i', init, lock=False)))
        print('Raw' + kind + ':', attrs(raw('i', init)))
        bad = 'navalue' if kind == 'Value' else 'notalock'
        show(kind + ' lock=%r:' % bad, lambda: make('i', init, lock=bad))
