# spec: CPython 3.11 TestSimpleQueue.test_empty (bpo-30301): a SimpleQueue
# received by a child (pickled under spawn and forkserver) answers empty()
# there: the child puts empty() twice (True, then False), the parent sees
# empty() True before and False after, gets True then False, then empty().
import multiprocessing as mp


def child(queue, child_can_start, parent_can_continue):
    child_can_start.wait()
    try:
        queue.put(queue.empty())
        queue.put(queue.empty())
    finally:
        parent_can_continue.set()


if __name__ == '__main__':
    queue = mp.SimpleQueue()
    child_can_start = mp.Event()
    parent_can_continue = mp.Event()
    p = mp.Process(target=child, args=(queue, child_can_start, parent_can_continue),
                   daemon=True)
    p.start()
    print('empty() before:', queue.empty())
    child_can_start.set()
    parent_can_continue.wait()
    print('empty() after the child put:', queue.empty())
    print('get():', queue.get())
    print('get():', queue.get())
    print('empty() at the end:', queue.empty())
    p.join()
    print('exitcode:', p.exitcode)
