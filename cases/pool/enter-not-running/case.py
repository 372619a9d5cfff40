# spec: CPython's _TestPool.test_enter (bpo-35477): `with pool:` returns
# the pool and terminates it on exit; entering it again, once it is no
# longer running (terminated by the first with, or closed), raises
# ValueError 'Pool not running' and runs nothing; join() still works.
import multiprocessing as mp


def sqr(x):
    return x * x


if __name__ == '__main__':
    pool = mp.Pool(1)
    with pool as p:
        print('as is the pool:', p is pool)
        print(p.map(sqr, [1, 2, 3]))
    print(pool)
    try:
        with pool:
            print('body ran')
    except ValueError as e:
        print('with a terminated pool:', type(e).__name__, e)
    pool.join()
    pool = mp.Pool(1)
    pool.close()
    try:
        with pool:
            print('body ran')
    except ValueError as e:
        print('with a closed pool:', type(e).__name__, e)
    print(pool)
    pool.join()
    print('workers left:', len(mp.active_children()))
