# not a document example: a Queue is process-safe: four processes put 100 items each
# on one queue and every item arrives exactly once, each producer's in its own order
from multiprocessing import Process, Queue


def produce(q, k):
    for i in range(100):
        q.put((k, i))


if __name__ == '__main__':
    q = Queue()
    ps = [Process(target=produce, args=(q, k)) for k in range(4)]
    for p in ps:
        p.start()
    items = [q.get() for _ in range(400)]
    for p in ps:
        p.join()
    print(len(items), len(set(items)))
    for k in range(4):
        print(k, [i for (kk, i) in items if kk == k] == list(range(100)))
    print(q.empty())
