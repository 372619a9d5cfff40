# not a document example: a queue lets processes communicate: what one process puts,
# another gets, in the same order
from multiprocessing import Process, Queue

colors = ['red', 'green', 'blue', 'black']


def producer(queue):
    for color in colors:
        queue.put(color)
    queue.put(None)


if __name__ == '__main__':
    queue = Queue()
    p = Process(target=producer, args=(queue,))
    p.start()
    cnt = 0
    while True:
        item = queue.get()
        if item is None:
            break
        print('item no: ', cnt, ' ', item)
        cnt += 1
    p.join()
    print('exitcode:', p.exitcode)
