# Not a document example: a spec case for cpython-testsuite.md section 6
# (test_task_done) and cpython-semantics.md 6.2.
# join() with nothing pending returns at once; task_done() with nothing
# pending is ValueError 'task_done() called too many times'.  Four worker
# processes take ten items; join() returns only once every item has had its
# task_done(): the results the workers put before it are all counted then.
# One task_done() short keeps a joining process waiting until the last one.
import multiprocessing as mp
import time


def worker(jq, results):
    while True:
        item = jq.get()
        if item is None:
            jq.task_done()
            break
        time.sleep(0.1)
        results.put((item, item * item))
        jq.task_done()


def joiner(jq):
    jq.join()
    print('joiner: join() returned', flush=True)


def too_many(jq):
    try:
        jq.task_done()
    except ValueError as e:
        print('task_done:', type(e).__name__, e, flush=True)


if __name__ == '__main__':
    jq = mp.JoinableQueue()
    results = mp.Queue()
    t = time.monotonic()
    r = jq.join()
    print('join() with nothing pending:', r, 'at once:', time.monotonic() - t < 1.0)
    too_many(jq)
    for i in range(10):
        jq.put(i)
    workers = [mp.Process(target=worker, args=(jq, results)) for i in range(4)]
    for w in workers:
        w.start()
    jq.join()
    print('join() returned; results already put:', results.qsize())
    print(sorted(results.get() for i in range(10)))
    for w in workers:
        jq.put(None)
    jq.join()
    for w in workers:
        w.join()
    print('workers:', [w.exitcode for w in workers], 'qsize', jq.qsize())
    too_many(jq)

    jq.put('a')
    jq.put('b')
    print('got', jq.get(), jq.get())
    jq.task_done()
    p = mp.Process(target=joiner, args=(jq,))
    p.start()
    p.join(0.5)
    print('one task_done() short, joiner still waiting:', p.is_alive(), flush=True)
    jq.task_done()
    p.join()
    print('joiner exitcode', p.exitcode)
    p = mp.Process(target=too_many, args=(jq,))
    p.start()
    p.join()
