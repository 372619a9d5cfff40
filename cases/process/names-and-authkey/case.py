# not a document example: default names Process-N1:N2:..., explicit and duplicate names,
# and the authkey a process inherits from its creator
import multiprocessing as mp


def grandchild():
    print('grandchild:', mp.current_process().name)


def child(expected_key):
    me = mp.current_process()
    print('child:', me.name, 'authkey inherited:', me.authkey == expected_key)
    for _ in range(2):
        g = mp.Process(target=grandchild)
        g.start()
        g.join()


if __name__ == '__main__':
    key = mp.current_process().authkey
    print('main authkey:', type(key).__name__, len(key))
    p1 = mp.Process(target=child, args=(key,))
    p2 = mp.Process(target=child, args=(b'secret',))
    p2.authkey = b'secret'
    a = mp.Process(target=child, args=(key,), name='worker')
    b = mp.Process(target=child, args=(key,), name='worker')
    print('names:', p1.name, p2.name, a.name, b.name)
    print('p1 authkey equals main:', p1.authkey == key)
    for p in (p1, p2, a, b):
        p.start()
        p.join()
    a.name = 'renamed'
    print('renamed:', a.name)
