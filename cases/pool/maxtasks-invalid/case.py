# spec: CPython's _TestPoolWorkerLifetime.test_pool_maxtasksperchild_invalid:
# Pool(3, maxtasksperchild=v) for v in 0, -1, 0.5 and "12" raises
# ValueError 'maxtasksperchild must be a positive int or None' before any
# worker starts; None and 1 are accepted.
import multiprocessing as mp

if __name__ == '__main__':
    for value in [0, -1, 0.5, "12"]:
        try:
            mp.Pool(3, maxtasksperchild=value)
        except ValueError as e:
            print('maxtasksperchild=%r:' % (value,), type(e).__name__, e)
        else:
            print('maxtasksperchild=%r: accepted' % (value,))
    print('workers after the refusals:', len(mp.active_children()))
    for value in [None, 1]:
        with mp.Pool(1, maxtasksperchild=value) as p:
            print('maxtasksperchild=%r:' % (value,), p.map(abs, [-1, -2]))
